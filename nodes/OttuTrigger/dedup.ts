/**
 * Remembers recent deliveries so that a webhook Ottu repeats (a retry after a timeout, a staff "notify")
 * does not start the workflow twice. Two memories, both bounded:
 * - this process's memory (a module-level map, per workflow and node): n8n loads the workflow's static
 *   data afresh for each request and saves it afterwards, the last writer winning, so on its own the
 *   static data lets identical deliveries at the same instant all run and loses keys in a burst. The
 *   check-and-record below is synchronous, so on one process no delivery passes twice. Keys read from
 *   the static data are kept here too, so that this process's saves put back a key another process's
 *   save dropped;
 * - the node's workflow static data (saved by n8n with the workflow before it answers), shared by every
 *   webhook process and kept across restarts. Each save writes the loaded copy, this process's memory
 *   and the request's own key.
 * A key is *pending* from the moment the node hands its delivery to n8n until n8n has answered it: a
 * 2xx confirms it, anything else forgets it (n8n could not save or queue the execution, and saves no
 * static data then) and marks it failed here, so that a re-send to this process runs. Other requests'
 * pending keys are left out of a save: one that then failed must run when re-sent to another process.
 * A copy arriving here meanwhile waits for the outcome instead of being answered 2xx for a run that may
 * fail.
 * n8n 2.41 builds a second Workflow over the same static data object while it creates the execution
 * (WorkflowRunner.establishContextForPersistence), which clears the "changed" mark the node's write set,
 * so n8n would save nothing (except when the stored static data was empty): `keepMarkedForSaving`
 * writes the key again until n8n has answered. Copies reaching two webhook processes at the same time
 * still both run: see RELIABILITY.md (webhooks in queue mode).
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

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

/** Evicts this scope's oldest entries, then those of the scopes used longest ago, until within bounds. */
function keepWithinBounds(scope: string, seen: Map<string, number>): void {
	while (seen.size > bounds.perNode) dropOldest(scope, seen);
	while (memoryEntries > bounds.total) {
		const [oldestScope, entries] = memory.entries().next().value as [string, Map<string, number>];
		dropOldest(oldestScope, entries);
	}
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
	keepWithinBounds(scope, seen);
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

/** Whether a stored key's delivery failed to start here after it was stored (then it is no repeat). */
function failedSince(scope: string, key: string, storedAt: number): boolean {
	const failedAt = failed.get(pendingId(scope, key));
	return failedAt !== undefined && storedAt <= failedAt;
}

/**
 * Keeps the keys another process saved in this process's memory, so that this process's next saves
 * carry them even when a save that loaded an older copy has dropped them from the static data.
 */
function absorbStored(
	stored: Record<string, number>,
	scope: string,
	now: number,
	windowMs: number,
): void {
	let seen = memory.get(scope);
	for (const [k, at] of Object.entries(stored)) {
		if (!fresh(at, now, windowMs) || k.length > MAX_KEY_LENGTH || seen?.has(k)) continue;
		if (failedSince(scope, k, at)) continue;
		if (!seen) {
			seen = new Map<string, number>();
			memory.set(scope, seen);
		}
		seen.set(k, at);
		memoryEntries++;
		noteRecent(scope, k, at);
	}
	if (seen) keepWithinBounds(scope, seen);
}

/**
 * Writes the union of the loaded static data, this process's memory (without other requests' pending
 * keys) and `ownKey`, newest last, bounded.
 */
function save(
	staticData: IDataObject,
	scope: string,
	now: number,
	windowMs: number,
	maxEntries: number,
	ownKey: string,
): void {
	const merged = new Map<string, number>();
	for (const [k, at] of Object.entries(storedEntries(staticData)))
		if (fresh(at, now, windowMs) && k.length <= MAX_KEY_LENGTH) merged.set(k, at);
	for (const [k, at] of memory.get(scope) ?? []) {
		if (k !== ownKey && pending.has(pendingId(scope, k))) continue;
		if (fresh(at, now, windowMs) && !(merged.has(k) && merged.get(k)! >= at)) merged.set(k, at);
	}
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
	const storedAll = storedEntries(staticData);
	absorbStored(storedAll, scope, now, windowMs);
	if (fresh(memory.get(scope)?.get(key), now, windowMs)) return true;
	const stored = storedAll[key];
	if (fresh(stored, now, windowMs) && !failedSince(scope, key, stored)) {
		remember(scope, key, stored, windowMs);
		return true;
	}
	remember(scope, key, now, windowMs);
	save(staticData, scope, now, windowMs, maxEntries, key);
	return false;
}

/** Longest a request keeps its static data marked for saving (n8n answers long before). */
const MARK_FOR_MS = 120_000;
/** Keys confirmed or read here lately, all scopes, for the requests whose save is still to come. */
const RECENT_MAX = 5000;
const recent: Array<[scope: string, key: string, at: number]> = [];
/** How many keys were ever noted: recent[i] is number `recentCount - recent.length + i`. */
let recentCount = 0;

function noteRecent(scope: string, key: string, at: number): void {
	recent.push([scope, key, at]);
	recentCount++;
	if (recent.length > RECENT_MAX) recent.splice(0, recent.length - RECENT_MAX);
}

/** Adds to `entries` the keys of `scope` noted since number `from`; returns the next number. */
function addRecent(entries: Record<string, number>, scope: string, from: number): number {
	const first = Math.max(0, recent.length - (recentCount - from));
	for (let i = first; i < recent.length; i++) {
		const [s, k, at] = recent[i];
		if (s === scope && !(k in entries)) entries[k] = at;
	}
	return recentCount;
}

/**
 * Writes the node's record again every millisecond until the returned function is called (n8n has
 * answered): n8n 2.41 clears the static data's "changed" mark after the node returned, while it
 * creates the execution, and then saves only when the mark is set. Without this the record a delivery
 * wrote reached the database only when the stored static data had been empty. Keys confirmed or read
 * by this process meanwhile are added, so that this save does not drop a key saved just before it.
 */
export function keepMarkedForSaving(staticData: IDataObject, scope = ''): () => void {
	let marking = true;
	let noted = recentCount;
	const until = Date.now() + MARK_FOR_MS;
	const mark = async () => {
		while (marking && Date.now() < until) {
			const entries = staticData[DEDUP_STORE_KEY] as Record<string, number> | undefined;
			if (entries !== undefined) {
				if (noted < recentCount) noted = addRecent(entries, scope, noted);
				staticData[DEDUP_STORE_KEY] = entries;
			}
			await sleep(1);
		}
	};
	void mark();
	return () => {
		marking = false;
	};
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
		if (started) {
			failed.delete(id);
			const at = memory.get(scope)?.get(key);
			if (at !== undefined) noteRecent(scope, key, at);
		}
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
	recent.length = 0;
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
