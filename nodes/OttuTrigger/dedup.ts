/**
 * Remembers recent deliveries in the node's workflow static data (saved by n8n with the workflow),
 * so a delivery Ottu repeats after a timeout does not start the workflow twice.
 * The store is bounded: expired entries go first, then the oldest.
 */
import type { IDataObject } from 'n8n-workflow';

export const DEDUP_STORE_KEY = 'ottuRecentDeliveries';
export const DEDUP_MAX_ENTRIES = 1000;

/**
 * Returns true when `key` was seen within `windowMs` before `now` (a repeat); otherwise records it
 * and returns false. Synchronous, so two concurrent deliveries in one n8n process cannot both pass.
 */
export function isRepeatDelivery(
	staticData: IDataObject,
	key: string,
	now: number,
	windowMs: number,
	maxEntries: number = DEDUP_MAX_ENTRIES,
): boolean {
	const stored = staticData[DEDUP_STORE_KEY];
	const seen: Record<string, number> = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, number>) : {};

	const last = seen[key];
	const repeat = typeof last === 'number' && now - last >= 0 && now - last < windowMs;
	if (repeat) return true;

	// Entries are kept in arrival order; re-adding a key moves it to the end.
	delete seen[key];
	const entries = Object.entries(seen).filter(([, at]) => typeof at === 'number' && now - at < windowMs && now - at >= 0);
	const kept = entries.slice(Math.max(0, entries.length - (maxEntries - 1)));
	const next: Record<string, number> = {};
	for (const [k, at] of kept) next[k] = at;
	next[key] = now;
	staticData[DEDUP_STORE_KEY] = next;
	return false;
}
