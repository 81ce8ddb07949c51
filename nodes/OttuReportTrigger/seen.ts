import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * Which listed report files are new, and what to remember about them. Pure, so it is tested on its own.
 * Ottu filters reports by creation date only, and a report can finish a while after it was created, so
 * every poll lists the last few days again (and back to the oldest report still waiting for its file) and
 * emits only the reports not emitted before.
 */

export const DAY_MS = 86_400_000;
/** Days listed again on every poll: a report finishing later than this after its creation is missed. */
export const LOOKBACK_DAYS = 3;
/** Ottu lists the reports of the last 30 days. */
export const LISTED_DAYS = 30;
/** At most this many reports are remembered (static data is saved with the workflow). */
export const MAX_REMEMBERED = 1000;

/** A report listed but not emitted yet: its file is waiting for the download quota, or failed before. */
export interface Waiting {
	created: number;
	/** Polls whose download of this file failed (not counting waits for the quota). */
	failures: number;
}

export interface ReportState {
	/** Report key → creation time (ms) of every report emitted or skipped recently. */
	seen: Record<string, number>;
	waiting?: Record<string, Waiting>;
	/** Reports created at or before this time are never emitted (set when keys had to be forgotten). */
	floor?: number;
	activated?: boolean;
	/** When this trigger downloaded a file, within the quota window. */
	downloads?: number[];
	/** After Ottu's 429: no download before this time (ms). */
	pausedUntil?: number;
}

/** A report to emit, oldest first; `backlog` when it was found on the first activation. */
export interface Candidate {
	report: IDataObject;
	key: string;
	created: number;
	backlog: boolean;
}

export function createdAt(report: IDataObject, now: number): number {
	const time = typeof report.created_at === 'string' ? Date.parse(report.created_at) : NaN;
	return Number.isNaN(time) ? now : time;
}

/**
 * The report's identity. Ottu never says `encrypted_id` stays the same from listing to listing, so the
 * key comes from the report's own fields (name, interval, source, format, created and generated times).
 */
export function reportKey(report: IDataObject): string | undefined {
	const fields = ['report_name', 'interval', 'source', 'file_format', 'created_at', 'generated_at'];
	if (typeof report.created_at !== 'string') {
		return typeof report.encrypted_id === 'string' ? report.encrypted_id : undefined;
	}
	const text = JSON.stringify(fields.map((field) => report[field] ?? null));
	return `r:${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
}

/** Seen under its key, or under its `encrypted_id` (what version 1 of the trigger remembered). */
function isSeen(seen: Record<string, number>, report: IDataObject, key: string): boolean {
	const id = report.encrypted_id;
	return seen[key] !== undefined || (typeof id === 'string' && seen[id] !== undefined);
}

/** The `created_after` date to list from (YYYY-MM-DD, UTC): the look-back, N days on first activation,
 * or the oldest report still waiting for its file. */
export function listFrom(
	now: number,
	first: boolean,
	includeDays: number,
	state?: ReportState,
): string {
	const days = Math.max(LOOKBACK_DAYS, first ? includeDays : 0);
	const waiting = Object.values(state?.waiting ?? {}).map((w) => w.created);
	const from = Math.max(now - LISTED_DAYS * DAY_MS, Math.min(now - days * DAY_MS, ...waiting));
	return new Date(from).toISOString().slice(0, 10);
}

/**
 * The reports to emit, oldest first: on first activation only those of the last `includeDays` days (the
 * rest are remembered as seen); afterwards every report not seen before. `state.seen` gets the skipped ones.
 */
export function selectNew(
	reports: IDataObject[],
	state: ReportState,
	now: number,
	includeDays: number,
): Candidate[] {
	const first = state.activated !== true;
	const cutoff = first ? (includeDays > 0 ? now - includeDays * DAY_MS : Infinity) : -Infinity;
	const floor = state.floor ?? -Infinity;
	const queue = new Map<string, Candidate>();
	for (const report of reports) {
		const key = reportKey(report);
		if (key === undefined || queue.has(key) || isSeen(state.seen, report, key)) continue;
		const created = createdAt(report, now);
		if (created >= cutoff && created > floor) {
			queue.set(key, { report, key, created, backlog: first });
		} else if (state.waiting?.[key] === undefined) {
			state.seen[key] = created;
		}
	}
	return [...queue.values()].sort((a, b) => a.created - b.created);
}

/** Forgets reports Ottu will no longer list to us, then the oldest beyond the cap (raising the floor). */
export function prune(state: ReportState, now: number): void {
	const keepFrom = now - (LISTED_DAYS + 2) * DAY_MS;
	const recentFrom = now - (LOOKBACK_DAYS + 2) * DAY_MS;
	const waiting = Object.entries(state.waiting ?? {}).filter(([, w]) => w.created >= keepFrom);
	state.waiting = Object.fromEntries(waiting);
	// A report is listed again while it is within the look-back, or from the day of the oldest one waiting.
	const keepSeen = Math.min(recentFrom, ...waiting.map(([, w]) => w.created - DAY_MS));
	const entries = Object.entries(state.seen)
		.filter(([, time]) => time >= keepSeen)
		.sort((a, b) => b[1] - a[1]);
	if (entries.length > MAX_REMEMBERED) {
		const dropped = entries.splice(MAX_REMEMBERED);
		state.floor = Math.max(state.floor ?? -Infinity, dropped[0][1]);
	}
	state.seen = Object.fromEntries(entries);
}
