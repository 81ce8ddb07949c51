/** Running workflows in the e2e n8n and reading what their nodes produced. */
import type { N8nApi } from '../../scripts/dev/n8nApi';
import type { E2eState } from './state';

export interface Execution {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	stoppedAt?: string | null;
	data?: {
		resultData: {
			error?: { message: string };
			lastNodeExecuted?: string;
			runData: Record<
				string,
				Array<{
					error?: { message: string };
					data?: {
						main: Array<Array<{
							json: Record<string, unknown>;
							binary?: Record<string, BinaryRef>;
						}> | null>;
					};
				}>
			>;
		};
	};
}

export interface BinaryRef {
	fileName?: string;
	mimeType?: string;
	fileSize?: string;
	id?: string;
	data?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a stored workflow from one of its triggers, as the editor's "Execute workflow" button does. */
export async function runManually(
	api: N8nApi,
	workflowId: string,
	triggerName: string,
): Promise<string> {
	const result = await api.call<{ executionId?: string }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{
			triggerToStartFrom: { name: triggerName },
		},
	);
	if (!result.executionId)
		throw new Error(`manual run of ${workflowId} started no execution: ${JSON.stringify(result)}`);
	return result.executionId;
}

export async function getExecution(api: N8nApi, id: string): Promise<Execution> {
	return await api.call<Execution>('GET', `/api/v1/executions/${id}?includeData=true`);
}

/** Waits until the execution has stopped (success or error). */
export async function waitForExecution(
	api: N8nApi,
	id: string,
	timeoutMs = 60_000,
): Promise<Execution> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		// A read, polled: a connection n8n reset (a busy machine, a kept-alive socket closed under us) is retried.
		const res = await api
			.request<Execution>('GET', `/api/v1/executions/${id}?includeData=true`)
			.catch((error: Error) => {
				if (Date.now() > deadline) throw error;
				return { status: 0, body: {} as Execution };
			});
		if (
			res.status === 200 &&
			res.body.stoppedAt &&
			res.body.status !== 'running' &&
			res.body.status !== 'new'
		)
			return res.body;
		if (Date.now() > deadline)
			throw new Error(
				`execution ${id} did not finish within ${timeoutMs / 1000} s (last: ${res.status} ${JSON.stringify(res.body).slice(0, 200)})`,
			);
		await sleep(250);
	}
}

export async function executionsOf(api: N8nApi, workflowId: string): Promise<Execution[]> {
	const page = await api.call<{ data: Execution[] }>(
		'GET',
		`/api/v1/executions?workflowId=${workflowId}&limit=100`,
	);
	return page.data;
}

/** Waits for the number of executions of a workflow to reach `count`, then returns the newest, finished. */
export async function waitForExecutionCount(
	api: N8nApi,
	workflowId: string,
	count: number,
	timeoutMs = 60_000,
): Promise<Execution> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await executionsOf(api, workflowId);
		if (list.length >= count) {
			const newest = list.reduce((a, b) => (Number(a.id) > Number(b.id) ? a : b));
			return await waitForExecution(api, newest.id, Math.max(1000, deadline - Date.now()));
		}
		if (Date.now() > deadline)
			throw new Error(
				`workflow ${workflowId} has ${list.length} executions, expected ${count}, after ${timeoutMs / 1000} s`,
			);
		await sleep(250);
	}
}

/** The items a node emitted on an output (0 = main, 1 = the error output when "On Error" is set to use it). */
export function nodeOutput(
	execution: Execution,
	nodeName: string,
	output = 0,
): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName];
	if (!runs || runs.length === 0)
		throw new Error(
			`node "${nodeName}" did not run (ran: ${Object.keys(execution.data?.resultData.runData ?? {}).join(', ')})`,
		);
	return (runs[runs.length - 1].data?.main[output] ?? []).map((i) => i.json);
}

export function nodeBinaries(
	execution: Execution,
	nodeName: string,
): Array<Record<string, BinaryRef>> {
	const runs = execution.data?.resultData.runData[nodeName] ?? [];
	return (runs[runs.length - 1]?.data?.main[0] ?? []).map((i) => i.binary ?? {});
}

export function executionError(execution: Execution): string | undefined {
	return execution.data?.resultData.error?.message;
}

/** POST to a production webhook of the e2e n8n. */
export async function callWebhook(
	state: E2eState,
	urlPath: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; text: string }> {
	const res = await fetch(`${state.n8nUrl}/webhook/${urlPath.replace(/^\//, '')}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON
	}
	return { status: res.status, body: parsed, text };
}

/**
 * Waits until n8n serves the production webhook at `urlPath` (a POST-only webhook of a workflow just
 * published): n8n registers it a moment after the publish call has answered. Asks with GET, which n8n
 * refuses without running anything, naming the method once the path is registered.
 */
export async function waitForWebhook(
	n8nUrl: string,
	urlPath: string,
	timeoutMs = 30_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(`${n8nUrl}/webhook/${urlPath.replace(/^\//, '')}`);
		const text = await res.text();
		if (res.status !== 404 || /Did you mean/i.test(text)) return;
		if (Date.now() > deadline)
			throw new Error(
				`the webhook ${urlPath} was not registered within ${timeoutMs / 1000} s: ${text}`,
			);
		await sleep(250);
	}
}
