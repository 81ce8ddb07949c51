import type { IDataObject } from 'n8n-workflow';

/**
 * Which listed report files are new, and what to remember about them. Pure, so it is tested on its own.
 * Ottu filters reports by creation date only, and a report can finish a while after it was created, so
 * every poll lists the last few days again and emits only the files not emitted before.
 */

export const DAY_MS = 86_400_000;
/** Days listed again on every poll: a report finishing later than this after its creation is missed. */
export const LOOKBACK_DAYS = 3;
/** At most this many report ids are remembered (static data is saved with the workflow). */
export const MAX_REMEMBERED = 1000;

export interface ReportState {
	/** encrypted_id → creation time (ms) of every report emitted or skipped recently. */
	seen: Record<string, number>;
	/** Reports created at or before this time are never emitted (set when ids had to be forgotten). */
	floor?: number;
	activated?: boolean;
}

export function createdAt(report: IDataObject, now: number): number {
	const time = typeof report.created_at === 'string' ? Date.parse(report.created_at) : NaN;
	return Number.isNaN(time) ? now : time;
}

/** The `created_after` date to list from (YYYY-MM-DD, UTC): the look-back, or N days on first activation. */
export function listFrom(now: number, first: boolean, includeDays: number): string {
	const days = Math.max(LOOKBACK_DAYS, first ? includeDays : 0);
	return new Date(now - days * DAY_MS).toISOString().slice(0, 10);
}

/** Forgets reports Ottu will no longer list to us, then the oldest beyond the cap (raising the floor). */
function prune(state: ReportState, now: number): ReportState {
	const keepFrom = now - (LOOKBACK_DAYS + 2) * DAY_MS;
	const entries = Object.entries(state.seen)
		.filter(([, time]) => time >= keepFrom)
		.sort((a, b) => b[1] - a[1]);
	let floor = state.floor;
	if (entries.length > MAX_REMEMBERED) {
		const dropped = entries.splice(MAX_REMEMBERED);
		floor = Math.max(floor ?? -Infinity, dropped[0][1]);
	}
	return {
		seen: Object.fromEntries(entries),
		floor,
		activated: true,
	};
}

/**
 * The reports to emit (oldest first) and the state to keep. On first activation nothing is emitted unless
 * `includeDays` > 0, then the reports created in those last days are.
 */
export function selectNew(
	reports: IDataObject[],
	previous: ReportState | undefined,
	now: number,
	includeDays: number,
): { emit: IDataObject[]; next: ReportState } {
	const first = previous?.activated !== true;
	const seen = { ...(previous?.seen ?? {}) };
	const cutoff = first ? (includeDays > 0 ? now - includeDays * DAY_MS : Infinity) : -Infinity;
	const floor = previous?.floor ?? -Infinity;
	const emit: IDataObject[] = [];
	for (const report of reports) {
		const id = typeof report.encrypted_id === 'string' ? report.encrypted_id : undefined;
		if (id === undefined || seen[id] !== undefined) continue;
		const time = createdAt(report, now);
		seen[id] = time;
		if (time >= cutoff && time > floor) emit.push(report);
	}
	emit.sort((a, b) => createdAt(a, now) - createdAt(b, now));
	return {
		emit,
		next: prune(
			{
				seen,
				floor: previous?.floor,
			},
			now,
		),
	};
}
