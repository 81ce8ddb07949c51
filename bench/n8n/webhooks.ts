/**
 * Signed Ottu webhooks sent to n8n's production URLs by 8 concurrent senders: the Ottu Trigger against the
 * Webhook node (with Header Auth, plain, and with a hand-written Code node verifying the signature), and the
 * CPU n8n spends on a forged delivery answered 401 against a genuine one.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

import { withSignature } from '../../sandbox/core/signature';
import type { BenchStack } from './stack';
import { cpuMs } from './cpu';
import { executionsAfter, lastExecutionId, outputOf, waitForExecutions } from './executions';
import type { WebhookSide } from './workflows';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Delivery {
	body: string;
	contentType: string;
	/** The session_id the run must carry, or undefined for a forgery (must be answered 401 and run nothing). */
	sessionId?: string;
}

/** A genuine Ottu payment webhook, distinct per `tag` and `i`, signed with the credential's HMAC key. */
export function genuineDelivery(hmacKey: string, tag: string, i: number): Delivery {
	const sessionId = `bench${tag}${String(i).padStart(6, '0')}`;
	const payload = withSignature(
		{
			session_id: sessionId,
			order_no: `BENCH-${tag}-${i}`,
			reference_number: `KW${tag}${i}`,
			state: 'paid',
			result: 'success',
			amount: `${10 + (i % 90)}.500`,
			currency_code: 'KWD',
			paid_amount: `${10 + (i % 90)}.500`,
			payment_type: 'one_off',
			gateway_name: 'knet',
			gateway_account: 'knet-test',
			customer_email: 'buyer@example.com',
			customer_first_name: 'Sara',
			customer_last_name: 'Al-Sabah',
			extra: { basket: `B-${i}` },
			is_sandbox: true,
			timestamp_utc: '2026-11-30 04:00:00',
		},
		hmacKey,
	);
	return { body: JSON.stringify(payload), contentType: 'application/json', sessionId };
}

export type ForgeryKind = 'wrong_signature' | 'no_signature' | 'not_json';

/** Forgeries: a signed payload with a changed amount; the signature field removed; a body that is not JSON. */
export function forgedDelivery(
	hmacKey: string,
	kind: ForgeryKind,
	tag: string,
	i: number,
): Delivery {
	const genuine = JSON.parse(genuineDelivery(hmacKey, tag, i).body) as Record<string, unknown>;
	if (kind === 'wrong_signature')
		return {
			body: JSON.stringify({ ...genuine, amount: '9999.000' }),
			contentType: 'application/json',
		};
	if (kind === 'no_signature') {
		delete genuine.signature;
		return { body: JSON.stringify(genuine), contentType: 'application/json' };
	}
	return {
		body: `session_id=${String(genuine.session_id)}&state=paid&amount=9999.000`,
		contentType: 'application/x-www-form-urlencoded',
	};
}

export interface SendResult {
	ms: number;
	statuses: number[];
	latenciesMs: number[];
}

/** Sends every delivery, `senders` at a time over kept-alive connections; answers and their times. */
/** Longest wait for one delivery's answer. */
const SEND_TIMEOUT_MS = 60_000;

export async function send(
	url: string,
	deliveries: Delivery[],
	senders: number,
	headers: Record<string, string> = {},
): Promise<SendResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
	const statuses: number[] = new Array(deliveries.length);
	const latenciesMs: number[] = new Array(deliveries.length);
	const post = (d: Delivery) =>
		new Promise<number>((resolve) => {
			const req = http.request(
				url,
				{
					method: 'POST',
					agent,
					headers: {
						'content-type': d.contentType,
						'content-length': Buffer.byteLength(d.body),
						...headers,
					},
				},
				(res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode ?? 0));
					res.on('error', () => resolve(0));
				},
			);
			// A connection n8n dropped (it does when overloaded) is an answer of 0: the check voids the run with it.
			req.on('error', () => resolve(0));
			// So is no answer at all: a delivery left hanging must not hang the benchmark.
			req.setTimeout(SEND_TIMEOUT_MS, () => req.destroy());
			req.end(d.body);
		});
	let next = 0;
	const start = performance.now();
	await Promise.all(
		Array.from({ length: senders }, async () => {
			while (next < deliveries.length) {
				const i = next++;
				const t = performance.now();
				statuses[i] = await post(deliveries[i]);
				latenciesMs[i] = performance.now() - t;
			}
		}),
	);
	const ms = performance.now() - start;
	agent.destroy();
	return { ms, statuses, latenciesMs };
}

/**
 * n8n's CPU over `fn`, less what it uses when idle (timers, the task runner's heartbeat), measured for a second
 * just before: what the deliveries cost.
 */
