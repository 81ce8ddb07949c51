import type { Fault } from './store';

/** Faults the control API can set (applied by http/faults.ts). */

export const FAULT_KINDS: Fault['kind'][] = [
	'latency',
	'status',
	'reset',
	'rate_limit',
	'drop_after_commit',
	'malformed',
	'slow_work',
];

/** A route pattern ("/b/pbl/v2/*") as a regular expression; * matches anything. */
export function routePattern(pattern: string): RegExp {
	const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
	return new RegExp(`^${escaped.join('.*')}$`);
}

/**
 * The first fault matching the request, counted down (and removed once used up). A fault with `skip: n` lets
 * the first n matching requests through untouched (the second item of a run, not the first).
 */
export function claimFault(faults: Fault[], method: string, path: string): Fault | undefined {
	const index = faults.findIndex(
		(f) => (f.method === '*' || f.method === method) && f.pattern.test(path),
	);
	if (index < 0) return undefined;
	const fault = faults[index];
	const skip = Number(fault.params.skip ?? 0);
	if (skip > 0) {
		fault.params.skip = skip - 1;
		return undefined;
	}
	if (fault.remaining !== null) {
		fault.remaining -= 1;
		if (fault.remaining <= 0) faults.splice(index, 1);
	}
	return fault;
}
