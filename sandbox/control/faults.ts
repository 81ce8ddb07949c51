import { fieldErrors } from '../core/drf';
import { FAULT_KINDS, routePattern } from '../core/faults';
import type { Fault } from '../core/store';
import type { SandboxContext } from '../context';

/** Control handlers for fault injection (applied to matching requests by http/faults.ts). */

const ROUTE = /^\s*([A-Za-z*]+)\s+(\S+)\s*$/;

let nextId = 1;

function isHttpStatus(value: unknown): boolean {
	return Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;
}

function faultErrors(body: Record<string, unknown>): Record<string, string[]> {
	const { route, kind, count, ...params } = body;
	const errors: Record<string, string[]> = {};
	if (typeof route !== 'string' || !ROUTE.test(route))
		errors.route = [
			'Expected "<METHOD> <path pattern>", e.g. "POST /b/pbl/v2/operation/" (* is a wildcard).',
		];
	if (!FAULT_KINDS.includes(kind as Fault['kind']))
		errors.kind = [`Expected one of ${FAULT_KINDS.join(', ')}.`];
	if (count !== undefined && count !== null && !(Number.isInteger(count) && (count as number) > 0))
		errors.count = ['Expected a positive integer.'];
	if (kind === 'status' && params.status !== undefined && !isHttpStatus(params.status))
		errors.status = ['Expected an HTTP status code.'];
	return errors;
}

/** Adds a fault: `{route: "<METHOD> <pattern>", kind, count?, ...params}`. */
export function addFault(ctx: SandboxContext, input: unknown): Record<string, unknown> {
	const body = (input ?? {}) as Record<string, unknown>;
	const errors = faultErrors(body);
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const { route, kind, count, ...params } = body;
	const match = ROUTE.exec(route as string)!;
	const fault: Fault = {
		id: nextId++,
		method: match[1].toUpperCase(),
		pattern: routePattern(match[2]),
		route: String(route),
		kind: kind as Fault['kind'],
		remaining: typeof count === 'number' ? count : null,
		params,
	};
	ctx.store.faults.push(fault);
	return { id: fault.id, route: fault.route, kind: fault.kind, count: fault.remaining, ...params };
}

export function listFaults(ctx: SandboxContext): Array<Record<string, unknown>> {
	return ctx.store.faults.map((f) => ({
		id: f.id,
		route: f.route,
		kind: f.kind,
		remaining: f.remaining,
		...f.params,
	}));
}

export function clearFaults(ctx: SandboxContext): { removed: number } {
	const removed = ctx.store.faults.length;
	ctx.store.faults = [];
	return { removed };
}
