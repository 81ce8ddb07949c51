/**
 * A burst on the webhook process: 300 genuine signed payment webhooks (distinct payments) from 8 concurrent
 * senders, mixed with 50 forged ones. Every genuine one answered 2xx has exactly one finished execution (run on
 * the workers), no forged one has any. Throughput and time to drain go to the test output and to
 * test-results/queue-burst.json (for BENCHMARKS.md).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nApi } from '../../scripts/dev/n8nApi';
import { REPO_ROOT } from '../../scripts/dev/runtime';
import { resetSandbox } from '../helpers/sandbox';
import {
	allExecutions,
	paidPayloadTemplate,
	paymentWebhook,
	sendAll,
	settledCount,
	triggeredSession,
	triggerWorkflowNodes,
	waitForFinished,
} from './helpers/deliveries';
import { chain, createActive, queueOwnerApi, readQueueState } from './helpers/queueState';

const state = readQueueState();
const GENUINE = 300;
const FORGED = 50;
const SENDERS = 8;

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe('burst of signed webhooks on the webhook process', () => {
	let api: N8nApi;
	/** Left by the burst for the memory test that follows it. */
	const burst = { url: '', workflowId: '', accepted: [] as Array<Record<string, unknown>> };

	beforeAll(async () => {
		api = await queueOwnerApi(state);
		await resetSandbox(state);
	});

	it(`runs each of ${GENUINE} genuine payments exactly once and none of ${FORGED} forged ones`, async () => {
		const webhookId = randomUUID();
		const workflowId = await createActive(
			api,
			chain('Queue: burst', triggerWorkflowNodes(state, webhookId)),
			state.webhookUrl,
		);
		const url = `${state.webhookUrl}/webhook/${webhookId}/webhook`;
		const template = await paidPayloadTemplate(state);
		const genuine = Array.from({ length: GENUINE }, (_, i) =>
			paymentWebhook(template, 'burst', i, state.keys.hmacKey),
		);
		const wrongKey = randomBytes(16).toString('hex');
		const forged = Array.from({ length: FORGED }, (_, i) =>
			paymentWebhook(template, 'forged', i, wrongKey),
		);
		// Forged ones spread through the burst.
		const bodies = [...genuine];
		forged.forEach((f, i) =>
			bodies.splice(Math.floor(((i + 1) * bodies.length) / (FORGED + 1)), 0, f),
		);

		const t0 = Date.now();
		const { results, seconds } = await sendAll(url, bodies, SENDERS);
		const accepted = results.filter(
			(r) => String(r.body.session_id).startsWith('burst-') && r.status >= 200 && r.status < 300,
		);
		const forgedResults = results.filter((r) => String(r.body.session_id).startsWith('forged-'));
		// Refused (401); under overload a process may also shed a request (503), which is no acceptance either.
		expect(forgedResults.filter((r) => r.status >= 200 && r.status < 300)).toEqual([]);
		Object.assign(burst, { url, workflowId, accepted: accepted.map((r) => r.body) });
		const finished = await waitForFinished(api, workflowId, accepted.length, 300_000);
		const drainSeconds = (Date.now() - t0) / 1000;
		expect(finished).toBe(accepted.length);

		const executions = await allExecutions(api, workflowId);
		const perSession = new Map<string, number>();
		for (const e of executions) {
			expect(e.status).toBe('success');
			const sid = triggeredSession(e, 'Ottu Trigger');
			if (sid) perSession.set(sid, (perSession.get(sid) ?? 0) + 1);
		}
		for (const r of accepted)
			expect([r.body.session_id, perSession.get(String(r.body.session_id))]).toEqual([
				r.body.session_id,
				1,
			]);
		expect([...perSession.keys()].filter((s) => s.startsWith('forged-'))).toEqual([]);
		expect(executions).toHaveLength(accepted.length);

		const genuineMs = results
			.filter((r) => String(r.body.session_id).startsWith('burst-'))
			.map((r) => r.ms);
		const figures = {
			at: new Date().toISOString(),
			mode: 'queue (1 webhook process, 2 workers x concurrency 5, Postgres, Redis)',
			genuine: GENUINE,
			forged: FORGED,
			senders: SENDERS,
			accepted2xx: accepted.length,
			refused401: forgedResults.filter((r) => r.status === 401).length,
			otherStatuses: results
				.filter((r) => r.status !== 401 && (r.status < 200 || r.status >= 300))
				.map((r) => r.status),
			sendSeconds: Math.round(seconds * 10) / 10,
			acceptedPerSecond: Math.round((accepted.length / seconds) * 10) / 10,
			latencyMsP50: percentile(genuineMs, 50),
			latencyMsP95: percentile(genuineMs, 95),
			drainSeconds: Math.round(drainSeconds * 10) / 10,
			executionsPerSecondToDrain: Math.round((accepted.length / drainSeconds) * 10) / 10,
		};
		const dir = path.join(REPO_ROOT, 'test-results');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'queue-burst.json'), JSON.stringify(figures, null, 2) + '\n');
		process.stdout.write(`\n[e2e:queue] burst: ${JSON.stringify(figures)}\n`);
	});

	// De-duplication that survives a burst: the trigger's memory kept every key of it, so Ottu repeating all of
	// them later runs none. Needs the trigger's in-process memory (branch `trigger`); fails without it.
	it('remembers every delivery of the burst: sending the same ones again runs none of them (needs the in-process memory from branch trigger)', async () => {
		expect(burst.accepted.length).toBeGreaterThan(0);
		const before = await settledCount(api, burst.workflowId);
		const again = await sendAll(burst.url, burst.accepted, SENDERS);
		expect(again.results.filter((r) => r.status === 200)).toHaveLength(burst.accepted.length);
		expect(await settledCount(api, burst.workflowId)).toBe(before);
	});
});
