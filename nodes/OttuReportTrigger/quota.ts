import type { ReportState } from './seen';

/**
 * The trigger's share of Ottu's download quota (25 downloads an hour per user): its own downloads are
 * counted in static data and kept under `perWindow`, so the rest stays free for Report → Download on the
 * same credential; after Ottu's 429 nothing is downloaded until its Retry-After has passed.
 */
export interface Quota {
	perWindow: number;
	windowMs: number;
}

/** Downloads this trigger may still make now. */
export function downloadsLeft(state: ReportState, quota: Quota, now: number): number {
	if (state.pausedUntil !== undefined && state.pausedUntil > now) return 0;
	state.pausedUntil = undefined;
	state.downloads = (state.downloads ?? []).filter((time) => time > now - quota.windowMs);
	return Math.max(0, quota.perWindow - state.downloads.length);
}

export function spendDownload(state: ReportState, now: number): void {
	state.downloads = [...(state.downloads ?? []), now];
}

/** Ottu refused with 429: wait its Retry-After, or a whole window when it gives none. */
export function pauseDownloads(
	state: ReportState,
	quota: Quota,
	now: number,
	retryAfterMs: number | undefined,
): void {
	state.pausedUntil =
		now + (retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : quota.windowMs);
}

/** The Retry-After of a 429 from the transport (undefined when the error is not Ottu's 429). */
export function quotaRefusal(error: unknown): { retryAfterMs?: number } | undefined {
	const failure = error as { httpCode?: unknown; context?: { retryAfterMs?: unknown } };
	if (String(failure?.httpCode) !== '429') return undefined;
	const retryAfterMs = failure.context?.retryAfterMs;
	return { retryAfterMs: typeof retryAfterMs === 'number' ? retryAfterMs : undefined };
}
