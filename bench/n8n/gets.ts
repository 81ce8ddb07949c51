/**
 * 1,000 Payment Transaction Get calls in one workflow run, in a real n8n: the Ottu node against the HTTP Request
 * node with a Header Auth credential, same items, timed by n8n's own execution record.
 */
import os from 'node:os';

import type { WorkflowFile } from '../../scripts/dev/n8nApi';
import { median, round } from '../measure';
import type { Figure } from '../report';
import { createSessions } from '../workloads';
import { cpuMs } from './cpu';
import type { ExecutionRecord } from './executions';
import { nodeTimeMs, outputOf, recordedMs, waitForExecution } from './executions';
import type { BenchStack } from './stack';
import { CALLER, httpRequestGets, ottuGets } from './workflows';

export interface GetsPlan {
	calls: number;
	runs: number;
	latencyMs: number;
	concurrency: number;
	concurrencyRuns: number;
}

interface SideResult {
	/** Execution wall time from n8n's record (startedAt → stoppedAt), ms. */
	executionMs: number[];
	/** The calling node's own executionTime, ms. */
	nodeMs: number[];
	/** CPU of n8n's process group per run, ms. */
	cpuMs: number[];
}

/** Runs the workflow from its Manual Trigger and checks every item got its own session back. */
async function runOnce(
	stack: BenchStack,
	workflowId: string,
	sessionIds: string[],
	calls: number,
): Promise<{ execution: ExecutionRecord; cpuMs: number }> {
	const cpuBefore = cpuMs(stack.n8n.child.pid!, 'group');
	const started = await stack.api.call<{ executionId?: string }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{ triggerToStartFrom: { name: 'Manual' } },
	);
	if (!started.executionId)
		throw new Error(
			`the manual run of workflow ${workflowId} started no execution: ${JSON.stringify(started).slice(0, 300)}`,
		);
	const execution = await waitForExecution(stack.api, started.executionId, 600_000);
	const used = cpuMs(stack.n8n.child.pid!, 'group') - cpuBefore;
	if (execution.status !== 'success')
		throw new Error(
			`execution ${execution.id} ended ${execution.status}: ${execution.data?.resultData.error?.message ?? ''}`,
		);
	const items = outputOf(execution, CALLER);
	const right = items.filter(
		(json, i) => json.session_id === sessionIds[i % sessionIds.length],
	).length;
	if (items.length !== calls || right !== calls)
		throw new Error(
			`${right} of ${calls} items had the right session (${items.length} items out); the measurement is void`,
		);
	return { execution, cpuMs: used };
}

async function compare<S extends string>(
	stack: BenchStack,
	label: string,
	sessionIds: string[],
	calls: number,
	runs: number,
	workflows: Record<S, WorkflowFile>,
): Promise<Record<S, SideResult>> {
	const names = Object.keys(workflows) as S[];
	const ids = {} as Record<S, string>;
	for (const side of names) ids[side] = await stack.api.createWorkflow(workflows[side]);
	// One run of each side first: module loading, JIT, the task runner's start.
	for (const side of names) await runOnce(stack, ids[side], sessionIds, calls);
	const out = Object.fromEntries(
		names.map((n) => [n, { executionMs: [], nodeMs: [], cpuMs: [] }]),
	) as unknown as Record<S, SideResult>;
	for (let run = 0; run < runs; run++) {
		const order = [...names.slice(run % names.length), ...names.slice(0, run % names.length)];
		const line: string[] = [];
		for (const side of order) {
			const { execution, cpuMs: used } = await runOnce(stack, ids[side], sessionIds, calls);
			out[side].executionMs.push(recordedMs(execution));
			out[side].nodeMs.push(nodeTimeMs(execution, CALLER) ?? NaN);
			out[side].cpuMs.push(used);
			line.push(`${side} ${recordedMs(execution)} ms (node ${nodeTimeMs(execution, CALLER)} ms)`);
		}
		console.log(`  ${label} run ${run + 1}/${runs}: ${line.join(', ')}`);
	}
	return out;
}

const ratios = (a: number[], b: number[]) => a.map((v, i) => v / b[i]);
const perCall = (values: number[], calls: number) => round((median(values) * 1000) / calls, 0);

