/**
 * The Ottu Trigger in a real n8n, fed by the sandbox's signed webhooks: a payment completed on the sandbox's
 * hosted checkout page in headless Chromium runs the "paid" example workflow; a forged webhook to the same
 * URL is refused with 401 and starts nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Browser } from 'playwright-core';

import type { N8nApi, WorkflowFile } from '../scripts/dev/n8nApi';
import { EXAMPLES_DIR } from '../scripts/dev/provision';
import { launchBrowser, newPage } from './helpers/browser';
import { callWebhook, executionsOf, nodeOutput, waitForExecutionCount } from './helpers/n8n';
import { ottu, resetSandbox, sandboxClient } from './helpers/sandbox';
import { ownerApi, readState } from './helpers/state';

const EXAMPLE = 'payment-paid-notify.json';
const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, EXAMPLE), 'utf8')) as WorkflowFile;
const triggerNode = example.nodes.find((n) => n.type === 'n8n-nodes-ottu.ottuTrigger')!;

const state = readState();

interface WebhookAttempt {
	url: string;
	kind: string;
	session_id: string;
	payload: Record<string, unknown>;
	status: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Ottu Trigger in a real n8n', () => {
	let api: N8nApi;
	let workflowId: string;
	/** The trigger's production URL: n8n serves a node with a webhookId at /webhook/<webhookId>/<path>. */
	const triggerUrl = `${state.n8nUrl}/webhook/${triggerNode.webhookId}/webhook`;

	beforeAll(async () => {
		api = await ownerApi(state);
		workflowId = state.workflows[EXAMPLE];
		expect(workflowId).toBeDefined();
	});

	beforeEach(async () => {
		await resetSandbox(state);
	});

	/** A payment link whose webhook goes to the trigger, made with the create-payment-link example. */
	async function createLink(orderNo: string, amount = '18.75'): Promise<{ session_id: string; checkout_url: string }> {
		const res = await callWebhook(state, 'ottu-payment-link', { amount, currency_code: 'KWD', order_no: orderNo, customer_email: 'buyer@example.com', webhook_url: triggerUrl });
		expect(res.status).toBe(200);
		return res.body as { session_id: string; checkout_url: string };
	}

	async function deliveries(sessionId: string): Promise<WebhookAttempt[]> {
		return await sandboxClient(state).webhooks({ session_id: sessionId, wait: true });
	}

	async function expectPaidRun(sessionId: string, orderNo: string, before: number): Promise<void> {
		const execution = await waitForExecutionCount(api, workflowId, before + 1);
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		const [notification] = nodeOutput(execution, 'Notify the team');
		expect(notification).toMatchObject({ session_id: sessionId, order_no: orderNo, state: 'paid', paid_amount: '18.750', signature_verified: true });
		expect(notification.message).toBe(`Paid: 18.750 KWD for order ${orderNo} (buyer@example.com)`);
		// The Get node really asked Ottu, and Ottu's webhook was answered 200 by n8n.
		const attempts = await deliveries(sessionId);
		expect(attempts.map((a) => [a.url, a.status])).toEqual([[triggerUrl, 200]]);
	}

	it('a payment completed on the hosted checkout page in Chromium runs the workflow with a valid signature', async () => {
		const before = (await executionsOf(api, workflowId)).length;
		const link = await createLink('E2E-PAY-BROWSER');
		let browser: Browser | undefined;
		try {
			browser = await launchBrowser();
			const page = await newPage(browser);
			await page.goto(link.checkout_url);
			await expect(page.locator('#state').getAttribute('data-state')).resolves.toBe('pending');
			await page.getByRole('button', { name: /^\s*pay\b/i }).first().click();
			// Ottu's summary page after the webhook was answered.
			await page.waitForURL(/\/summary\/$/, { timeout: 60_000 });
			await expect(page.locator('#state').getAttribute('data-state')).resolves.toBe('paid');
		} finally {
			await browser?.close();
		}
		await expectPaidRun(link.session_id, 'E2E-PAY-BROWSER', before);
	}, 120_000);

	it('a payment the sandbox settles (signed webhook) runs the workflow once, with the transaction fetched from Ottu', async () => {
		const before = (await executionsOf(api, workflowId)).length;
		const link = await createLink('E2E-PAY-1');
		const paid = await sandboxClient(state).send('POST', `/__sandbox/sessions/${link.session_id}/pay`, { outcome: 'paid', wait: true });
		expect(paid.status).toBe(200);
		await expectPaidRun(link.session_id, 'E2E-PAY-1', before);
		const txn = await ottu<{ state: string }>(state, 'GET', `/b/checkout/v1/pymt-txn/${link.session_id}/`);
		expect(txn.body.state).toBe('paid');
	});

	it('refuses a forged webhook to the same URL with 401 and starts nothing', async () => {
		const link = await createLink('E2E-FORGED', '18.75');
		const start = (await executionsOf(api, workflowId)).length;
		await sandboxClient(state).pay(link.session_id, 'paid', { wait: true });
		const [genuine] = await deliveries(link.session_id);
		expect(genuine.status).toBe(200);
		await waitForExecutionCount(api, workflowId, start + 1);
		const before = (await executionsOf(api, workflowId)).length;

		// The genuine payload and signature with a changed amount, a made-up signature, and no signature.
		const tampered = { ...genuine.payload, amount: '1800.000', session_id: 'forged-session' };
		const madeUp = { ...genuine.payload, session_id: 'forged-session-2', signature: 'a'.repeat(64) };
		const unsigned: Record<string, unknown> = { ...genuine.payload, session_id: 'forged-session-3' };
		delete unsigned.signature;
		for (const forged of [tampered, madeUp, unsigned]) {
			const res = await fetch(triggerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forged) });
			expect(res.status).toBe(401);
			expect(await res.text()).not.toContain(state.keys.hmacKey);
		}
		await sleep(3000);
		expect((await executionsOf(api, workflowId)).length).toBe(before);
	});

	it('answers but does not run for a payment state the trigger does not listen to (failed)', async () => {
		const link = await createLink('E2E-FAILED');
		const before = (await executionsOf(api, workflowId)).length;
		await sandboxClient(state).pay(link.session_id, 'failed', { wait: true });
		const attempts = await deliveries(link.session_id);
		expect(attempts.map((a) => a.status)).toEqual([200]);
		await sleep(2000);
		expect((await executionsOf(api, workflowId)).length).toBe(before);
	});
});
