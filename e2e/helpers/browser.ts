/**
 * Headless Chromium for the e2e suite: Debian's `chromium` driven by playwright-core (which downloads nothing).
 */
import { execFileSync, spawnSync } from 'node:child_process';

import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import type { E2eState } from './state';
import { ownerApi } from './state';

export function chromiumPath(): string | undefined {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	for (const name of ['chromium', 'chromium-browser']) {
		const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
		if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
	}
	return undefined;
}

/** Installs Debian's chromium when it is missing and we may (root with apt-get, as on CI). */
export function ensureChromium(log: (m: string) => void): string {
	const found = chromiumPath();
	if (found) return found;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
	if (!isRoot || !hasApt) {
		throw new Error(
			'Chromium is needed for the e2e browser tests and is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH.',
		);
	}
	log('installing chromium (apt-get)');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
		stdio: 'inherit',
		env,
	});
	const installed = chromiumPath();
	if (!installed) throw new Error('apt-get installed chromium but no chromium command is on PATH');
	return installed;
}

export async function launchBrowser(): Promise<Browser> {
	const executablePath = chromiumPath();
	if (!executablePath)
		throw new Error('chromium not found (globalSetup installs it; or set CHROMIUM_PATH)');
	return await chromium.launch({
		executablePath,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
}

export async function newPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	return await context.newPage();
}

/**
 * Signs the page in as the owner with the suite's shared session cookie: n8n allows 5 logins a minute per user,
 * and a form login per page would hit that limit across the test files.
 */
export async function signIn(page: Page, state: E2eState): Promise<void> {
	const { cookie } = await ownerApi(state);
	const split = cookie.indexOf('=');
	await page
		.context()
		.addCookies([
			{ name: cookie.slice(0, split), value: cookie.slice(split + 1), url: state.n8nUrl },
		]);
	await page.goto(`${state.n8nUrl}/home/workflows`);
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/**
 * A new workflow with a Manual Trigger and, after it, a node added from n8n's node panel as a user does
 * (search, pick the node, pick the action); returns once the added node's panel (NDV) is open.
 */
export async function addActionFromNodePanel(
	page: Page,
	n8nUrl: string,
	search: string,
	nodeName: string,
	action: RegExp,
): Promise<void> {
	await page.goto(`${n8nUrl}/workflow/new`);
	await page.locator('[data-test-id="canvas-plus-button"]').click({ timeout: 60_000 });
	await page.keyboard.type('manual');
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Manual Trigger$/ })
		.first()
		.click();
	await page.locator('[data-test-id="canvas-handle-plus"]').first().click({ timeout: 30_000 });
	await page.keyboard.type(search);
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${nodeName}$`) })
		.first()
		.click();
	await page.locator('[data-test-id="node-creator"]').getByText(action).first().click();
	await page.locator('[data-test-id="ndv"]').waitFor({ timeout: 30_000 });
}
