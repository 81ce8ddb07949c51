/** The sandbox child process and the two sides of each figure: the node in n8n's engine, and axios direct. */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import axios from 'axios';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

import { runOttu } from './harness';
import { SandboxClient } from '../sandbox/client';
import type { ReportSeed } from '../sandbox/client';

export interface SandboxProcess {
	url: string;
	apiKey: string;
	child: ChildProcess;
	/** The sandbox's control API (faults, seeding). */
	client: SandboxClient;
}

/** Starts the sandbox in a child process (its own CPU and heap) and waits for its address. */
export async function startSandbox(options: Record<string, unknown> = {}): Promise<SandboxProcess> {
	const child = fork(path.join(__dirname, 'sandbox.ts'), [JSON.stringify(options)], {
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const ready = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
		child.once('message', (m) => resolve(m as { url: string; apiKey: string }));
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
	return { ...ready, child, client: new SandboxClient(ready.url, ready.apiKey) };
}

/** CPU time the sandbox process has used so far, ms. */
export async function sandboxCpuMs(sandbox: SandboxProcess): Promise<number> {
	return await new Promise((resolve) => {
		const onMessage = (m: unknown) => {
			if ((m as { type?: string }).type !== 'cpu') return;
			sandbox.child.off('message', onMessage);
			resolve((m as { ms: number }).ms);
		};
		sandbox.child.on('message', onMessage);
		sandbox.child.send({ type: 'cpu' });
	});
}

export async function stopSandbox(sandbox: SandboxProcess): Promise<void> {
	const exited = new Promise((resolve) => sandbox.child.once('exit', resolve));
	sandbox.child.disconnect();
	await exited;
}

export function credentialsFor(sandbox: SandboxProcess) {
	return { baseUrl: sandbox.url, authentication: 'apiKey', apiKey: sandbox.apiKey };
}

export function authHeaders(sandbox: SandboxProcess) {
	return { Authorization: `Api-Key ${sandbox.apiKey}`, Accept: 'application/json' };
}

export async function createSessions(sandbox: SandboxProcess, count: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const res = await axios.post(
			`${sandbox.url}/b/checkout/v1/pymt-txn/`,
			{
				type: 'e_commerce',
				amount: `${10 + i}.500`,
				currency_code: 'KWD',
				pg_codes: ['credit-card'],
				order_no: `bench-${i}`,
			},
			{ headers: authHeaders(sandbox) },
		);
		ids.push(res.data.session_id as string);
	}
	return ids;
}

/**
 * Sequential direct calls: what the same work costs without n8n and the node. Plain axios reuses connections
 * (Node's global agent keeps them alive); with `newConnectionEach`, every call gets a new http.Agent, which is
 * what n8n's request helper does, so the gap between the two is n8n's connection policy.
 */
export async function directGets(
	sandbox: SandboxProcess,
	sessionIds: string[],
	newConnectionEach = false,
): Promise<number> {
	const headers = authHeaders(sandbox);
	let ok = 0;
	for (const id of sessionIds) {
		const httpAgent = newConnectionEach ? new http.Agent() : undefined;
		const res = await axios.get(
			`${sandbox.url}/b/checkout/v1/pymt-txn/${encodeURIComponent(id)}/`,
			{ headers, httpAgent },
		);
		if (res.data.session_id === id) ok++;
	}
	return ok;
}

/**
 * The same calls through n8n's request helper (what httpRequestWithAuthentication ends in), without the engine
 * or the node: with the other sides it splits the node's overhead into n8n's HTTP layer and the rest.
 */
export async function n8nHelperGets(
	sandbox: SandboxProcess,
	sessionIds: string[],
): Promise<number> {
	let ok = 0;
	for (const id of sessionIds) {
		const answer = await n8nHelperGet<{ session_id?: string }>(
			sandbox,
			`/b/checkout/v1/pymt-txn/${encodeURIComponent(id)}/`,
		);
		if (answer.session_id === id) ok++;
	}
	return ok;
}

/** One GET through n8n's request helper with the options the node's transport uses, the body parsed as JSON. */
async function n8nHelperGet<T>(
	sandbox: SandboxProcess,
	path: string,
	qs?: Record<string, number>,
): Promise<T> {
	const res = await Container.get(OutboundHttp)
		.requests()
		.request<string>({
			method: 'GET',
			url: `${sandbox.url}${path}`,
			qs,
			headers: authHeaders(sandbox),
			timeout: 60_000,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			encoding: 'text',
			json: false,
		});
	return JSON.parse(res.body) as T;
}

/** `task(0)` … `task(count - 1)`, `limit` at a time, as a script would write it (the diagnostics' direct sides). */
async function inParallel(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/**
 * Direct calls, `concurrency` at a time (for the concurrency figure's diagnostics): with `newConnectionEach`,
 * every call gets a new http.Agent, as n8n's request helper does.
 */
export async function directGetsConcurrently(
	sandbox: SandboxProcess,
	sessionIds: string[],
	concurrency: number,
	newConnectionEach: boolean,
): Promise<number> {
	const headers = authHeaders(sandbox);
	let ok = 0;
	await inParallel(sessionIds.length, concurrency, async (i) => {
		const httpAgent = newConnectionEach ? new http.Agent() : undefined;
		const res = await axios.get(
			`${sandbox.url}/b/checkout/v1/pymt-txn/${encodeURIComponent(sessionIds[i])}/`,
			{ headers, httpAgent },
		);
		if (res.data.session_id === sessionIds[i]) ok++;
	});
	return ok;
}

/**
 * The same Get calls through the node with the Session ID typed in (no expression): what n8n's per-item
 * expression costs, by difference. Every call asks for the same transaction.
 */
export async function nodeGetsFixedId(
	sandbox: SandboxProcess,
	sessionId: string,
	calls: number,
): Promise<number> {
	const { items, error } = await runOttu(
		{
			resource: 'paymentTransaction',
			operation: 'get',
			sessionId,
			options: { concurrency: 1 },
		},
		Array.from({ length: calls }, () => ({})),
		credentialsFor(sandbox),
	);
	if (error) throw error;
	return items.filter((item) => item.json.session_id === sessionId).length;
}

export async function nodeGets(
	sandbox: SandboxProcess,
	sessionIds: string[],
	concurrency: number,
): Promise<number> {
	const { items, error } = await runOttu(
		{
			resource: 'paymentTransaction',
			operation: 'get',
			sessionId: '={{ $json.sid }}',
			options: { concurrency },
		},
		sessionIds.map((sid) => ({ sid })),
		credentialsFor(sandbox),
	);
	if (error) throw error;
	let ok = 0;
	items.forEach((item, i) => {
		if (item.json.session_id === sessionIds[i]) ok++;
	});
	return ok;
}

const REPORTS_PATH = '/b/api/v1/reports/files/';

/** Report → Get Many, Return All, through n8n's engine: how many reports came out. */
export async function nodeReportPages(sandbox: SandboxProcess): Promise<number> {
	const { items, error } = await runOttu(
		{ resource: 'report', operation: 'getAll', returnAll: true },
		[{}],
		credentialsFor(sandbox),
	);
	if (error) throw error;
	return new Set(items.map((item) => item.json.encrypted_id)).size;
}

/** The same pages fetched directly, limit/offset until `next` is null, results collected in one array. */
export async function directReportPages(
	sandbox: SandboxProcess,
	pageSize: number,
): Promise<number> {
	const headers = authHeaders(sandbox);
	const results: Array<{ encrypted_id: string }> = [];
	for (let offset = 0; ;) {
		const res = await axios.get(`${sandbox.url}${REPORTS_PATH}`, {
			headers,
			params: { limit: pageSize, offset },
		});
		const page = res.data as { next: string | null; results: Array<{ encrypted_id: string }> };
		results.push(...page.results);
		offset += page.results.length;
		if (!page.next || page.results.length === 0) break;
	}
	return new Set(results.map((r) => r.encrypted_id)).size;
}

/** Axios paging `pagesAtOnce` pages at a time after the first, as the node does (a diagnostic, not the figure's baseline). */
export async function directReportPagesConcurrently(
	sandbox: SandboxProcess,
	pageSize: number,
	pagesAtOnce: number,
): Promise<number> {
	const headers = authHeaders(sandbox);
	const get = async (offset: number) =>
		(
			await axios.get(`${sandbox.url}${REPORTS_PATH}`, {
				headers,
				params: { limit: pageSize, offset },
			})
		).data as { count: number; results: Array<{ encrypted_id: string }> };
	const first = await get(0);
	const offsets: number[] = [];
	for (let offset = first.results.length; offset < first.count; offset += first.results.length)
		offsets.push(offset);
	const batches: Array<Array<{ encrypted_id: string }>> = new Array(offsets.length);
	await inParallel(offsets.length, pagesAtOnce, async (k) => {
		batches[k] = (await get(offsets[k])).results;
	});
	return new Set(first.results.concat(...batches).map((r) => r.encrypted_id)).size;
}

/** Sequential paging through n8n's request helper alone (no engine, no node): n8n's per-request cost on paging. */
export async function n8nHelperReportPages(
	sandbox: SandboxProcess,
	pageSize: number,
): Promise<number> {
	const results: Array<{ encrypted_id: string }> = [];
	for (let offset = 0; ;) {
		const page = await n8nHelperGet<{
			next: string | null;
			results: Array<{ encrypted_id: string }>;
		}>(sandbox, REPORTS_PATH, { limit: pageSize, offset });
		results.push(...page.results);
		offset += page.results.length;
		if (!page.next || page.results.length === 0) break;
	}
	return new Set(results.map((r) => r.encrypted_id)).size;
}

export async function seedReports(sandbox: SandboxProcess, seed: ReportSeed): Promise<void> {
	await sandbox.client.seedReports(seed);
}

/** The download_action of the first listed report with this name. */
export async function downloadActionFor(
	sandbox: SandboxProcess,
	reportName: string,
): Promise<{ method: string; url: string }> {
	const res = await axios.get(`${sandbox.url}${REPORTS_PATH}`, {
		headers: authHeaders(sandbox),
		params: { limit: 200 },
	});
	const report = (
		res.data.results as Array<{
			report_name: string;
			download_action: { method: string; url: string };
		}>
	).find((r) => r.report_name === reportName);
	if (!report) throw new Error(`report "${reportName}" is not listed`);
	return report.download_action;
}

export interface Scenario {
	run: () => Promise<unknown>;
	close: () => Promise<void>;
}

/** One side of a figure, ready to run repeatedly (bench/profile.ts). */
export const scenarios: Record<string, () => Promise<Scenario>> = {
	overhead: async () => {
		const sandbox = await startSandbox();
		const ids = await createSessions(sandbox, 100);
		const workload = Array.from({ length: 2000 }, (_, i) => ids[i % ids.length]);
		return {
			run: async () => await nodeGets(sandbox, workload, 1),
			close: async () => await stopSandbox(sandbox),
		};
	},
	axios: async () => {
		const sandbox = await startSandbox();
		const ids = await createSessions(sandbox, 100);
		const workload = Array.from({ length: 2000 }, (_, i) => ids[i % ids.length]);
		return {
			run: async () => await directGets(sandbox, workload),
			close: async () => await stopSandbox(sandbox),
		};
	},
	'axios-new-connections': async () => {
		const sandbox = await startSandbox();
		const ids = await createSessions(sandbox, 100);
		const workload = Array.from({ length: 2000 }, (_, i) => ids[i % ids.length]);
		return {
			run: async () => await directGets(sandbox, workload, true),
			close: async () => await stopSandbox(sandbox),
		};
	},
	pagination: async () => {
		const sandbox = await startSandbox({ reports: [] });
		await seedReports(sandbox, { report_name: 'Bench page', count: 5000, size_bytes: 4096 });
		return {
			run: async () => await nodeReportPages(sandbox),
			close: async () => await stopSandbox(sandbox),
		};
	},
};
