/**
 * The nodes as a user sees them in n8n's editor (headless Chromium): the node panel (NDV) of the Ottu node and
 * of the Ottu Trigger opens with the package's icon and fields. Screenshots go to docs/images/ for the README.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { REPO_ROOT } from '../scripts/dev/runtime';
import { launchBrowser, newPage, signIn } from './helpers/browser';
import type { E2eState } from './helpers/state';
import { readState } from './helpers/state';

const IMAGES = path.join(REPO_ROOT, 'docs', 'images');

async function openNodePanel(page: Page, state: E2eState, workflowId: string, nodeName: string): Promise<void> {
	await page.goto(`${state.n8nUrl}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	await node.waitFor({ timeout: 60_000 });
	await node.dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor({ timeout: 30_000 });
	// Let the parameter list and the dropdowns' loaded options settle.
	await page.waitForLoadState('networkidle').catch(() => undefined);
	await page.waitForTimeout(1000);
}

/** The node's icon in the NDV header is the package's SVG, served by n8n. */
async function iconsShown(page: Page): Promise<string[]> {
	return await page.locator('[data-test-id="ndv"] img').evaluateAll((imgs) =>
		imgs.map((i) => (i as unknown as { src: string }).src).filter((src) => /ottu/i.test(src)),
	);
}

describe('the nodes in the n8n editor', () => {
	let state: E2eState;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		state = readState();
		fs.mkdirSync(IMAGES, { recursive: true });
		browser = await launchBrowser();
		page = await newPage(browser);
		await signIn(page, state.n8nUrl, state.owner.email, state.owner.password);
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
	});

	it('opens the Ottu node panel with its fields and icon (docs/images/ottu-node.png)', async () => {
		await openNodePanel(page, state, state.workflows['create-payment-link.json'], 'Create payment link');
		const ndv = page.locator('[data-test-id="ndv"]');
		await expect(ndv.getByText('Amount', { exact: true }).first().isVisible()).resolves.toBe(true);
		await expect(ndv.getByText('Currency', { exact: true }).first().isVisible()).resolves.toBe(true);
		// The Gateways dropdown was filled by the node's loadOptions method, asking the sandbox through n8n.
		await expect(ndv.getByText('KNET (knet-test) - sandbox').first().isVisible()).resolves.toBe(true);
		expect(await iconsShown(page)).not.toEqual([]);
		const file = path.join(IMAGES, 'ottu-node.png');
		await page.screenshot({ path: file });
		expect(fs.statSync(file).size).toBeGreaterThan(20_000);
		await page.keyboard.press('Escape');
	}, 120_000);

	it('opens the Ottu Trigger panel with its events and its webhook URL (docs/images/ottu-trigger.png)', async () => {
		const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'payment-paid-notify.json'), 'utf8')) as {
			nodes: Array<{ name: string; webhookId?: string }>;
		};
		const webhookId = example.nodes.find((n) => n.name === 'Ottu Trigger')!.webhookId!;
		await openNodePanel(page, state, state.workflows['payment-paid-notify.json'], 'Ottu Trigger');
		const ndv = page.locator('[data-test-id="ndv"]');
		await expect(ndv.getByText('Payment: Paid').first().isVisible()).resolves.toBe(true);
		expect(await iconsShown(page)).not.toEqual([]);
		await ndv.getByText('Webhook URLs').first().click();
		await ndv.getByText(new RegExp(`/webhook(-test)?/${webhookId}/webhook`)).first().waitFor({ timeout: 10_000 });
		const file = path.join(IMAGES, 'ottu-trigger.png');
		await page.screenshot({ path: file });
		expect(fs.statSync(file).size).toBeGreaterThan(20_000);
		await page.keyboard.press('Escape');
	}, 120_000);
});
