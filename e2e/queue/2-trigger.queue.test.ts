/**
 * The Ottu Trigger on the webhook process: a payment completed on the sandbox's hosted checkout page in
 * headless Chromium sends its signed webhook, which the webhook process verifies and queues, and the execution
 * runs on a worker; a later redelivery is answered and not run again; a forged webhook is refused with 401 and
 * starts nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Browser } from 'playwright-core';

import type { N8nApi, WorkflowFile } from '../../scripts/dev/n8nApi';
import { EXAMPLES_DIR } from '../../scripts/dev/provision';
import { launchBrowser, newPage } from '../helpers/browser';
import { executionsOf, nodeOutput, waitForExecutionCount } from '../helpers/n8n';
import { redeliverWebhook, resetSandbox, webhookDeliveries } from '../helpers/sandbox';
import {
	QUEUE_E2E_DIR,
	queueOwnerApi,
	readQueueState,
	sleep,
	waitForWebhook,
	workersThatStarted,
} from './helpers/queueState';

const state = readQueueState();
const example = JSON.parse(
	fs.readFileSync(path.join(EXAMPLES_DIR, 'payment-paid-notify.json'), 'utf8'),
) as WorkflowFile;
const triggerPath = `${example.nodes.find((n) => n.type === 'n8n-nodes-ottu.ottuTrigger')!.webhookId}/webhook`;
const triggerUrl = `${state.webhookUrl}/webhook/${triggerPath}`;

function webhookProcessLog(): string {
	return fs.readFileSync(path.join(QUEUE_E2E_DIR, 'webhook-1.log'), 'utf8');
}

describe('Ottu Trigger on the webhook process', () => {
	let api: N8nApi;
	let workflowId: string;

	beforeAll(async () => {
		api = await queueOwnerApi(state);
		workflowId = state.workflows['payment-paid-notify.json'];
		expect(workflowId).toBeDefined();
		await waitForWebhook(state.webhookUrl, triggerPath);
	});

	beforeEach(async () => {
		await resetSandbox(state);
	});

	async function createLink(
		orderNo: string,
	): Promise<{ session_id: string; checkout_url: string }> {
		const res = await fetch(`${state.webhookUrl}/webhook/ottu-payment-link`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				amount: '18.75',
				currency_code: 'KWD',
				order_no: orderNo,
				customer_email: 'buyer@example.com',
				webhook_url: triggerUrl,
			}),
		});
		expect(res.status).toBe(200);
		return (await res.json()) as { session_id: string; checkout_url: string };
	}

	/** The customer pays on the hosted checkout page; returns once Ottu's summary page shows it paid. */
	async function payInBrowser(checkoutUrl: string): Promise<void> {
		let browser: Browser | undefined;
		try {
			browser = await launchBrowser();
			const page = await newPage(browser);
			await page.goto(checkoutUrl);
			await expect(page.locator('#state').getAttribute('data-state')).resolves.toBe('pending');
			await page
				.getByRole('button', { name: /^\s*pay\b/i })
				.first()
				.click();
			// The page moves to the summary after the webhook was answered; generous for a loaded machine.
			await page.waitForURL(/\/summary\/$/, { timeout: 120_000 });
			await expect(page.locator('#state').getAttribute('data-state')).resolves.toBe('paid');
		} finally {
			await browser?.close();
		}
	}

	it('runs a paid payment once on a worker, answers a later redelivery without running it again, and refuses a forged one', async () => {
		const link = await createLink('QUEUE-PAID-1');
		const sessionId = link.session_id;
		const before = (await executionsOf(api, workflowId)).length;

		await payInBrowser(link.checkout_url);
		const delivered = await webhookDeliveries(state, sessionId);
		expect(delivered.map((d) => [d.url, d.status])).toEqual([[triggerUrl, 200]]);
		const execution = await waitForExecutionCount(api, workflowId, before + 1, 120_000);
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		expect(nodeOutput(execution, 'Notify the team')[0]).toMatchObject({
			session_id: sessionId,
			order_no: 'QUEUE-PAID-1',
			state: 'paid',
			signature_verified: true,
		});
		// The webhook process verified it and queued it; a worker ran it.
		expect(webhookProcessLog()).toMatch(new RegExp(`Enqueued execution ${execution.id} \\(job`));
		expect(workersThatStarted(execution.id)).toHaveLength(1);

		// Ottu delivers the same webhook again later: answered 200, not run again.
		const again = await redeliverWebhook(state, sessionId);
		expect(again.webhook_delivery).toMatchObject({ url: triggerUrl, status: 200 });
		await sleep(3000);
		expect((await executionsOf(api, workflowId)).length).toBe(before + 1);

		// A forged copy (changed amount, other session) with the genuine signature: 401, nothing started.
		const [genuine] = await webhookDeliveries(state, sessionId);
		const forged = { ...genuine.payload, amount: '1800.000', session_id: 'forged-queue-session' };
		const res = await fetch(triggerUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(forged),
		});
		expect(res.status).toBe(401);
		expect(await res.text()).not.toContain(state.keys.hmacKey);
		await sleep(3000);
		expect((await executionsOf(api, workflowId)).length).toBe(before + 1);
		expect(webhookProcessLog()).toMatch(/webhook refused with 401/);
	});
});
