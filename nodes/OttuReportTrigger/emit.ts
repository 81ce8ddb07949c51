import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { downloadReportFile } from './download';
import type { Quota } from './quota';
import { downloadsLeft, pauseDownloads, quotaRefusal, spendDownload } from './quota';
import type { Candidate, ReportState } from './seen';

/** Polls a file may fail to download before its report is emitted without it. */
export const MAX_FILE_FAILURES = 3;

export interface EmitSettings {
	download: boolean;
	downloadBacklog: boolean;
	property: string;
	maxBytes: number;
	quota: Quota;
}

/** The report without its file, saying why (in `file_missing`). */
function withoutFile(report: IDataObject, why: string): INodeExecutionData {
	return { json: { ...report, file_missing: why } };
}

/** Its output item; 'quota' when the download quota is used up (it waits); undefined after a failure. */
async function itemFor(
	ctx: IPollFunctions,
	candidate: Candidate,
	state: ReportState,
	settings: EmitSettings,
): Promise<INodeExecutionData | 'quota' | undefined> {
	const { report } = candidate;
	if (!settings.download) return { json: report };
	if (candidate.backlog && !settings.downloadBacklog) {
		return withoutFile(
			report,
			'Not downloaded: the report was already there when the trigger was activated (turn on Download Files of Older Reports to get it)',
		);
	}
	if (downloadsLeft(state, settings.quota, Date.now()) <= 0) return 'quota';
	spendDownload(state, Date.now());
	try {
		const file = await downloadReportFile(ctx, report, settings.maxBytes);
		if ('missing' in file) return withoutFile(report, file.missing);
		return { json: report, binary: { [settings.property]: file.binary } };
	} catch (error) {
		const refusal = quotaRefusal(error);
		if (refusal) {
			pauseDownloads(state, settings.quota, Date.now(), refusal.retryAfterMs);
			return 'quota';
		}
		const waiting = state.waiting![candidate.key];
		waiting.failures += 1;
		if (waiting.failures < MAX_FILE_FAILURES) return undefined;
		const reason = error instanceof Error ? error.message : String(error);
		return withoutFile(
			report,
			`The file could not be downloaded in ${MAX_FILE_FAILURES} polls: ${reason}`,
		);
	}
}

/**
 * Emits the new reports oldest first, each with its file. A report whose file waits for the quota keeps
 * every later one waiting too (order is kept); a failed download waits alone and is tried again next poll.
 * Each report is marked seen the moment its item is made, so what is emitted is never emitted again.
 */
export async function emitReports(
	ctx: IPollFunctions,
	queue: Candidate[],
	state: ReportState,
	settings: EmitSettings,
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	state.waiting ??= {};
	let quotaUsedUp = false;
	for (const candidate of queue) {
		state.waiting[candidate.key] ??= { created: candidate.created, failures: 0 };
		const item = quotaUsedUp ? 'quota' : await itemFor(ctx, candidate, state, settings);
		if (item === 'quota') quotaUsedUp = true;
		if (item === 'quota' || item === undefined) continue;
		delete state.waiting[candidate.key];
		state.seen[candidate.key] = candidate.created;
		items.push(item);
	}
	return items;
}
