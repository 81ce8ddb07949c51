/**
 * One report download in a fresh process, so its peak RSS is not hidden by (or blamed on) heap left over
 * from other figures. Started by bench/run.ts: `node --expose-gc --import tsx bench/download.ts '<json job>'`.
 *   mode "node":  Ottu → Report → Download through n8n's engine into binary data (filesystem mode);
 *   mode "axios": axios with responseType "stream" piped to a file.
 * Answers over IPC with the time, the bytes written and the memory peak.
 */
import axios from 'axios';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';

import { collectGarbage, MemorySampler } from './measure';
import type { MemoryPeak } from './measure';

export interface DownloadJob {
	mode: 'node' | 'axios';
	baseUrl: string;
	apiKey: string;
	/** The report's download_action (as Report → Get Many outputs it). */
	downloadAction: { method: string; url: string };
	/** A small report downloaded first, so lazily loaded code and sockets are not counted. */
	warmupAction: { method: string; url: string };
	/** Binary data storage (node) or the output file (axios). */
	target: string;
}

export interface DownloadResult {
	ms: number;
	cpuMs: number;
	bytes: number;
	memory: MemoryPeak;
}

async function viaNode(job: DownloadJob, action: DownloadJob['downloadAction']): Promise<number> {
	const { runOttu, useFilesystemBinaryData } = await import('./harness');
	await useFilesystemBinaryData(job.target);
	const { items, error } = await runOttu(
		{ resource: 'report', operation: 'download', binaryPropertyName: 'data' },
		[{ download_action: action }],
		{ baseUrl: job.baseUrl, authentication: 'apiKey', apiKey: job.apiKey },
	);
	if (error) throw error;
	const binary = items[0]?.binary?.data;
	if (!binary?.id)
		throw new Error(
			`the node returned no binary data in filesystem mode: ${JSON.stringify(items[0]?.json)}`,
		);
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const file = Container.get(BinaryDataService).getPath(binary.id);
	return statSync(file).size;
}

async function viaAxios(job: DownloadJob, action: DownloadJob['downloadAction']): Promise<number> {
	const res = await axios.get(action.url, {
		responseType: 'stream',
		headers: { Authorization: `Api-Key ${job.apiKey}` },
	});
	await pipeline(res.data, createWriteStream(job.target));
	return statSync(job.target).size;
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as DownloadJob;
	const download = job.mode === 'node' ? viaNode : viaAxios;
	await download(job, job.warmupAction);
	if (job.mode === 'axios') rmSync(job.target, { force: true });
	collectGarbage();
	const sampler = new MemorySampler().start();
	const cpu = process.cpuUsage();
	const start = performance.now();
	const bytes = await download(job, job.downloadAction);
	const ms = performance.now() - start;
	const used = process.cpuUsage(cpu);
	const result: DownloadResult = {
		ms,
		cpuMs: (used.user + used.system) / 1000,
		bytes,
		memory: sampler.stop(),
	};
	process.send?.(result);
	process.disconnect?.();
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
