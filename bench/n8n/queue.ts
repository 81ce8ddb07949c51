/**
 * `queue_ingest_ratio`: the same burst of signed Ottu webhooks, with forgeries mixed in, to the Ottu Trigger in
 * n8n's queue mode (Postgres, Redis, a main process, 2 workers and a webhook process, as `npm run dev:queue` and
 * the queue e2e suite start them) and in the regular-mode n8n of the other figures (one process, SQLite).
 * Every delivery must be answered (genuine 200, forged 401), and every genuine one must run exactly once and no
 * forged one at all: no delivery lost, none run twice. Anything else voids the run.
 *
 * Not part of `npm run bench:n8n`: starting the queue stack takes minutes on a busy machine. Run it with
 * `npm run bench -- --only=n8n-queue`.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { N8nApi } from '../../scripts/dev/n8nApi';
import { credentialData } from '../../scripts/dev/provision';
import type { QueueStack } from '../../scripts/dev/queue';
import { startQueueStack, stopQueueStack } from '../../scripts/dev/queue';
import type { PostgresService } from '../../scripts/dev/services';
import { freePort, stopService } from '../../scripts/dev/stack';
import type { Service } from '../../scripts/dev/stack';
import { median, round } from '../measure';
import type { Figure } from '../report';
import { cpuMs } from './cpu';
import { lastExecutionId, outputOf, waitForExecutions } from './executions';
import type { BenchStack } from './stack';
import { N8N_TMP, relogin, startN8nProcess } from './stack';
import type { Delivery } from './webhooks';
import { forgedDelivery, genuineDelivery, percentile, send } from './webhooks';
import { ottuTriggerSide } from './workflows';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface QueuePlan {
	/** Genuine deliveries per side in all, sent in `parts` bursts with the sides' order alternated. */
	deliveries: number;
	parts: number;
	/** Forgeries (wrong signature) mixed into each burst. */
	forgedPerPart: number;
	senders: number;
	workers: number;
	workerConcurrency: number;
}

export function queuePlan(quick: boolean): QueuePlan {
	return {
		deliveries: quick ? 40 : 400,
		parts: 2,
		forgedPerPart: quick ? 4 : 25,
		senders: 8,
		workers: 2,
		workerConcurrency: 5,
	};
}

/** Where a burst goes, and where its executions are read. */
interface Target {
	label: string;
	url: string;
	api: N8nApi;
	workflowId: string;
	/** Process groups whose CPU the burst costs (n8n's processes; Postgres and Redis in queue mode). */
	groups: number[];
}

interface BurstRun {
	genuine: number;
	forged: number;
	/** Genuine deliveries answered per second: first post to last answer. */
	perSecond: number;
	latenciesMs: number[];
	/** First post → the last execution stopped (n8n's record). */
	allFinishedMs: number;
	/** CPU of the target's processes per genuine delivery, less their idle rate. */
	cpuMsPerDelivery: number;
}

const groupsCpu = (groups: number[]) => groups.reduce((a, pid) => a + cpuMs(pid, 'group'), 0);

let batch = 500;

