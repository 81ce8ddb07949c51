/**
 * What the Report Trigger backlog tests share (regular n8n in e2e/, queue mode in e2e/queue/): a sandbox of
 * their own with Ottu's download quota on a shortened window, the trigger's workflow, the reports each run
 * emitted, and the memory of the n8n process that downloads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { N8nApi, WorkflowFile } from '../../scripts/dev/n8nApi';
import type { SandboxKeys, Service } from '../../scripts/dev/stack';
import { freePort, startSandbox } from '../../scripts/dev/stack';
import type { SandboxClient } from '../../sandbox/client';
import { CsvReportStream } from '../../sandbox/core/reportFiles';
import type { Execution } from './n8n';
import { executionsOf, waitForExecution } from './n8n';

export const TRIGGER = 'Ottu Report Trigger';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(
	what: string,
	timeoutMs: number,
	done: () => Promise<boolean>,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await done())) {
		if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
		await sleep(1000);
	}
}

/** SHA-256 of a stream, read chunk by chunk. */
export async function sha256(stream: NodeJS.ReadableStream): Promise<string> {
	const hash = createHash('sha256');
	await pipeline(
		stream,
		new Writable({
			write(chunk: Buffer, _enc, next) {
				hash.update(chunk);
				next();
			},
		}),
	);
	return hash.digest('hex');
}

export function backlogKeys(): SandboxKeys {
	return {
		apiKey: `sbx.backlog.${randomBytes(12).toString('hex')}`,
		username: 'merchant',
		password: randomBytes(12).toString('hex'),
		hmacKey: randomBytes(16).toString('hex'),
	};
}

/** A sandbox of the test's own, with Ottu's 25 downloads per window on a window of `windowS` seconds. */
export async function startBacklogSandbox(
	dir: string,
	windowS: number,
	keys: SandboxKeys,
): Promise<Service> {
	const saved = process.env.OTTU_SANDBOX_DOWNLOAD_WINDOW_SECONDS;
	process.env.OTTU_SANDBOX_DOWNLOAD_WINDOW_SECONDS = String(windowS);
	try {
		return await startSandbox({
			port: await freePort(),
			keys,
			logFile: path.join(dir, 'sandbox.log'),
		});
	} finally {
		if (saved === undefined) delete process.env.OTTU_SANDBOX_DOWNLOAD_WINDOW_SECONDS;
		else process.env.OTTU_SANDBOX_DOWNLOAD_WINDOW_SECONDS = saved;
	}
}

export interface SeededReport {
	name: string;
	daysAgo: number;
	size: number;
	/** false: served without Content-Length. */
	contentLength?: boolean;
}

/** Seeds the backlog as weekly manual reports; returns each report's size by name. */
export async function seedBacklog(
	client: SandboxClient,
	reports: SeededReport[],
): Promise<Map<string, number>> {
	const sizes = new Map<string, number>();
	for (const r of reports) {
		await client.seedReports({
			report_name: r.name,
			days_ago: r.daysAgo,
			size_bytes: r.size,
			interval: 'weekly',
			source: 'manual',
			...(r.contentLength === false ? { content_length: false } : {}),
		});
		sizes.set(r.name, r.size);
	}
	return sizes;
}

const csvHashes = new Map<number, string>();

/** The SHA-256 of the sandbox's file of this size (files of one size are the same bytes). */
export async function csvSha256(size: number): Promise<string> {
	if (!csvHashes.has(size)) csvHashes.set(size, await sha256(new CsvReportStream(size)));
	return csvHashes.get(size)!;
}

/** The trigger polling every minute (n8n's shortest), for the weekly manual reports the test seeds. */
export function backlogWorkflow(
	credential: { id: string; name: string },
	downloadOptions: Record<string, unknown>,
): WorkflowFile {
	return {
		name: 'Report backlog',
		nodes: [
			{
				name: TRIGGER,
				type: 'n8n-nodes-ottu.ottuReportTrigger',
				typeVersion: 1,
				position: [0, 0],
				credentials: { ottuApi: credential },
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					// Only the seeded reports (the sandbox's default reports are daily or automatic).
					filters: { interval: 'weekly', source: 'manual' },
					includeDays: 7,
					download: true,
					downloadOptions: { downloadBacklog: true, ...downloadOptions },
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

export interface Emitted {
	execution: string;
	report_name: string;
	encrypted_id: string;
	file?: { id?: string; fileSize?: string };
	file_missing?: string;
}

function emittedBy(execution: Execution): Emitted[] {
	const runs = execution.data?.resultData.runData[TRIGGER] ?? [];
	const items = runs[runs.length - 1]?.data?.main[0] ?? [];
	return items.map((i) => ({
		execution: execution.id,
		report_name: String(i.json.report_name),
		encrypted_id: String(i.json.encrypted_id),
		file: i.binary?.data,
		file_missing: i.json.file_missing as string | undefined,
	}));
}

/** Every report the workflow's trigger runs emitted so far (waiting for those still running). */
export async function emittedReports(api: N8nApi, workflowId: string): Promise<Emitted[]> {
	const list = (await executionsOf(api, workflowId)).filter((e) => e.mode === 'trigger');
	const done = await Promise.all(list.map(async (e) => await waitForExecution(api, e.id, 120_000)));
	return done.flatMap(emittedBy);
}

/** The day a seeded report was made ("Day -3 report 1" → 3) */
export function dayOf(report: Emitted): number {
	return Number(/-(\d+)/.exec(report.report_name)![1]);
}

/** The days of each run's reports, oldest first within every run. */
export function daysPerRun(all: Emitted[]): number[][] {
	return [...new Set(all.map((e) => e.execution))].map((run) =>
		all.filter((e) => e.execution === run).map(dayOf),
	);
}

/** The resident memory of a process, in bytes. */
function rss(pid: number): number {
	return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })) * 1024;
}

/** Each n8n process's memory: after it started, and its highest while the trigger downloads. */
export class MemorySampler {
	readonly processes: Array<{ baseline: number; peak: number }> = [];

	private readonly timer: NodeJS.Timeout;

	constructor(private readonly pid: () => number) {
		this.fromNow();
		this.timer = setInterval(() => {
			try {
				const current = this.processes[this.processes.length - 1];
				current.peak = Math.max(current.peak, rss(this.pid()));
			} catch {
				// n8n is restarting
			}
		}, 250);
	}

	/** A new process (after a restart): its own baseline. */
	fromNow(): void {
		const baseline = rss(this.pid());
		this.processes.push({ baseline, peak: baseline });
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/** The largest growth over a baseline, in bytes. */
	growth(): number {
		return Math.max(...this.processes.map((p) => p.peak - p.baseline));
	}
}

export const DOWNLOAD_PATH = /\/b\/api\/v1\/reports\/files\/[^/]+\/download\/$/;
