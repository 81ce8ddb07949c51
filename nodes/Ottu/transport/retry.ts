/**
 * The retry policy: when a failed attempt is sent again, and after how long.
 *
 * - A 429 is repeated whatever the policy (Ottu refused before doing anything), after Retry-After when Ottu
 *   gives one; a Retry-After longer than one back-off step is not sat out.
 * - An unknown outcome (connection broke, 5xx, answer lost) is repeated for `read` and `tracked` only, after
 *   `onLostAnswer`; for `once` the error says the request may have been carried out.
 * - Ottu still carrying out an operation with this Tracking-Key (`in flight`): asked again every
 *   inFlightDelayMs, for `tracked` only, within the total wait.
 * - Anything else is final.
 */
import type { Failure } from './attempt';
import type { RetryPolicy } from './prepare';

/** The attempts of one request so far: the attempts made, the time waited, and whether an earlier attempt was lost. */
export interface Attempts {
	count: number;
	waitedMs: number;
	/** An attempt failed in a way that leaves open whether Ottu did the work. */
	outcomeUnknown: boolean;
}

/** Back-off limits; exported so tests and docs state the same numbers. */
export const RETRY_LIMITS = {
	maxAttempts: 5,
	/** First back-off when Ottu gives no Retry-After; doubled each time. */
	baseDelayMs: 500,
	/** Longest single wait, whatever Retry-After says. */
	maxDelayMs: 30_000,
	/** Longest total time spent waiting for one request. */
	maxTotalWaitMs: 60_000,
	/** Wait before asking again about an operation Ottu is still carrying out (within maxTotalWaitMs). */
	inFlightDelayMs: 2_000,
};

export function backoffDelay(attempt: number, retryAfterMs?: number): number {
	const exponential = RETRY_LIMITS.baseDelayMs * 2 ** (attempt - 1);
	return Math.min(RETRY_LIMITS.maxDelayMs, retryAfterMs ?? exponential);
}

/** How long to wait before attempt `done + 1`, or undefined when the limits say stop. */
export function nextDelay(
	done: number,
	waitedMs: number,
	retryAfterMs?: number,
): number | undefined {
	if (retryAfterMs !== undefined && retryAfterMs > RETRY_LIMITS.maxDelayMs) return undefined;
	const delay = backoffDelay(done, retryAfterMs);
	return done < RETRY_LIMITS.maxAttempts && waitedMs + delay <= RETRY_LIMITS.maxTotalWaitMs
		? delay
		: undefined;
}

/**
 * How long to wait before sending again after a failed attempt, or undefined when it must not be sent again:
 * a final failure never, an unknown outcome not for `once`, and nothing beyond RETRY_LIMITS.
 */
export function retryDelay(
	outcome: { kind: 'retryable' | 'unknown' | 'in flight' | 'final'; failure: Failure },
	policy: RetryPolicy,
	attempts: Attempts,
): number | undefined {
	if (outcome.kind === 'final') return undefined;
	// Asking again with the same Tracking-Key until the operation has an outcome, bounded by the total wait.
	if (outcome.kind === 'in flight') {
		const delay = RETRY_LIMITS.inFlightDelayMs;
		return policy === 'tracked' && attempts.waitedMs + delay <= RETRY_LIMITS.maxTotalWaitMs
			? delay
			: undefined;
	}
	if (outcome.kind === 'unknown' && policy === 'once') return undefined;
	const retryAfter = outcome.failure.type === 'refused' ? outcome.failure.retryAfter : undefined;
	return nextDelay(attempts.count, attempts.waitedMs, retryAfter);
}