/** One burst: genuine and forged deliveries interleaved, then every answer and execution checked. */
async function burst(
	target: Target,
	hmacKey: string,
	genuineCount: number,
	forgedCount: number,
	senders: number,
): Promise<BurstRun> {
	const tag = String(++batch);
	const genuine = Array.from({ length: genuineCount }, (_, i) => genuineDelivery(hmacKey, tag, i));
	const forged = Array.from({ length: forgedCount }, (_, i) =>
		forgedDelivery(hmacKey, 'wrong_signature', `${tag}f`, i),
	);
	const bodies: Delivery[] = [...genuine];
	forged.forEach((f, i) =>
		bodies.splice(Math.floor(((i + 1) * bodies.length) / (forgedCount + 1)), 0, f),
	);
	const after = await lastExecutionId(target.api, target.workflowId);

	const idleFrom = groupsCpu(target.groups);
	await sleep(1000);
	const idlePerMs = (groupsCpu(target.groups) - idleFrom) / 1000;
	const cpuBefore = groupsCpu(target.groups);
	const t0 = Date.now();
	const p0 = performance.now();
	const sent = await send(target.url, bodies, senders);

	const wrong = bodies
		.map((d, i) => [d, sent.statuses[i]] as const)
		.filter(([d, status]) => status !== (d.sessionId === undefined ? 401 : 200));
	if (wrong.length)
		throw new Error(
			`${target.label}: ${wrong.length} of ${bodies.length} deliveries got the wrong answer (e.g. ${wrong[0][1]} for a ${wrong[0][0].sessionId ? 'genuine' : 'forged'} one); the measurement is void`,
		);
	const executions = await waitForExecutions(
		target.api,
		target.workflowId,
		after,
		genuineCount,
		900_000,
	);
	const cpuUsed = groupsCpu(target.groups) - cpuBefore - idlePerMs * (performance.now() - p0);
	const seen = new Map<unknown, number>();
	for (const e of executions) {
		if (e.status !== 'success')
			throw new Error(
				`${target.label}: execution ${e.id} ended ${e.status}; the measurement is void`,
			);
		const [item] = outputOf(e, 'Ottu Trigger');
		seen.set(item?.session_id, (seen.get(item?.session_id) ?? 0) + 1);
	}
	const once = genuine.filter((d) => seen.get(d.sessionId) === 1).length;
	if (executions.length !== genuineCount || once !== genuineCount)
		throw new Error(
			`${target.label}: ${executions.length} executions for ${genuineCount} genuine deliveries, ${once} ran exactly once; the measurement is void`,
		);
	const lastStop = Math.max(...executions.map((e) => Date.parse(e.stoppedAt!)));
	const genuineLatencies = bodies
		.map((d, i) => (d.sessionId === undefined ? undefined : sent.latenciesMs[i]))
		.filter((v): v is number => v !== undefined);
	return {
		genuine: genuineCount,
		forged: forgedCount,
		perSecond: (genuineCount / sent.ms) * 1000,
		latenciesMs: genuineLatencies,
		allFinishedMs: lastStop - t0,
		cpuMsPerDelivery: Math.max(0, cpuUsed) / genuineCount,
	};
}

/** Waits until n8n serves the published workflow's production URL (the trigger refuses an empty body: 401). */
async function waitForWebhook(url: string, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		}).catch(() => undefined);
		if (res && res.status !== 404) {
			await res.text();
			return;
		}
		if (Date.now() > deadline)
			throw new Error(`${url} was not served within ${timeoutMs / 1000} s`);
		await sleep(500);
	}
}

async function publishTrigger(api: N8nApi, credentialId: string, base: string) {
	const side = ottuTriggerSide(credentialId);
	const workflowId = await api.createWorkflow(side.workflow);
	await api.activateWorkflow(workflowId);
	const url = `${base}/webhook/${side.path}`;
	await waitForWebhook(url);
	return { workflowId, url };
}

const OWNER = {
	email: 'bench-queue@n8n-nodes-ottu.dev',
	password: `Bench-${randomBytes(6).toString('hex')}-Pw1`,
	firstName: 'Bench',
	lastName: 'Queue',
};

function summary(runs: BurstRun[]) {
	const all = runs.flatMap((r) => r.latenciesMs);
	return {
		per_second: runs.map((r) => round(r.perSecond, 1)),
		p50_ms: round(percentile(all, 50), 1),
		p99_ms: round(percentile(all, 99), 1),
		all_executions_finished_s: runs.map((r) => round(r.allFinishedMs / 1000, 1)),
		cpu_ms_per_delivery: runs.map((r) => round(r.cpuMsPerDelivery, 1)),
	};
}

/**
 * Starts the queue stack beside the running regular-mode bench stack (same sandbox and keys), publishes the
 * Ottu Trigger in both, and sends the bursts alternately.
 */