export async function n8nCpuOver<T>(
	pid: number,
	fn: () => Promise<T>,
): Promise<{ value: T; cpuMs: number }> {
	const idleFrom = cpuMs(pid, 'group');
	await sleep(1000);
	const idlePerMs = (cpuMs(pid, 'group') - idleFrom) / 1000;
	const before = cpuMs(pid, 'group');
	const start = performance.now();
	const value = await fn();
	const used = cpuMs(pid, 'group') - before - idlePerMs * (performance.now() - start);
	return { value, cpuMs: Math.max(0, used) };
}

/** Waits until n8n's process group has used under 10 ms of CPU in 250 ms (its work for the deliveries is done). */
export async function waitUntilIdle(pid: number, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = cpuMs(pid, 'group');
	while (Date.now() < deadline) {
		await sleep(250);
		const now = cpuMs(pid, 'group');
		if (now - last < 10) return;
		last = now;
	}
}

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface SideRun {
	perSecond: number;
	ms: number;
	latenciesMs: number[];
	/** n8n's CPU (process group) from the first delivery until it was idle again, ms. */
	cpuMs: number;
	/** First delivery sent → last execution stopped (n8n's record), ms. */
	allFinishedMs: number;
}

/**
 * Sends genuine deliveries to one side and checks its answers: every one answered 200, and ran exactly once
 * (one execution per delivery, each with its own session_id, all successful). Anything else voids the run.
 */
export async function runGenuine(
	stack: BenchStack,
	side: WebhookSide & { id: string; headers?: Record<string, string> },
	deliveries: Delivery[],
	senders: number,
): Promise<SideRun> {
	const pid = stack.n8n.child.pid!;
	const after = await lastExecutionId(stack.api, side.id);
	let startedAt = 0;
	const { value: sent, cpuMs: used } = await n8nCpuOver(pid, async () => {
		startedAt = Date.now();
		const answers = await send(
			`${stack.n8n.url}/webhook/${side.path}`,
			deliveries,
			senders,
			side.headers,
		);
		await waitUntilIdle(pid);
		return answers;
	});
	const wrong = sent.statuses.filter((s) => s !== 200);
	if (wrong.length)
		throw new Error(
			`${side.workflow.name}: ${wrong.length} of ${deliveries.length} genuine deliveries were not answered 200 (e.g. ${wrong[0]}); the measurement is void`,
		);
	const executions = await waitForExecutions(stack.api, side.id, after, deliveries.length, 120_000);
	const seen = new Map<unknown, number>();
	for (const e of executions) {
		if (e.status !== 'success')
			throw new Error(
				`${side.workflow.name}: execution ${e.id} ended ${e.status}; the measurement is void`,
			);
		const [item] = outputOf(e, side.firstNode);
		const sid = item ? side.sessionIdOf(item) : undefined;
		seen.set(sid, (seen.get(sid) ?? 0) + 1);
	}
	const once = deliveries.filter((d) => seen.get(d.sessionId) === 1).length;
	if (executions.length !== deliveries.length || once !== deliveries.length) {
		throw new Error(
			`${side.workflow.name}: ${executions.length} executions for ${deliveries.length} deliveries, ${once} ran exactly once; the measurement is void`,
		);
	}
	const lastStop = Math.max(...executions.map((e) => Date.parse(e.stoppedAt!)));
	return {
		perSecond: (deliveries.length / sent.ms) * 1000,
		ms: sent.ms,
		latenciesMs: sent.latenciesMs,
		cpuMs: used,
		allFinishedMs: lastStop - startedAt,
	};
}

/** Sends forgeries to the trigger: every one must be answered 401 and start nothing. Returns n8n's CPU used, ms. */
export async function runForged(
	stack: BenchStack,
	side: WebhookSide & { id: string },
	deliveries: Delivery[],
	senders: number,
): Promise<{ cpuMs: number; ms: number }> {
	const pid = stack.n8n.child.pid!;
	const after = await lastExecutionId(stack.api, side.id);
	const { value: sent, cpuMs: used } = await n8nCpuOver(pid, async () => {
		const answers = await send(`${stack.n8n.url}/webhook/${side.path}`, deliveries, senders);
		await waitUntilIdle(pid);
		return answers;
	});
	const wrong = sent.statuses.filter((s) => s !== 401);
	if (wrong.length)
		throw new Error(
			`forgeries: ${wrong.length} of ${deliveries.length} were not answered 401 (e.g. ${wrong[0]}); the measurement is void`,
		);
	await sleep(1000);
	const started = await executionsAfter(stack.api, side.id, after, false);
	if (started.length)
		throw new Error(`forgeries started ${started.length} executions; the measurement is void`);
	return { cpuMs: used, ms: sent.ms };
}
