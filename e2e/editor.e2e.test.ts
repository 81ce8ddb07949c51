/**
 * The nodes as a user sees them in n8n's editor (headless Chromium): the node panel (NDV) of the Ottu node and
 * of the Ottu Trigger opens with the package's icon and fields, and a node just added from the node panel fills
 * its gateway dropdown. Screenshots go to .dev/e2e/screenshots/; with UPDATE_SCREENSHOTS=1 they replace the
 * README's images in docs/images/ (so a plain run leaves git status clean).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { REPO_ROOT } from '../scripts/dev/runtime';
import {
	addActionFromNodePanel,
	addToolUnderAgent,
	launchBrowser,
	newPage,
	newSavedWorkflow,
	signIn,
} from './helpers/browser';
import type { E2eState } from './helpers/state';
import { sandboxClient } from './helpers/sandbox';
import { E2E_DIR, ownerApi, readState } from './helpers/state';

const IMAGES =
	process.env.UPDATE_SCREENSHOTS === '1'
		? path.join(REPO_ROOT, 'docs', 'images')
		: path.join(E2E_DIR, 'screenshots');

async function openNodePanel(
	page: Page,
	state: E2eState,
	workflowId: string,
	nodeName: string,
): Promise<void> {
	await page.goto(`${state.n8nUrl}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	await node.waitFor({ timeout: 60_000 });
	// n8n opens its Production Checklist over the canvas of a published workflow; it would take the click.
	const checklist = page.locator('[data-reka-popper-content-wrapper]', {
		hasText: 'Production Checklist',
	});
	await checklist.waitFor({ timeout: 3000 }).catch(() => undefined);
	if (await checklist.isVisible()) {
		await page.keyboard.press('Escape');
		await checklist.waitFor({ state: 'hidden', timeout: 5000 });
	}
	await node.dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor({ timeout: 30_000 });
	// Let the parameter list and the dropdowns' loaded options settle.
	await page.waitForLoadState('networkidle').catch(() => undefined);
	await page.waitForTimeout(1000);
}

/** The node's icon in the NDV header is the package's SVG, served by n8n. */
async function iconsShown(page: Page): Promise<string[]> {
	return await page
		.locator('[data-test-id="ndv"] img')
		.evaluateAll((imgs) =>
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
		await signIn(page, state);
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
	});

	it('opens the Ottu node panel with its fields and icon (ottu-node.png)', async () => {
		await openNodePanel(
			page,
			state,
			state.workflows['create-payment-link.json'],
			'Create payment link',
		);
		const ndv = page.locator('[data-test-id="ndv"]');
		await expect(ndv.getByText('Amount', { exact: true }).first().isVisible()).resolves.toBe(true);
		await expect(ndv.getByText('Currency', { exact: true }).first().isVisible()).resolves.toBe(
			true,
		);
		// The Gateways dropdown was filled by the node's loadOptions method, asking the sandbox through n8n.
		await expect(ndv.getByText('KNET (knet-test) - sandbox').first().isVisible()).resolves.toBe(
			true,
		);
		expect(await iconsShown(page)).not.toEqual([]);
		const file = path.join(IMAGES, 'ottu-node.png');
		await page.screenshot({ path: file });
		expect(fs.statSync(file).size).toBeGreaterThan(20_000);
		await page.keyboard.press('Escape');
	}, 120_000);

	/**
	 * The gateway dropdown the first time it is opened on a node just added from the node panel, to a workflow
	 * already saved (as a user's is after its first change). n8n 2.41 may ask for the list before it selects the
	 * credential and then skip the reload (see the loader): the open dropdown must then say to choose Refresh
	 * List, never show n8n's bare "Error fetching options", and Refresh List must fill it with the panel open.
	 */
	async function openGatewaysFirstTime(
		loads: Array<{ status: number; codes: string[] }>,
		screenshot: string,
	): Promise<'listed on first open' | 'listed after Refresh List'> {
		const ndv = page.locator('[data-test-id="ndv"]');
		const field = ndv
			.locator('[data-test-id="parameter-item"]', { hasText: 'Gateway Names or IDs' })
			.first();
		await field.waitFor({ timeout: 30_000 });
		for (let i = 0; i < 60 && loads.length === 0; i++) await page.waitForTimeout(500);
		expect(loads.length).toBeGreaterThanOrEqual(1);
		// Time for the credential to be selected and for n8n's reload on that selection, when it does one.
		await page.waitForTimeout(3000);
		await expect(field.getByText(/Error fetching options/).count()).resolves.toBe(0);
		const input = field.locator('[data-test-id^="parameter-input-"]').first();
		await input.click();
		let outcome: 'listed on first open' | 'listed after Refresh List' = 'listed on first open';
		if (!loads.some((l) => l.codes.includes('knet-test'))) {
			outcome = 'listed after Refresh List';
			// Every list n8n got came from the request made before the credential was selected.
			expect(loads.every((l) => l.status === 200 && l.codes.join() === '')).toBe(true);
			await page
				.getByText("Choose Refresh List in This Field's ⋮ Menu to Load the Gateways")
				.first()
				.waitFor({ timeout: 10_000 });
			await page.screenshot({ path: path.join(IMAGES, `${screenshot}-before-refresh.png`) });
			await page.keyboard.press('Escape');
			await field.hover();
			await field.locator('[data-test-id="action-toggle"]').first().click();
			await page.getByText('Refresh List', { exact: true }).first().click();
			for (let i = 0; i < 20 && !loads.some((l) => l.codes.includes('knet-test')); i++)
				await page.waitForTimeout(500);
			await input.click();
		}
		await page.getByText('KNET (knet-test) - sandbox').first().waitFor({ timeout: 10_000 });
		await page.waitForTimeout(800); // the dropdown's fade-in, for the screenshot
		await page.screenshot({ path: path.join(IMAGES, `${screenshot}.png`) });
		await page.keyboard.press('Escape');
		await page.keyboard.press('Escape');
		console.log(`gateway dropdown (${screenshot}): ${outcome}`);
		return outcome;
	}

	/** The gateway lists n8n's editor receives (status and codes), from now on. */
	function recordGatewayLoads(): Array<{ status: number; codes: string[] }> {
		const loads: Array<{ status: number; codes: string[] }> = [];
		page.on('response', async (r) => {
			if (!r.url().includes('/rest/dynamic-node-parameters/options')) return;
			const body = (await r.json().catch(() => ({}))) as { data?: Array<{ value: string }> };
			loads.push({ status: r.status(), codes: (body.data ?? []).map((o) => o.value) });
		});
		return loads;
	}

	it('fills the gateway dropdown of an Ottu node just added from the node panel, or says to choose Refresh List', async () => {
		await newSavedWorkflow(page, state.n8nUrl, 'Manual Trigger');
		const loads = recordGatewayLoads();
		await addActionFromNodePanel(page, 'Ottu', 'Ottu', /^Create a payment link$/);
		await openGatewaysFirstTime(loads, 'ottu-new-node-gateways');
	}, 180_000);

	it('the same for the Ottu tool just added under an AI Agent', async () => {
		await newSavedWorkflow(page, state.n8nUrl, 'AI Agent');
		const loads = recordGatewayLoads();
		await addToolUnderAgent(page, 'Ottu', 'Ottu Tool');
		await expect(
			page.locator('[data-test-id="ndv"]').getByText('Tool Description').first().isVisible(),
		).resolves.toBe(true);
		// The agent's description comes from the operation, with its warning (actions/toolDescription.ts).
		const descriptionType = page
			.locator('[data-test-id="ndv"] [data-test-id="parameter-item"]', {
				hasText: 'Tool Description',
			})
			.first()
			.locator('input')
			.first();
		await expect(descriptionType.inputValue()).resolves.toBe('From the Operation');
		await openGatewaysFirstTime(loads, 'ottu-new-tool-gateways');
	}, 180_000);

	it("Payment Status → Check right after a payment shows Ottu's throttle, when the next check is allowed and what to use meanwhile, in the node's output panel", async () => {
		const txn = (await sandboxClient(state).createTransaction()) as { session_id: string };
		const api = await ownerApi(state);
		const id = await api.createWorkflow({
			name: 'Check a payment just made (e2e)',
			nodes: [
				{
					id: 'e2e-start',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'e2e-check',
					name: 'Check payment status',
					type: 'n8n-nodes-ottu.ottu',
					typeVersion: 1,
					position: [240, 0],
					credentials: { ottuApi: { id: state.credentialId, name: 'Ottu Sandbox' } },
					parameters: {
						resource: 'paymentStatus',
						operation: 'check',
						identifyBy: 'sessionId',
						sessionId: txn.session_id,
					},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Check payment status', type: 'main', index: 0 }]] },
			},
		});
		await openNodePanel(page, state, id, 'Check payment status');
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="node-execute-button"]').first().click();
		const output = ndv.locator('[data-test-id="output-panel"]');
		const message = output.locator('[data-test-id="node-error-message"]');
		await message.waitFor({ timeout: 60_000 });
		// Created a moment ago: Ottu's 10-minute grace period, said with the time it ends.
		expect(await message.innerText()).toMatch(
			/^Ottu is throttling status checks of this transaction \(HTTP 429\): the next check is allowed in (9|10) minutes \(at \d\d:\d\d UTC\)/,
		);
		const description = await output.locator('[data-test-id="node-error-description"]').innerText();
		expect(description).toContain(
			'no status check in the first 10 minutes after a payment is created, then one check per 30 minutes, at most three',
		);
		expect(description).toContain('use Payment Transaction → Get, which is not throttled');
		await page.screenshot({ path: path.join(IMAGES, 'ottu-status-check-throttled.png') });
		await page.keyboard.press('Escape');
	}, 120_000);

	it('shows the AI agent example with the refund tool reachable only through Human review (ai-agent-refund.png)', async () => {
		const id = state.workflows['ai-agent-refund-with-review.json'];
		const api = await ownerApi(state);
		const wf = await api.call<{
			connections: Record<string, Record<string, Array<Array<{ node: string }>>>>;
		}>('GET', `/rest/workflows/${id}`);
		expect(wf.connections['Refund a paid payment in Ottu'].ai_tool[0].map((c) => c.node)).toEqual([
			'Human review',
		]);
		expect(wf.connections['Human review'].ai_tool[0].map((c) => c.node)).toEqual(['AI Agent']);
		await page.goto(`${state.n8nUrl}/workflow/${id}`);
		await page
			.locator('[data-test-id="canvas-node"][data-node-name="Human review"]')
			.waitFor({ timeout: 60_000 });
		// The Ottu tools read as words on the canvas, not as raw parameter values.
		await page.getByText('Payment Operation: Refund').first().waitFor({ timeout: 10_000 });
		await page.screenshot({ path: path.join(IMAGES, 'ai-agent-refund.png') });
	}, 120_000);

	it('opens the Ottu Trigger panel with its events and its webhook URL (ottu-trigger.png)', async () => {
		const example = JSON.parse(
			fs.readFileSync(path.join(REPO_ROOT, 'examples', 'payment-paid-notify.json'), 'utf8'),
		) as {
			nodes: Array<{ name: string; webhookId?: string }>;
		};
		const webhookId = example.nodes.find((n) => n.name === 'Ottu Trigger')!.webhookId!;
		await openNodePanel(page, state, state.workflows['payment-paid-notify.json'], 'Ottu Trigger');
		const ndv = page.locator('[data-test-id="ndv"]');
		await expect(ndv.getByText('Payment: Paid').first().isVisible()).resolves.toBe(true);
		expect(await iconsShown(page)).not.toEqual([]);
		await ndv.getByText('Webhook URLs').first().click();
		await ndv
			.getByText(new RegExp(`/webhook(-test)?/${webhookId}/webhook`))
			.first()
			.waitFor({ timeout: 10_000 });
		const file = path.join(IMAGES, 'ottu-trigger.png');
		await page.screenshot({ path: file });
		expect(fs.statSync(file).size).toBeGreaterThan(20_000);
		await page.keyboard.press('Escape');
	}, 120_000);
});