export async function queueIngestFigure(
	stack: BenchStack,
	plan: QueuePlan,
	log: (m: string) => void,
): Promise<Figure> {
	const started: Service[] = [];
	let queue: QueueStack | undefined;
	try {
		const t = Date.now();
		queue = await startQueueStack(
			{
				runtime: stack.runtime,
				dir: path.join(N8N_TMP, 'queue'),
				encryptionKey: randomBytes(24).toString('base64url'),
				dbPassword: randomBytes(16).toString('hex'),
				mainPort: await freePort(),
				webhookPort: await freePort(),
				workers: plan.workers,
				concurrency: plan.workerConcurrency,
				log: (m) => log(`queue: ${m}`),
				extraEnv: { N8N_LOG_LEVEL: 'warn' },
			},
			(s) => started.push(s),
		);
		const startSeconds = round((Date.now() - t) / 1000, 1);
		// The regular side on a fresh n8n process with the default settings: the figures before may have left
		// it restarted with other settings (profile, legacy engine) or still working off a backlog.
		await stopService(stack.n8n, 60_000);
		stack.n8n = await startN8nProcess(stack, {}, 'n8n-queue-figure.log');
		await relogin(stack);
		const api = new N8nApi(queue.mainUrl);
		await api.ensureOwner(OWNER);
		await api.createApiKey(`bench queue ${new Date().toISOString()}`);
		const credentialId = await api.createCredential(
			'Ottu Sandbox',
			'ottuApi',
			credentialData(stack.sandbox.url, stack.keys),
		);
		const q = await publishTrigger(api, credentialId, queue.webhookUrl);
		const r = await publishTrigger(stack.api, stack.credentials.ottu, stack.n8n.url);
		const targets = {
			regular: {
				label: 'regular mode',
				url: r.url,
				api: stack.api,
				workflowId: r.workflowId,
				groups: [stack.n8n.child.pid!],
			},
			queue: {
				label: 'queue mode',
				url: q.url,
				api,
				workflowId: q.workflowId,
				groups: [queue.webhook, ...queue.workers, queue.main, queue.postgres, queue.redis].map(
					(s) => s.child.pid!,
				),
			},
		} satisfies Record<string, Target>;
		// Warm-up: module loading and JIT in every process, and the workers' first jobs.
		for (const target of Object.values(targets))
			await burst(target, stack.keys.hmacKey, 20, 2, plan.senders);

		const perPart = Math.round(plan.deliveries / plan.parts);
		const runs: Record<'regular' | 'queue', BurstRun[]> = { regular: [], queue: [] };
		for (let part = 0; part < plan.parts; part++) {
			const order =
				part % 2 === 0 ? (['regular', 'queue'] as const) : (['queue', 'regular'] as const);
			const line: string[] = [];
			for (const name of order) {
				const run = await burst(
					targets[name],
					stack.keys.hmacKey,
					perPart,
					plan.forgedPerPart,
					plan.senders,
				);
				runs[name].push(run);
				line.push(
					`${name} ${run.perSecond.toFixed(1)}/s, all run after ${(run.allFinishedMs / 1000).toFixed(1)} s, CPU ${run.cpuMsPerDelivery.toFixed(0)} ms each`,
				);
			}
			console.log(
				`  queue burst part ${part + 1}/${plan.parts}, ${perPart} genuine + ${plan.forgedPerPart} forged each: ${line.join('; ')}`,
			);
		}
		const ratios = runs.queue.map((r, i) => r.perSecond / runs.regular[i].perSecond);
		const finishRatios = runs.queue.map((r, i) => r.allFinishedMs / runs.regular[i].allFinishedMs);
		const value = median(ratios);
		return {
			key: 'queue_ingest_ratio',
			value: round(value, 3),
			target: 'report; no delivery lost',
			met: null,
			detail: {
				genuine_per_side: perPart * plan.parts,
				forged_per_side: plan.forgedPerPart * plan.parts,
				parts: plan.parts,
				senders: plan.senders,
				queue_mode: `1 webhook process, ${plan.workers} workers at concurrency ${plan.workerConcurrency}, main, Postgres, Redis`,
				regular_mode: 'one n8n process, SQLite (the other figures’ n8n)',
				ratio_per_part: ratios.map((v) => round(v, 3)),
				all_finished_ratio_per_part: finishRatios.map((v) => round(v, 3)),
				queue: summary(runs.queue),
				regular: summary(runs.regular),
				checked:
					'every genuine delivery answered 200 and ran exactly once (its session_id in one successful execution), every forged one answered 401 and ran nothing',
				cpu_measured:
					'user + system CPU of the processes named, from /proc, first post until the last execution finished, less their idle rate',
				queue_stack_start_s: startSeconds,
				load_average: os.loadavg().map((x) => round(x, 1)),
			},
		};
	} finally {
		if (queue) await stopQueueStack(queue);
		else {
			// Start-up failed part way: stop what did start, n8n first.
			const [stores, n8n] = [
				started.filter((s) => s.name === 'Postgres' || s.name === 'Redis'),
				started.filter((s) => s.name !== 'Postgres' && s.name !== 'Redis'),
			];
			await Promise.all(n8n.map((s) => stopService(s)));
			await stopQueueStack({
				postgres: stores.find((s) => s.name === 'Postgres') as PostgresService | undefined,
				redis: stores.find((s) => s.name === 'Redis') as (Service & { port: number }) | undefined,
			});
		}
	}
}
