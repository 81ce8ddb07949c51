/**
 * The Ottu Trigger's repeat memory under load. On one webhook process no delivery may run twice, concurrent or
 * not, and a burst's keys must all be remembered; across processes (the two webhook processes, and main, which
 * also serves production webhooks) a copy sent after the first was answered is caught, and so is a copy sent
 * seconds later while other deliveries keep both processes busy. A copy sent right after the first was
 * answered while other deliveries are saved, and copies landing at the same instant: measured. Figures
 * go to the test output and to test-results/queue-copies.json (for RELIABILITY.md).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nApi } from '../../scripts/dev/n8nApi';
import { REPO_ROOT } from '../../scripts/dev/runtime';
import { resetSandbox } from '../helpers/sandbox';
import {
	paidPayloadTemplate,
	paymentWebhook,
	sendAll,
	settledCount,
	triggerWorkflowNodes,
	waitForFinished,
} from './helpers/deliveries';
import { runsOnceSettled, runsPerSession } from './helpers/faults';
import type { QueueE2eState } from './helpers/queueState';
import {
	chain,
	createActive,
	queueOwnerApi,
	readQueueState,
	waitForWebhook,
} from './helpers/queueState';

const state: QueueE2eState = readQueueState();
let template: Record<string, unknown>;

describe('Ottu Trigger repeat memory in queue mode', () => {
	let api: N8nApi;

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

	it('catches repeats sent later to another process (main) after the webhook process ran them, not only the first', async () => {
		const wf = await triggerWorkflow('Queue: dedup across processes');
		await waitForWebhook(state.mainUrl, wf.path);
		// n8n 2.41 saved a webhook's static data only while it was empty: the first key only.
		const bodies = Array.from({ length: 5 }, (_, i) =>
			paymentWebhook(template, 'cross', i, state.keys.hmacKey),
		);
		for (const body of bodies)
			expect(await post(`${state.webhookUrl}/webhook/${wf.path}`, body)).toMatchObject({
				status: 200,
			});
		expect(await waitForFinished(api, wf.id, bodies.length, 60_000)).toBe(bodies.length);
		for (const body of bodies)
			expect(await post(`${state.mainUrl}/webhook/${wf.path}`, body)).toEqual({
				status: 200,
				message: expect.stringMatching(/repeat/i),
			});
		expect(await settledCount(api, wf.id)).toBe(bodies.length);
	});

	it('copies at both webhook processes: one sent after the other was answered runs once; under other traffic and sent together, measured', async () => {
		const wf = await triggerWorkflow('Queue: copies at two processes');
		for (const url of state.webhookUrls) await waitForWebhook(url, wf.path);
		const [a, b] = state.webhookUrls.map((u) => `${u}/webhook/${wf.path}`);
		const bodies = (run: string) =>
			Array.from({ length: PAIRS }, (_, i) => paymentWebhook(template, run, i, state.keys.hmacKey));
		const sequential = bodies('seq');
		for (const body of sequential) {
			expect((await post(a, body)).status).toBe(200);
			expect((await post(b, body)).status).toBe(200);
		}
		// Other deliveries spread over both processes meanwhile: their saves race with the pair's.
		const underTraffic = bodies('busy');
		const traffic = otherTraffic([a, b]);
		try {
			for (const [i, body] of underTraffic.entries()) {
				const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
				expect((await post(first, body)).status).toBe(200);
				expect((await post(second, body)).status).toBe(200);
			}
		} finally {
			await traffic.stop();
		}
		const together = bodies('pair');
		for (const body of together) await Promise.all([post(a, body), post(b, body)]);
		// The other traffic, each delivery sent again a few seconds later to the process it did not reach.
		const later = await Promise.all(
			traffic.sent.map(
				async (body, i) => (await post(traffic.sentTo[i] === a ? b : a, body)).message ?? '',
			),
		);
		const all = [...sequential, ...underTraffic, ...together, ...traffic.sent];
		await runsOnceSettled(
			api,
			wf.id,
			all.map((body) => ({ body, statuses: [200] })),
		);
		const { runs } = await runsPerSession(api, wf.id);
		const ran = (list: Array<Record<string, unknown>>) =>
			list.map((body) => runs.get(String(body.session_id)) ?? 0);
		const twice = (list: Array<Record<string, unknown>>) => ran(list).filter((c) => c > 1).length;
		const figures = {
			at: new Date().toISOString(),
			sequentialPairs: sequential.length,
			sequentialRanTwice: twice(sequential),
			underTrafficPairs: underTraffic.length,
			underTrafficRanTwice: twice(underTraffic),
			otherDeliveries: traffic.sent.length,
			otherSentAgainLater: later.length,
			otherSentAgainRanTwice: twice(traffic.sent),
			simultaneousPairs: together.length,
			simultaneousRanTwice: twice(together),
		};
		const dir = path.join(REPO_ROOT, 'test-results');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'queue-copies.json'), JSON.stringify(figures, null, 2) + '\n');
		process.stdout.write(`\n[e2e:queue] copies at two processes: ${JSON.stringify(figures)}\n`);
		expect(ran(sequential)).toEqual(new Array(PAIRS).fill(1));
		// Sent again seconds later to the other process, once both have saved again: caught.
		expect(ran(traffic.sent)).toEqual(new Array(traffic.sent.length).fill(1));
		// Measured, never more than twice: right after the first copy's save, a save by the other process from
		// a request that loaded the static data earlier can drop its key until the first process saves again.
		for (const list of [underTraffic, together])
			expect(ran(list).filter((c) => c < 1 || c > 2)).toEqual([]);
	});
});

const PAIRS = 20;

async function post(
	url: string,
	body: Record<string, unknown>,
): Promise<{ status: number; message?: string }> {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = (await res.json().catch(() => ({}))) as { message?: string };
	return { status: res.status, message: answer.message };
}

/** Two senders posting distinct deliveries to the processes in turn until stopped. */
function otherTraffic(urls: string[]): {
	sent: Array<Record<string, unknown>>;
	/** The process each was sent to. */
	sentTo: string[];
	stop: () => Promise<void>;
} {
	const sent: Array<Record<string, unknown>> = [];
	const sentTo: string[] = [];
	let running = true;
	const sender = async (offset: number) => {
		for (let i = offset; running; i += 2) {
			const body = paymentWebhook(template, 'other', i, state.keys.hmacKey);
			sent.push(body);
			sentTo.push(urls[i % urls.length]);
			await post(urls[i % urls.length], body);
		}
	};
	const senders = [sender(0), sender(1)];
	return {
		sent,
		sentTo,
		stop: async () => {
			running = false;
			await Promise.all(senders);
		},
	};
}
