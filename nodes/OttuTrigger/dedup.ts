/**
 * Remembers recent deliveries so that a webhook Ottu repeats (a retry after a timeout, a staff "notify")
 * does not start the workflow twice. Two memories, both bounded:
 * - this process's memory (a module-level map, per workflow and node): n8n loads the workflow's static
 *   data afresh for each request and saves it afterwards, the last writer winning, so on its own the
 *   static data lets identical deliveries at the same instant all run and loses keys in a burst. The
 *   check-and-record below is synchronous, so on one process no delivery passes twice;
 * - the node's workflow static data (saved by n8n with the workflow), which carries keys across a restart.
 *   Each save writes this process's whole memory, so keys of a burst survive.
 * A key is *pending* from the moment the node hands its delivery to n8n until n8n has answered it: a
 * 2xx confirms it, anything else forgets it (n8n could not save or queue the execution, and saves no
 * static data then) and marks it failed here, so that a re-send to this process runs even when another
 * request's save carried the key into the static data. A copy arriving here meanwhile waits for the
 * outcome instead of being answered 2xx for a run that may fail. (Pending keys are still saved: n8n
 * 2.41 writes back each execution's copy of the static data, taken before its answer, so a save that
 * left them out would leave the database with almost nothing after a burst.)
 * Left open: a copy reaching another webhook process usually runs again. Static data is saved whole per
 * request and written back stale by queue workers (n8n 2.41), and a node cannot merge the database
 * copy: see RELIABILITY.md (webhooks in queue mode).
 */
import type { IDataObject } from 'n8n-workflow';

export const DEDUP_STORE_KEY = 'ottuRecentDeliveries';
/** Entries kept per node in static data (a key is 32 hex digits: about 50 bytes an entry as JSON). */
export const DEDUP_MAX_ENTRIES = 1000;
/** Entries kept in this process's memory, all workflows together (about 100 bytes each). */
export const MEMORY_MAX_ENTRIES = 20_000;
/** Entries kept in this process's memory for one workflow's trigger node (twice the static data's). */
export const MEMORY_MAX_PER_NODE = 2 * DEDUP_MAX_ENTRIES;
/** Longest key accepted into either memory, so the byte bound holds whatever the caller passes. */
const MAX_KEY_LENGTH = 64;

/** scope (workflow + node) → key → time first seen; Maps keep insertion order. */
const memory = new Map<string, Map<string, number>>();
let memoryEntries = 0;
/** scope + key → resolves true once n8n answered the delivery 2xx, false when it did not. */
const pending = new Map<string, Promise<boolean>>();
const pendingId = (scope: string, key: string) => `${scope}\n${key}`;
/** scope + key → when its delivery failed to start here: a stored copy from before then is no repeat. */
const failed = new Map<string, number>();
let bounds = {
	perNode: MEMORY_MAX_PER_NODE,
	total: MEMORY_MAX_ENTRIES,
};

function dropOldest(scope: string, seen: Map<string, number>): void {
	const oldest = seen.keys().next();
	if (!oldest.done && seen.delete(oldest.value)) memoryEntries--;
	if (seen.size === 0) memory.delete(scope);
}

function remember(scope: string, key: string, at: number, windowMs: number): void {
	const seen = memory.get(scope) ?? new Map<string, number>();
	// Re-inserted so that the scope used last is evicted last.
	memory.delete(scope);
	memory.set(scope, seen);
	if (seen.delete(key)) memoryEntries--;
	seen.set(key, at);
	memoryEntries++;
	// Entries arrive in time order: expired ones sit at the front.
	for (const [k, seenAt] of seen) {
		if (k === key || fresh(seenAt, at, windowMs)) break;
		dropOldest(scope, seen);
	}
	while (seen.size > bounds.perNode) dropOldest(scope, seen);
	while (memoryEntries > bounds.total) {
		const [oldestScope, entries] = memory.entries().next().value as [string, Map<string, number>];
		dropOldest(oldestScope, entries);
	}
}

function storedEntries(staticData: IDataObject): Record<string, number> {
	const stored = staticData[DEDUP_STORE_KEY];
	return typeof stored === 'object' && stored !== null && !Array.isArray(stored)
		? (stored as Record<string, number>)
		: {};
}

function fresh(at: unknown, now: number, windowMs: number): at is number {
	return typeof at === 'number' && now - at >= 0 && now - at < windowMs;
}