function sideDetail(r: SideResult, calls: number) {
	return {
		execution_ms: r.executionMs,
		node_ms: r.nodeMs,
		us_per_call: perCall(r.executionMs, calls),
		node_us_per_call: perCall(r.nodeMs, calls),
		n8n_cpu_us_per_call: perCall(r.cpuMs, calls),
	};
}

export async function benchVsHttpRequest(stack: BenchStack, plan: GetsPlan): Promise<Figure> {
	const sessionIds = await createSessions(stack.sandbox, 100);
	const { calls, runs } = plan;
	const r = await compare(stack, 'vs HTTP Request', sessionIds, calls, runs, {
		ottu: ottuGets(stack, sessionIds, calls, 1),
		http: httpRequestGets(stack, sessionIds, calls),
		// Diagnostic: the HTTP Request node paced to one request started per millisecond (its nearest to one at a time).
		httpPaced: httpRequestGets(stack, sessionIds, calls, { batchSize: 1, batchInterval: 1 }),
	});
	const value = median(ratios(r.ottu.executionMs, r.http.executionMs));
	return {
		key: 'vs_http_request_ratio',
		value: round(value, 3),
		target: '<= 1.0',
		met: value <= 1.0,
		detail: {
			calls,
			runs,
			ratios: ratios(r.ottu.executionMs, r.http.executionMs).map((x) => round(x, 3)),
			node_time_ratio: round(median(ratios(r.ottu.nodeMs, r.http.nodeMs)), 3),
			cpu_ratio: round(median(ratios(r.ottu.cpuMs, r.http.cpuMs)), 3),
			vs_paced_http_request_ratio: round(
				median(ratios(r.ottu.executionMs, r.httpPaced.executionMs)),
				3,
			),
			ottu_node: sideDetail(r.ottu, calls),
			http_request_node: sideDetail(r.http, calls),
			http_request_node_paced: sideDetail(r.httpPaced, calls),
			sides:
				"Ottu node at Concurrency 1 (its default) ÷ HTTP Request node 4.2 with default options (it starts every item's request before awaiting any); paced = Batching 1 item every 1 ms",
			load_average: os.loadavg().map((x) => round(x, 1)),
		},
	};
}

export async function benchVsHttpRequestConcurrency(
	stack: BenchStack,
	plan: GetsPlan,
): Promise<Figure> {
	const sessionIds = await createSessions(stack.sandbox, 50);
	const { calls, latencyMs, concurrency, concurrencyRuns: runs } = plan;
	await stack.sandbox.client.addFault({
		route: 'GET /b/checkout/v1/pymt-txn/*',
		kind: 'latency',
		ms: latencyMs,
	});
	try {
		const r = await compare(stack, 'vs HTTP Request, 25 ms latency', sessionIds, calls, runs, {
			ottu: ottuGets(stack, sessionIds, calls, concurrency),
			http: httpRequestGets(stack, sessionIds, calls, {
				batchSize: concurrency,
				batchInterval: latencyMs,
			}),
			httpAllAtOnce: httpRequestGets(stack, sessionIds, calls),
		});
		const value = median(ratios(r.ottu.executionMs, r.http.executionMs));
		return {
			key: 'vs_http_request_concurrency_ratio',
			value: round(value, 3),
			target: '<= 1.0',
			met: value <= 1.0,
			detail: {
				calls,
				runs,
				latency_ms: latencyMs,
				concurrency,
				ratios: ratios(r.ottu.executionMs, r.http.executionMs).map((x) => round(x, 3)),
				node_time_ratio: round(median(ratios(r.ottu.nodeMs, r.http.nodeMs)), 3),
				vs_all_at_once_ratio: round(
					median(ratios(r.ottu.executionMs, r.httpAllAtOnce.executionMs)),
					3,
				),
				ottu_node: sideDetail(r.ottu, calls),
				http_request_node: sideDetail(r.http, calls),
				http_request_node_all_at_once: sideDetail(r.httpAllAtOnce, calls),
				sides: `Ottu node at Concurrency ${concurrency} ÷ HTTP Request node with Batching ${concurrency} items every ${latencyMs} ms (a batch is started, not awaited: ${concurrency} every ${latencyMs} ms keeps about ${concurrency} in flight at ${latencyMs} ms latency); all at once = default options`,
				load_average: os.loadavg().map((x) => round(x, 1)),
			},
		};
	} finally {
		await stack.sandbox.client.clearFaults();
	}
}
