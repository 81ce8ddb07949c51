/** Signed Ottu payment webhooks sent straight at n8n (many at once), and counting the executions they started. */
import { randomBytes } from 'node:crypto';

import type { N8nApi, WorkflowNode } from '../../../scripts/dev/n8nApi';
import { withSignature } from '../../../sandbox/core/signature';
import type { Execution } from '../../helpers/n8n';
import { ottu, paySession, redeliverWebhook } from '../../helpers/sandbox';
import type { QueueE2eState } from './queueState';

/** A genuine paid-payment webhook body from the sandbox (delivered to a closed port, so to nobody). */
export async function paidPayloadTemplate(state: QueueE2eState): Promise<Record<string, unknown>> {
	const created = await ottu<{ session_id: string }>(state, 'POST', '/b/checkout/v1/pymt-txn/', {
		type: 'payment_request',
		amount: '10',
		currency_code: 'KWD',
		pg_codes: ['knet-test'],
		order_no: 'QUEUE-TEMPLATE',
	});
	if (created.status !== 201)
		throw new Error(`creating the template payment answered ${created.status}`);
	await paySession(state, created.body.session_id, 'paid');
	const { payload } = await redeliverWebhook(state, created.body.session_id, 'http://127.0.0.1:9/');
	return payload;
}

/** The i-th distinct payment of a run, signed with `key` (the merchant's HMAC key, or a wrong one for forgeries). */
export function paymentWebhook(
	template: Record<string, unknown>,
	run: string,
	i: number,
	key: string,
): Record<string, unknown> {
	return withSignature(
		{
			...template,
			session_id: `${run}-${i}-${randomBytes(4).toString('hex')}`,
			order_no: `${run}-${i}`,
			reference_number: `${run}${String(i).padStart(6, '0')}`,
		},
		key,
	);
}

export interface SendResult {
	body: Record<string, unknown>;
	status: number;
	ms: number;
}

/** Sends every body from `senders` concurrent senders, as fast as each gets its answer. */
export async function sendAll(
	url: string,
	bodies: Array<Record<string, unknown>>,
	senders: number,
): Promise<{ results: SendResult[]; seconds: number }> {
	const results: SendResult[] = new Array(bodies.length);
	let next = 0;
	const t0 = Date.now();
	const sender = async () => {
		for (let i = next++; i < bodies.length; i = next++) {
			const started = Date.now();
			let status = 0;
			try {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(bodies[i]),
					signal: AbortSignal.timeout(120_000),
				});
				status = res.status;
				await res.arrayBuffer();
			} catch {
				status = 0;
			}
			results[i] = { body: bodies[i], status, ms: Date.now() - started };
		}
	};
	await Promise.all(Array.from({ length: senders }, sender));
	return { results, seconds: (Date.now() - t0) / 1000 };
}

/** Every execution of a workflow with its data (public API, page by page). */
export async function allExecutions(api: N8nApi, workflowId: string): Promise<Execution[]> {
	const all: Execution[] = [];
	let cursor: string | undefined;
	do {
		const page = await api.call<{ data: Execution[]; nextCursor?: string | null }>(
			'GET',
			`/api/v1/executions?workflowId=${workflowId}&includeData=true&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		all.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all;
}

/** The session_id the trigger emitted in an execution. */
export function triggeredSession(execution: Execution, triggerName: string): string | undefined {
	const runs = execution.data?.resultData.runData[triggerName];
	const item = runs?.[0]?.data?.main[0]?.[0];
	return typeof item?.json.session_id === 'string' ? item.json.session_id : undefined;
}

/** Waits until `expected` executions have finished successfully (or the timeout); returns how many have. */
export async function waitForFinished(
	api: N8nApi,
	workflowId: string,
	expected: number,
	timeoutMs: number,
): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const count = await countExecutions(api, workflowId, 'success');
		if (count >= expected || Date.now() > deadline) return count;
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** How many executions the workflow has (any status), or only those with `status`. */
export async function countExecutions(
	api: N8nApi,
	workflowId: string,
	status?: string,
): Promise<number> {
	let count = 0;
	let cursor: string | undefined;
	do {
		const query = `workflowId=${workflowId}&limit=250${status ? `&status=${status}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		const page = await api.call<{ data: unknown[]; nextCursor?: string | null }>(
			'GET',
			`/api/v1/executions?${query}`,
		);
		count += page.data.length;
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return count;
}

/** Waits until no new execution of the workflow has appeared for a few seconds, then returns the count. */
export async function settledCount(api: N8nApi, workflowId: string): Promise<number> {
	let last = -1;
	for (;;) {
		const count = await countExecutions(api, workflowId);
		if (count === last) return count;
		last = count;
		await new Promise((r) => setTimeout(r, 3000));
	}
}

let triggerCounter = 0;

/** An Ottu Trigger with its own webhook id, followed by a No Operation node. */
export function triggerWorkflowNodes(state: QueueE2eState, webhookId: string): WorkflowNode[] {
	triggerCounter++;
	return [
		{
			id: `0e2e3333-0000-4000-8000-${String(triggerCounter).padStart(12, '0')}`,
			name: 'Ottu Trigger',
			type: 'n8n-nodes-ottu.ottuTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId,
			credentials: { ottuApi: { id: state.credentialId, name: 'Ottu Sandbox' } },
			parameters: { events: ['*'], options: {} },
		},
		{
			id: `0e2e4444-0000-4000-8000-${String(triggerCounter).padStart(12, '0')}`,
			name: 'Done',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [240, 0],
			parameters: {},
		},
	];
}
