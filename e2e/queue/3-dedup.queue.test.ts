/**
 * The Ottu Trigger's repeat memory under load. On one webhook process no delivery may run twice, concurrent or
 * not, and a burst's keys must all be remembered; across processes (the webhook process and main, which also
 * serves production webhooks) a repeat sent later is caught. Identical deliveries landing on two processes at
 * the same instant are the one case left (documented, not tested).
 */
import { randomUUID } from 'node:crypto';

import type { N8nApi } from '../../scripts/dev/n8nApi';
import { resetSandbox } from '../helpers/sandbox';
import {
	paidPayloadTemplate,
	paymentWebhook,
	sendAll,
	settledCount,
	triggerWorkflowNodes,
	waitForFinished,
} from './helpers/deliveries';
import type { QueueE2eState } from './helpers/queueState';
import {
	chain,
	createActive,
	queueOwnerApi,
	readQueueState,
	waitForWebhook,
} from './helpers/queueState';

const state: QueueE2eState = readQueueState();

describe('Ottu Trigger repeat memory in queue mode', () => {
	let api: N8nApi;
	let template: Record<string, unknown>;

	beforeAll(async () => {
		api = await queueOwnerApi(state);
		await resetSandbox(state);
		template = await paidPayloadTemplate(state);
	});

	async function triggerWorkflow(name: string): Promise<{ id: string; path: string }> {
		const webhookId = randomUUID();
		const id = await createActive(
			api,
			chain(name, triggerWorkflowNodes(state, webhookId)),
			state.webhookUrl,
		);
		return { id, path: `${webhookId}/webhook` };
	}

	it('runs 10 identical deliveries arriving at once on one webhook process only once (needs the in-process memory from branch trigger)', async () => {
		const wf = await triggerWorkflow('Queue: dedup concurrent');
		const body = paymentWebhook(template, 'same', 1, state.keys.hmacKey);
		const { results } = await sendAll(
			`${state.webhookUrl}/webhook/${wf.path}`,
			new Array(10).fill(body),
			10,
		);
		expect(results.map((r) => r.status)).toEqual(new Array(10).fill(200));
		await waitForFinished(api, wf.id, 1, 60_000);
		expect(await settledCount(api, wf.id)).toBe(1);
	});

	it('catches a repeat sent later to another process (main) after the webhook process ran it', async () => {
		const wf = await triggerWorkflow('Queue: dedup across processes');
		await waitForWebhook(state.mainUrl, wf.path);
		const body = paymentWebhook(template, 'cross', 1, state.keys.hmacKey);
		const first = await fetch(`${state.webhookUrl}/webhook/${wf.path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(first.status).toBe(200);
		expect(await waitForFinished(api, wf.id, 1, 60_000)).toBe(1);
		const repeat = await fetch(`${state.mainUrl}/webhook/${wf.path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(repeat.status).toBe(200);
		expect(await repeat.json()).toMatchObject({ message: expect.stringMatching(/repeat/i) });
		expect(await settledCount(api, wf.id)).toBe(1);
	});
});
