/**
 * Faults under load with two webhook processes behind a load balancer (deliveries spread over both): a webhook
 * process killed mid-burst, Postgres stopped for 10 s, Redis restarted with jobs queued. After each, every
 * genuine delivery answered 2xx ran exactly once, every other one ran exactly once after being sent again
 * (what Ottu's retry or an operator does), and none ran twice; no genuine one was answered 401.
 * Then the paid-payment example's Data Table claim with copies sent to both processes at once (copies at two
 * processes are measured in 3-dedup). Figures go to the test output and to test-results/queue-faults.json
 * (for RELIABILITY.md).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nApi, WorkflowFile } from '../../scripts/dev/n8nApi';
import { EXAMPLES_DIR } from '../../scripts/dev/provision';
import type { QueueProcess } from '../../scripts/dev/queue';
import { REPO_ROOT } from '../../scripts/dev/runtime';
import { withSignature } from '../../sandbox/core/signature';
import { nodeOutput } from '../helpers/n8n';
import { resetSandbox } from '../helpers/sandbox';
import {
	allExecutions,
	paidPayloadTemplate,
	paymentWebhook,
	settledCount,
	triggerWorkflowNodes,
} from './helpers/deliveries';
import type { Outcome } from './helpers/faults';
import {
	freezeWorkers,
	killProcess,
	resendUnaccepted,
	restartRedis,
	restartWebhook,
	runsOnceSettled,
	sendSpread,
	stopPostgresFor,
	wasAccepted,
} from './helpers/faults';
import {
	chain,
	createActive,
	queueOwnerApi,
	readQueueState,
	sleep,
	stopExtraProcess,
	waitForWebhook,
} from './helpers/queueState';

const state = readQueueState();
const SENDERS = 6;
const figures: Record<string, unknown> = { at: new Date().toISOString() };
const restarted: QueueProcess[] = [];

describe('faults in queue mode with two webhook processes', () => {
	let api: N8nApi;
	let template: Record<string, unknown>;
	let live: string[];

	beforeAll(async () => {
		api = await queueOwnerApi(state);
		await resetSandbox(state);
		template = await paidPayloadTemplate(state);
		live = [...state.webhookUrls];
	});

	afterAll(async () => {
		freezeWorkers(state, false);
		await Promise.all(restarted.map((p) => stopExtraProcess(p)));
		const dir = path.join(REPO_ROOT, 'test-results');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'queue-faults.json'), JSON.stringify(figures, null, 2) + '\n');
		process.stdout.write(`\n[e2e:queue] faults: ${JSON.stringify(figures)}\n`);
	});

	async function triggerWorkflow(name: string): Promise<{ id: string; path: string }> {
		const webhookId = randomUUID();
		const id = await createActive(api, chain(name, triggerWorkflowNodes(state, webhookId)));
		const urlPath = `${webhookId}/webhook`;
		for (const url of state.webhookUrls) await waitForWebhook(url, urlPath);
		return { id, path: urlPath };
	}

	const urlsOf = (wfPath: string) => () => live.map((u) => `${u}/webhook/${wfPath}`);

	/** Re-sends what was not accepted, then checks that each delivery ran exactly once; returns the figures. */
	async function expectEachRanOnce(
		workflowId: string,
		wfPath: string,
		outcomes: Outcome[],
		record: (figures: Record<string, unknown>) => void,
		/** A database outage can leave executions n8n saved and queued unfinished (new, running). */
		outage = false,
	): Promise<void> {
		const acceptedFirst = outcomes.filter(wasAccepted).length;
		const statuses = outcomes.flatMap((o) => o.statuses);
		const resent = await resendUnaccepted(urlsOf(wfPath)(), outcomes);
		expect(outcomes.filter((o) => !wasAccepted(o)).map((o) => o.statuses)).toEqual([]);
		const { counts, statuses: executionStatuses } = await runsOnceSettled(
			api,
			workflowId,
			outcomes,
		);
		const twice = counts.filter((c) => c > 1).length;
		const never = counts.filter((c) => c === 0).length;
		// A delivery cut off with no answer may have been saved and queued before its process died: its re-send
		// can run it again (n8n's own Webhook node is no different). Every other first answer is decisive.
		const firstAnswer = (i: number) => outcomes[i].statuses[0] ?? 0;
		const twiceAfterNoAnswer = counts.filter((c, i) => c > 1 && firstAnswer(i) === 0).length;
		const result = {
			deliveries: outcomes.length,
			accepted2xxFirstTime: acceptedFirst,
			otherFirstAnswers: statuses.slice(0, outcomes.length).filter((s) => s < 200 || s >= 300),
			resent,
			ranOnce: counts.filter((c) => c === 1).length,
			ranTwice: twice,
			ranTwiceAfterNoAnswer: twiceAfterNoAnswer,
			neverRan: never,
			executionStatuses,
		};
		record(result);
		// Genuine deliveries are never mistaken for forgeries, whatever failed.
		expect(statuses.filter((s) => s === 401)).toEqual([]);
		const stranded = (executionStatuses.new ?? 0) + (executionStatuses.running ?? 0);
		expect(twice - twiceAfterNoAnswer).toBe(0);
		// Not run means left by n8n's workers in an execution it saved, never dropped by the trigger.
		if (outage) expect(never).toBeLessThanOrEqual(stranded);
		else expect(never).toBe(0);
	}

	function bodies(run: string, n: number): Array<Record<string, unknown>> {
		return Array.from({ length: n }, (_, i) =>
			paymentWebhook(template, run, i, state.keys.hmacKey),
		);
	}

	it('a webhook process killed mid-burst: every 2xx ran once, the rest ran when re-sent, only a delivery cut off unanswered may run twice', async () => {
		const wf = await triggerWorkflow('Queue faults: webhook process killed');
		const victim = state.processes.find((p) => p.role === 'webhook' && p.name === 'webhook-2')!;
		const outcomes = await sendSpread(urlsOf(wf.path), bodies('kill', 150), SENDERS, {
			after: 50,
			during: async () => {
				await killProcess(victim);
				live = live.filter((u) => u !== victim.url);
			},
		});
		const proc = await restartWebhook(state, victim);
		restarted.push(proc);
		victim.pid = proc.child.pid!;
		live = [...state.webhookUrls];
		await expectEachRanOnce(wf.id, wf.path, outcomes, (f) => (figures.webhookProcessKilled = f));
	});

	it('Postgres stopped for 10 s mid-burst: no genuine delivery answered 401 or run twice; each ran once or is an execution n8n left unfinished', async () => {
		const wf = await triggerWorkflow('Queue faults: Postgres outage');
		const outcomes = await sendSpread(urlsOf(wf.path), bodies('pg', 150), SENDERS, {
			after: 40,
			during: async () => await stopPostgresFor(state, 10_000),
		});
		// The processes find the database again on their own.
		await sleep(5000);
		await expectEachRanOnce(
			wf.id,
			wf.path,
			outcomes,
			(f) => (figures.postgresStopped10s = f),
			true,
		);
	});

	it('Redis restarted with jobs queued: the queued executions all run, once (append-only file)', async () => {
		const wf = await triggerWorkflow('Queue faults: Redis restart');
		freezeWorkers(state, true);
		let outcomes: Outcome[];
		try {
			outcomes = await sendSpread(urlsOf(wf.path), bodies('redis', 40), SENDERS);
			expect(outcomes.filter(wasAccepted)).toHaveLength(40);
			await restartRedis(state);
		} finally {
			freezeWorkers(state, false);
		}
		await expectEachRanOnce(
			wf.id,
			wf.path,
			outcomes,
			(f) => (figures.redisRestartedWith40Queued = f),
		);
	});

	it("the paid-payment example's Data Table claim lets one copy through when both processes run it", async () => {
		const example = JSON.parse(
			fs.readFileSync(path.join(EXAMPLES_DIR, 'payment-paid-notify.json'), 'utf8'),
		) as WorkflowFile;
		const webhookId = example.nodes.find((n) => n.type.endsWith('.ottuTrigger'))!.webhookId;
		const workflowId = state.workflows['payment-paid-notify.json'];
		const urls = state.webhookUrls.map((u) => `${u}/webhook/${webhookId}/webhook`);
		for (const url of state.webhookUrls) await waitForWebhook(url, `${webhookId}/webhook`);
		const before = new Set((await allExecutions(api, workflowId)).map((e) => e.id));
		// Distinct signed deliveries of the template's real payment, each sent to both processes at once.
		const copies = Array.from({ length: 20 }, (_, i) =>
			withSignature(
				{
					...template,
					order_no: `claim-${i}`,
					reference_number: `claim${String(i).padStart(6, '0')}`,
				},
				state.keys.hmacKey,
			),
		);
		for (const body of copies)
			await Promise.all(
				urls.map((url) =>
					fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(body),
					}),
				),
			);
		await settledCount(api, workflowId);
		const executions = (await allExecutions(api, workflowId)).filter((e) => !before.has(e.id));
		const notified = new Map<string, number>();
		for (const e of executions) {
			if (!e.data?.resultData.runData['Notify the team']) continue;
			const order = String(nodeOutput(e, 'The paid webhook')[0].order_no);
			notified.set(order, (notified.get(order) ?? 0) + 1);
		}
		figures.exampleClaim = {
			pairs: copies.length,
			executions: executions.length,
			notified: [...notified.values()].reduce((a, b) => a + b, 0),
			notifiedOnce: copies.filter((c) => notified.get(String(c.order_no)) === 1).length,
		};
		expect(copies.map((c) => notified.get(String(c.order_no)) ?? 0)).toEqual(
			new Array(copies.length).fill(1),
		);
	});
});
