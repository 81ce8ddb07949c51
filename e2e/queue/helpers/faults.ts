/**
 * Faults for the queue suite (a webhook process killed, Postgres stopped, Redis restarted, workers frozen) and
 * the bookkeeping that checks what Ottu would see: which deliveries were answered 2xx, which were re-sent,
 * and how many times each one ran.
 */
import type { N8nApi } from '../../../scripts/dev/n8nApi';
import type { QueueProcess } from '../../../scripts/dev/queue';
import { startPostgres, startRedis } from '../../../scripts/dev/services';
import { allExecutions, triggeredSession } from './deliveries';
import type { ProcessInfo, QueueE2eState } from './queueState';
import { killGroup, recordExtraPid, sleep, startExtraProcess, waitUntilGone } from './queueState';

export interface Outcome {
	body: Record<string, unknown>;
	/** Every answer it got, in order (0: no answer, the connection failed). */
	statuses: number[];
}

const accepted = (status: number) => status >= 200 && status < 300;

export function wasAccepted(o: Outcome): boolean {
	return o.statuses.some(accepted);
}

async function deliver(url: string, body: Record<string, unknown>): Promise<number> {
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		await res.arrayBuffer();
		return res.status;
	} catch {
		return 0;
	}
}

/**
 * Sends every body once from `senders` concurrent senders, spread over the webhook processes' URLs in turn (a
 * load balancer); `during` runs once `faultAfter` bodies have been sent (the fault, mid-burst).
 */
export async function sendSpread(
	urls: () => string[],
	bodies: Array<Record<string, unknown>>,
	senders: number,
	fault?: { after: number; during: () => Promise<void> },
): Promise<Outcome[]> {
	const outcomes: Outcome[] = bodies.map((body) => ({ body, statuses: [] }));
	let next = 0;
	let faultDone: Promise<void> | undefined;
	const sender = async () => {
		for (let i = next++; i < bodies.length; i = next++) {
			if (fault && i === fault.after) faultDone = fault.during();
			const list = urls();
			outcomes[i].statuses.push(await deliver(list[i % list.length], bodies[i]));
		}
	};
	await Promise.all(Array.from({ length: senders }, sender));
	await faultDone;
	return outcomes;
}

/** What Ottu's retry (or an operator) does: sends each delivery not yet answered 2xx again, a few rounds. */
export async function resendUnaccepted(urls: string[], outcomes: Outcome[]): Promise<number> {
	let resent = 0;
	for (let round = 0; round < 6; round++) {
		const open = outcomes.filter((o) => !wasAccepted(o));
		if (open.length === 0) return resent;
		if (round > 0) await sleep(3000);
		resent += open.length;
		for (const [i, o] of open.entries())
			o.statuses.push(await deliver(urls[i % urls.length], o.body));
	}
	return resent;
}

/** session_id → how many executions ran it (executions that never started carry no session). */
export async function runsPerSession(
	api: N8nApi,
	workflowId: string,
): Promise<{ runs: Map<string, number>; statuses: Record<string, number> }> {
	const runs = new Map<string, number>();
	const statuses: Record<string, number> = {};
	for (const e of await allExecutions(api, workflowId)) {
		statuses[e.status] = (statuses[e.status] ?? 0) + 1;
		const sid = triggeredSession(e, 'Ottu Trigger');
		if (sid) runs.set(sid, (runs.get(sid) ?? 0) + 1);
	}
	return { runs, statuses };
}

/**
 * Waits until every delivery's execution has run (or `timeoutMs`), then a few seconds more for any second run,
 * and returns how many times each ran.
 */
export async function runsOnceSettled(
	api: N8nApi,
	workflowId: string,
	outcomes: Outcome[],
	timeoutMs = 240_000,
): Promise<{ counts: number[]; statuses: Record<string, number> }> {
	const deadline = Date.now() + timeoutMs;
	const count = async () => {
		const { runs, statuses } = await runsPerSession(api, workflowId);
		return { counts: outcomes.map((o) => runs.get(String(o.body.session_id)) ?? 0), statuses };
	};
	let last = await count();
	while (last.counts.some((c) => c === 0) && Date.now() < deadline) {
		await sleep(2000);
		last = await count();
	}
	await sleep(5000);
	return await count();
}

/** Kills a webhook process (SIGKILL to its group, as when its container dies). */
export async function killProcess(info: Pick<ProcessInfo, 'pid'>): Promise<void> {
	killGroup(info.pid);
	await waitUntilGone(info.pid);
}

/** Starts a webhook process again on the same port and user folder, as its supervisor would. */
export async function restartWebhook(
	state: QueueE2eState,
	info: ProcessInfo,
): Promise<QueueProcess> {
	return await startExtraProcess(state, 'webhook', info.name, {
		port: info.port,
		userFolder: info.userFolder,
		logFile: info.logFile,
		appendLog: true,
	});
}

/** Stops Postgres (fast shutdown) for `ms`, then starts it again on the same data and port. */
export async function stopPostgresFor(state: QueueE2eState, ms: number): Promise<void> {
	const pg = state.stack.postgres;
	try {
		process.kill(-pg.pid, 'SIGINT');
	} catch {
		// already gone
	}
	await waitUntilGone(pg.pid, 30_000);
	await sleep(ms);
	const next = await startPostgres(pg, () => undefined);
	recordExtraPid(next.child.pid!);
	pg.pid = next.child.pid!;
}

/** Stops Redis (it writes its append-only file on the way out) and starts it again on the same file. */
export async function restartRedis(state: QueueE2eState): Promise<void> {
	const redis = state.stack.redis;
	try {
		process.kill(-redis.pid, 'SIGTERM');
	} catch {
		// already gone
	}
	await waitUntilGone(redis.pid, 30_000);
	const next = await startRedis({ dir: redis.dir, port: redis.port, appendLog: true });
	recordExtraPid(next.child.pid!);
	redis.pid = next.child.pid!;
}

/** SIGSTOP / SIGCONT to the workers' process groups: jobs wait in Redis meanwhile. */
export function freezeWorkers(state: QueueE2eState, frozen: boolean): void {
	for (const w of state.processes.filter((p) => p.role === 'worker'))
		process.kill(-w.pid, frozen ? 'SIGSTOP' : 'SIGCONT');
}
