/** Reading n8n's own execution records through its public API. */
import type { N8nApi } from '../../scripts/dev/n8nApi';

export interface ExecutionRecord {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string;
	stoppedAt?: string | null;
	data?: {
		resultData: {
			error?: { message: string };
			runData: Record<
				string,
				Array<{
					executionTime?: number;
					error?: { message: string };
					data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
				}>
			>;
		};
	};
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wall time n8n recorded for the execution, ms. */
export function recordedMs(e: ExecutionRecord): number {
	return Date.parse(e.stoppedAt!) - Date.parse(e.startedAt);
}

/** Every execution of the workflow with an id above `afterId` (newest first from the API, returned oldest first). */
export async function executionsAfter(
	api: N8nApi,
	workflowId: string,
	afterId: number,
	includeData: boolean,
): Promise<ExecutionRecord[]> {
	const out: ExecutionRecord[] = [];
	let cursor: string | undefined;
	for (;;) {
		const query = `workflowId=${workflowId}&limit=${includeData ? 100 : 250}&includeData=${includeData}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		const page = await api.call<{ data: ExecutionRecord[]; nextCursor?: string | null }>(
			'GET',
			`/api/v1/executions?${query}`,
		);
		const newer = page.data.filter((e) => Number(e.id) > afterId);
		out.push(...newer);
		if (!page.nextCursor || newer.length < page.data.length) break;
		cursor = page.nextCursor;
	}
	return out.sort((a, b) => Number(a.id) - Number(b.id));
}

/** The highest execution id of the workflow so far (0 when none). */
export async function lastExecutionId(api: N8nApi, workflowId: string): Promise<number> {
	const page = await api.call<{ data: ExecutionRecord[] }>(
		'GET',
		`/api/v1/executions?workflowId=${workflowId}&limit=1`,
	);
	return page.data.length ? Number(page.data[0].id) : 0;
}

const done = (e: ExecutionRecord) =>
	Boolean(e.stoppedAt) && e.status !== 'running' && e.status !== 'new';

/**
 * Waits until `count` executions after `afterId` have stopped, and returns them with their data; a few seconds
 * more for any extra one (a delivery run twice) to show up.
 */
export async function waitForExecutions(
	api: N8nApi,
	workflowId: string,
	afterId: number,
	count: number,
	timeoutMs: number,
): Promise<ExecutionRecord[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await executionsAfter(api, workflowId, afterId, false);
		if (list.length >= count && list.every(done)) break;
		if (Date.now() > deadline)
			throw new Error(
				`${list.filter(done).length} of ${count} executions finished within ${timeoutMs / 1000} s`,
			);
		await sleep(500);
	}
	return await executionsAfter(api, workflowId, afterId, true);
}

export async function waitForExecution(
	api: N8nApi,
	id: string,
	timeoutMs: number,
): Promise<ExecutionRecord> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await api.request<ExecutionRecord>(
			'GET',
			`/api/v1/executions/${id}?includeData=true`,
		);
		if (res.status === 200 && done(res.body)) return res.body;
		if (Date.now() > deadline)
			throw new Error(`execution ${id} did not finish within ${timeoutMs / 1000} s`);
		await sleep(200);
	}
}

/** The items a node put out on its main output in the execution. */
export function outputOf(e: ExecutionRecord, nodeName: string): Array<Record<string, unknown>> {
	const runs = e.data?.resultData.runData[nodeName] ?? [];
	return (runs[runs.length - 1]?.data?.main[0] ?? []).map((i) => i.json);
}

export function nodeTimeMs(e: ExecutionRecord, nodeName: string): number | undefined {
	const runs = e.data?.resultData.runData[nodeName] ?? [];
	return runs[runs.length - 1]?.executionTime;
}
