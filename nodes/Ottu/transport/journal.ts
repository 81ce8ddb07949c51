/**
 * The execution journal: what became of each write of each item in this execution. n8n's Retry On Fail runs
 * the node again with the same input and the same run data, and an execution's Retry (Executions list)
 * continues from the failed execution's saved run data; both keep the node's context (getContext('node')),
 * so the journal lives there. A write already answered is not sent again (its answer is the result); a write
 * whose answer was lost is not sent again blind unless its policy makes a repeat harmless.
 */
import { createHash } from 'node:crypto';

import type {
	DeduplicationHelperFunctions,
	ICheckProcessedOptions,
	IDataObject,
	IExecuteFunctions,
} from 'n8n-workflow';

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

/**
 * The durable mark: n8n's processed-data store (its database, written at once) records each write sent once
 * before it leaves. The journal above is saved with the execution when the node ends, so a worker killed
 * mid-request loses it; the mark survives, and a Retry of that execution does not send the write blind.
 */
type MarkStore = Pick<DeduplicationHelperFunctions, 'checkProcessedAndRecord' | 'removeProcessed'>;

/** The most recent writes remembered per node; each is a 24-character hash in one database row. */
const MARK_OPTIONS: ICheckProcessedOptions = {
	mode: 'entries',
	maxEntries: 1000,
};

function markStore(ctx: OttuFunctions): MarkStore | undefined {
	const helpers = (ctx as IExecuteFunctions).helpers as Partial<MarkStore> | undefined;
	if (typeof helpers?.checkProcessedAndRecord !== 'function') return undefined;
	if (typeof helpers.removeProcessed !== 'function') return undefined;
	return helpers as MarkStore;
}

/** A multipart body's hash without its boundary, which is drawn afresh for each request. */
function multipartIdentity(multipart: { data: Buffer; contentType: string }): string {
	const boundary = /boundary=([^;]+)/.exec(multipart.contentType)?.[1] ?? '';
	const text = multipart.data.toString('latin1');
	return createHash('sha256')
		.update(boundary ? text.split(boundary).join('') : text, 'latin1')
		.digest('hex');
}

/** Which write of which item this is, and what it asks for; a retried execution's copy asks for the same. */
export function writeIdentity(slot: JournalSlot, request: OttuRequest): string {
	const file = request.multipart ? multipartIdentity(request.multipart) : null;
	return itemHash({
		slot: slot.id,
		method: request.method,
		path: request.path,
		qs: request.qs ?? null,
		body: request.body ?? null,
		file,
	});
}

/**
 * Records the write; true when an earlier execution of this node recorded the same one. Without the store
 * (an n8n without it, its database briefly unavailable) the journal alone protects, as before.
 */
export async function markDurably(ctx: OttuFunctions, identity: string): Promise<boolean> {
	const store = markStore(ctx);
	if (store === undefined) return false;
	return await inTurn(ctx, async () => {
		const out = await store.checkProcessedAndRecord([identity], 'node', MARK_OPTIONS);
		return out.processed.length > 0;
	}).catch(() => false);
}

/** Ottu refused the write, or it never left: a later execution sending it is a first try. */
export async function unmarkDurably(ctx: OttuFunctions, identity: string): Promise<void> {
	const store = markStore(ctx);
	if (store === undefined) return;
	// On failure the mark stays: a retry then says "check first" instead of sending, the safe side.
	await inTurn(ctx, async () => {
		await store.removeProcessed([identity], 'node', MARK_OPTIONS);
	}).catch(() => undefined);
}

const turns = new Map<string, Promise<unknown>>();

/** The store's row: one per workflow and node, shared by every execution of that node. */
function rowOf(ctx: OttuFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}\n${ctx.getNode().id}`;
}

/**
 * n8n stores a node's records as one row it reads and writes back whole: whatever writes that row in this
 * process (items sent side by side, other executions of the same workflow) takes turns, or one would write
 * back a row without the other's record.
 */
async function inTurn<T>(ctx: OttuFunctions, work: () => Promise<T>): Promise<T> {
	const row = rowOf(ctx);
	const previous = turns.get(row) ?? Promise.resolve();
	const mine = previous.catch(() => undefined).then(work);
	turns.set(row, mine);
	try {
		return await mine;
	} finally {
		if (turns.get(row) === mine) turns.delete(row);
	}
}

/** An execution started from the Executions list's Retry (also of one that crashed). */
export function isRetry(ctx: OttuFunctions): boolean {
	return typeof ctx.getMode === 'function' && ctx.getMode() === 'retry';
}
