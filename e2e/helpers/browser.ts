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
 * A new workflow started from n8n's node panel with `firstNode` (e.g. Manual Trigger, or AI Agent, which brings
 * its chat trigger), then saved (Ctrl+S) as a user's workflow is after its first change. Saving matters: n8n then
 * looks the usable credentials up again for the saved workflow when the next node's panel opens, which is when
 * a dropdown asks for its list before the credential is selected.
 */
export async function newSavedWorkflow(
	page: Page,
	n8nUrl: string,
	firstNode: string,
): Promise<void> {
	await page.goto(`${n8nUrl}/workflow/new`);
	// n8n 2.41 creates the workflow (POST /rest/workflows) on Ctrl+S or by itself a moment after a change.
	const created = page.waitForResponse(
		(r) =>
			r.request().method() === 'POST' && new URL(r.url()).pathname === '/rest/workflows' && r.ok(),
		{ timeout: 60_000 },
	);
	await page.locator('[data-test-id="canvas-plus-button"]').click({ timeout: 60_000 });
	await page.keyboard.type(firstNode);
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${firstNode}$`) })
		.first()
		.click();
	// A node with settings (the AI Agent) opens its panel: close it to get back to the canvas.
	const ndvOpened = await page
		.locator('[data-test-id="ndv"]')
		.waitFor({ timeout: 3000 })
		.then(() => true)
		.catch(() => false);
	if (ndvOpened) await page.keyboard.press('Escape');
	await page.keyboard.press('Control+s');
	await created;
}

/** Picks `nodeName` in the open node panel after typing `search`, then the action matching `action`. */
async function pickFromNodePanel(
	page: Page,
	search: string,
	nodeName: string,
	action?: RegExp,
): Promise<void> {
	await page.keyboard.type(search);
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${nodeName}$`) })
		.first()
		.click();
	if (action) await page.locator('[data-test-id="node-creator"]').getByText(action).first().click();
	await page.locator('[data-test-id="ndv"]').waitFor({ timeout: 30_000 });
}

/**
 * After the workflow's first node, a node added from n8n's node panel as a user does (search, pick the node,
 * pick the action); returns once the added node's panel (NDV) is open.
 */
export async function addActionFromNodePanel(
	page: Page,
	search: string,
	nodeName: string,
	action: RegExp,
): Promise<void> {
	await page.locator('[data-test-id="canvas-handle-plus"]').first().click({ timeout: 30_000 });
	await pickFromNodePanel(page, search, nodeName, action);
}

/**
 * A tool added under the AI Agent from the Tool handle's node panel (search, pick the node: n8n adds its tool
 * variant with the default action); returns once the tool's panel is open.
 */
export async function addToolUnderAgent(
	page: Page,
	search: string,
	nodeName: string,
): Promise<void> {
	await page
		.locator(
			'[data-test-id="canvas-node-input-handle"][data-connection-type="ai_tool"] [data-test-id="canvas-handle-plus"]',
		)
		.first()
		.click({ timeout: 30_000 });
	await pickFromNodePanel(page, search, nodeName);
}