/** Writes the union of the loaded static data and this process's memory, newest last, bounded. */
function save(
	staticData: IDataObject,
	scope: string,
	now: number,
	windowMs: number,
	maxEntries: number,
): void {
	const merged = new Map<string, number>();
	for (const [k, at] of Object.entries(storedEntries(staticData)))
		if (fresh(at, now, windowMs) && k.length <= MAX_KEY_LENGTH) merged.set(k, at);
	for (const [k, at] of memory.get(scope) ?? [])
		if (fresh(at, now, windowMs) && !(merged.has(k) && merged.get(k)! >= at)) merged.set(k, at);
	const sorted = [...merged.entries()].sort((a, b) => a[1] - b[1]);
	// A prototype-less object, which V8 keeps as a plain dictionary: with Object.fromEntries this save cost
	// about 5 ms of CPU per delivery once 1,000 keys were remembered (V8 building object shapes for each new
	// set of keys), under 1 ms this way. JSON.stringify, and so n8n's saving, treat both alike.
	const entries: Record<string, number> = Object.create(null);
	for (const [k, at] of sorted.slice(Math.max(0, sorted.length - maxEntries))) entries[k] = at;
	staticData[DEDUP_STORE_KEY] = entries;
}

/**
 * Returns true when `key` was seen within `windowMs` before `now` by this process or in the static data
 * (a repeat); otherwise records it in both and returns false. `scope` names the workflow and node.
 */
export function isRepeatDelivery(
	staticData: IDataObject,
	key: string,
	now: number,
	windowMs: number,
	scope = '',
	maxEntries: number = DEDUP_MAX_ENTRIES,
): boolean {
	if (key.length > MAX_KEY_LENGTH)
		throw new RangeError(`A de-duplication key is at most ${MAX_KEY_LENGTH} characters`);
	if (fresh(memory.get(scope)?.get(key), now, windowMs)) return true;
	const stored = storedEntries(staticData)[key];
	const failedAt = failed.get(pendingId(scope, key));
	if (fresh(stored, now, windowMs) && !(failedAt !== undefined && stored <= failedAt)) {
		remember(scope, key, stored, windowMs);
		return true;
	}
	remember(scope, key, now, windowMs);
	save(staticData, scope, now, windowMs, maxEntries);
	return false;
}

/** Waits while a delivery with this key is being handed to n8n by this process. */
export async function settledDelivery(key: string, scope = ''): Promise<void> {
	for (let waiting = pending.get(pendingId(scope, key)); waiting;) {
		await waiting;
		waiting = pending.get(pendingId(scope, key));
	}
}

/**
 * Marks a just-recorded key as pending; the returned function settles it: `started` true keeps the key,
 * false forgets it so that the delivery runs when sent again.
 */
export function pendingDelivery(key: string, scope = ''): (started: boolean) => void {
	const id = pendingId(scope, key);
	let resolve: (started: boolean) => void = () => undefined;
	pending.set(
		id,
		new Promise<boolean>((r) => {
			resolve = r;
		}),
	);
	let settled = false;
	return (started) => {
		if (settled) return;
		settled = true;
		pending.delete(id);
		if (!started) forget(scope, key);
		if (started) failed.delete(id);
		resolve(started);
	};
}

function forget(scope: string, key: string): void {
	// Bounded like the memory: the oldest failure is dropped first.
	failed.delete(pendingId(scope, key));
	failed.set(pendingId(scope, key), Date.now());
	if (failed.size > bounds.total) failed.delete(failed.keys().next().value as string);
	const seen = memory.get(scope);
	if (seen?.delete(key)) memoryEntries--;
	if (seen?.size === 0) memory.delete(scope);
}

/** For tests: empties this process's memory and sets its bounds (default: the constants above). */
export function clearDeliveryMemory(
	perNode = MEMORY_MAX_PER_NODE,
	total = MEMORY_MAX_ENTRIES,
): void {
	memory.clear();
	pending.clear();
	failed.clear();
	memoryEntries = 0;
	bounds = {
		perNode,
		total,
	};
}

/** For tests: the number of keys in this process's memory, for one scope or all. */
export function deliveryMemorySize(scope?: string): number {
	return scope === undefined ? memoryEntries : (memory.get(scope)?.size ?? 0);
}
