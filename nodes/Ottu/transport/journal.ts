/**
 * The execution journal: what became of each write of each item in this execution. n8n's Retry On Fail runs
 * the node again with the same input and the same run data, and an execution's Retry (Executions list)
 * continues from the failed execution's saved run data; both keep the node's context (getContext('node')),
 * so the journal lives there. A write already answered is not sent again (its answer is the result); a write
 * whose answer was lost is not sent again blind unless its policy makes a repeat harmless.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemHash } from '../helpers/trackingKey';
import type { OttuFunctions, OttuRequest } from './prepare';

/** `sent`: on its way, or its answer lost; `done`: Ottu's answer. */
type Entry = { input: string; state: 'sent' } | { input: string; state: 'done'; value: unknown };

const JOURNAL_KEY = 'ottuJournal';

export interface JournalSlot {
	entries: Record<string, Entry>;
	id: string;
	/** The input item's data: an entry of another item (a changed workflow, a loop) is not this one's. */
	input: string;
}

const runIndexes = new WeakMap<IExecuteFunctions, number>();

/** Which run of the node this is (a loop runs it again with other items); Retry On Fail keeps it. */
function runIndexOf(ctx: IExecuteFunctions): number {
	let runIndex = runIndexes.get(ctx);
	if (runIndex === undefined) {
		runIndex = Number(ctx.getWorkflowDataProxy(0).$runIndex) || 0;
		runIndexes.set(ctx, runIndex);
	}
	return runIndex;
}

/**
 * A request that changes something at Ottu: not a GET, and not a read sent as POST (payment methods, a status
 * check); a file upload stores a copy each time it is sent, whatever its retry policy.
 */
function isWrite(request: OttuRequest): boolean {
	if (request.method === 'GET') return false;
	return request.retry !== 'read' || request.multipart !== undefined;
}

/** The journal place of a write of one item in a node run; undefined for reads and outside a node run. */
export function journalSlot(ctx: OttuFunctions, request: OttuRequest): JournalSlot | undefined {
	if (!isWrite(request) || request.stream || request.itemIndex === undefined) return undefined;
	const exec = ctx as IExecuteFunctions;
	if (typeof exec.getContext !== 'function' || typeof exec.getInputData !== 'function')
		return undefined;
	const context = exec.getContext('node') as IDataObject;
	const entries = (context[JOURNAL_KEY] ??= {}) as Record<string, Entry>;
	return {
		entries,
		id: `${runIndexOf(exec)}:${request.itemIndex}:${request.method} ${request.path}`,
		input: itemHash(exec.getInputData()[request.itemIndex]?.json ?? {}),
	};
}

/** What an earlier try of this execution left for this write: its answer, a lost answer, or nothing. */
export function recall(
	slot: JournalSlot,
): { state: 'done'; value: unknown } | { state: 'sent' } | undefined {
	const entry = slot.entries[slot.id];
	if (entry === undefined || entry.input !== slot.input) return undefined;
	return entry.state === 'done' ? { state: 'done', value: entry.value } : { state: 'sent' };
}

/** Written before the request leaves: if nothing else is written, its outcome is unknown. */
export function markSent(slot: JournalSlot): void {
	slot.entries[slot.id] = { input: slot.input, state: 'sent' };
}

export function markDone(slot: JournalSlot, value: unknown): void {
	slot.entries[slot.id] = { input: slot.input, state: 'done', value };
}

/** Ottu refused it, or it never left: sending it again is a first try. */
export function forget(slot: JournalSlot): void {
	delete slot.entries[slot.id];
}
