import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { fieldErrors, MSG } from '../core/drf';
import type { Fault } from '../core/store';
import type { SandboxContext } from '../context';

/**
 * Fault injection for reliability tests: make matching requests slow, fail, drop the connection, get
 * throttled, lose their answer after the work was committed, or get a broken body.
 */

const KINDS: Fault['kind'][] = [
	'latency',
	'status',
	'reset',
	'rate_limit',
	'drop_after_commit',
	'malformed',
];

declare module 'fastify' {
	interface FastifyRequest {
		fault?: Fault;
	}
}

export function routePattern(pattern: string): RegExp {
	const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
	return new RegExp(`^${escaped.join('.*')}$`);
}

function claim(ctx: SandboxContext, method: string, path: string): Fault | undefined {
	const faults = ctx.store.faults;
	const index = faults.findIndex(
		(f) => (f.method === '*' || f.method === method) && f.pattern.test(path),
	);
	if (index < 0) return undefined;
	const fault = faults[index];
	if (fault.remaining !== null) {
		fault.remaining -= 1;
		if (fault.remaining <= 0) faults.splice(index, 1);
	}
	return fault;
}

/** Runs before authentication: "before doing anything". */
async function onRequest(
	ctx: SandboxContext,
	request: FastifyRequest,
	reply: FastifyReply,
): Promise<unknown> {
	if (ctx.store.faults.length === 0 || request.url.startsWith('/__sandbox/')) return undefined;
	const fault = claim(ctx, request.method, request.url.split('?')[0]);
	if (!fault) return undefined;
	const p = fault.params;
	switch (fault.kind) {
		case 'latency':
			// Waited out after the body is read (preHandler), so the work is still done once the client has
			// given up, as a slow server does.
			request.fault = fault;
			return undefined;
		case 'status': {
			const body = p.body ?? { detail: 'Server Error (500)' };
			const html = typeof body === 'string';
			return reply
				.status(Number(p.status ?? 500))
				.type(
					html
						? String(body).trimStart().startsWith('<')
							? 'text/html; charset=utf-8'
							: 'text/plain; charset=utf-8'
						: 'application/json',
				)
				.send(html ? body : JSON.stringify(body));
		}
		case 'reset':
			reply.hijack();
			request.raw.socket.destroy();
			return reply;
		case 'rate_limit': {
			const seconds = Number(p.retry_after ?? 1);
			return reply
				.status(429)
				.header('Retry-After', String(seconds))
				.send({ detail: MSG.throttled(seconds) });
		}
		default:
			request.fault = fault;
			return undefined;
	}
}

/** After the handler committed its work: lose the answer, or garble it. */
async function onSend(
	request: FastifyRequest,
	reply: FastifyReply,
	payload: unknown,
): Promise<unknown> {
	const fault = request.fault;
	if (!fault || fault.kind === 'latency') return payload;
	if (fault.kind === 'drop_after_commit') {
		request.raw.socket.destroy();
		return payload;
	}
	reply.code(200).header('content-type', 'application/json');
	return typeof fault.params.body === 'string' ? fault.params.body : '{"result": "succ';
}

export function registerFaultHooks(app: FastifyInstance, ctx: SandboxContext): void {
	app.addHook('onRequest', async (request, reply) => {
		const answered = await onRequest(ctx, request, reply);
		if (answered) return reply;
		return undefined;
	});
	app.addHook('preHandler', async (request) => {
		if (request.fault?.kind === 'latency')
			await new Promise((resolve) => setTimeout(resolve, Number(request.fault!.params.ms ?? 1000)));
	});
	app.addHook('onSend', onSend);
}

let nextId = 1;

export function registerFaultControl(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/__sandbox/faults', async (request, reply) => {
		const body = (request.body ?? {}) as Record<string, unknown>;
		const { route, kind, count, ...params } = body;
		const errors: Record<string, string[]> = {};
		const match = typeof route === 'string' ? /^\s*([A-Za-z*]+)\s+(\S+)\s*$/.exec(route) : null;
		if (!match)
			errors.route = [
				'Expected "<METHOD> <path pattern>", e.g. "POST /b/pbl/v2/operation/" (* is a wildcard).',
			];
		if (!KINDS.includes(kind as Fault['kind']))
			errors.kind = [`Expected one of ${KINDS.join(', ')}.`];
		if (
			count !== undefined &&
			count !== null &&
			!(Number.isInteger(count) && (count as number) > 0)
		)
			errors.count = ['Expected a positive integer.'];
		if (
			kind === 'status' &&
			params.status !== undefined &&
			!(
				Number.isInteger(params.status) &&
				(params.status as number) >= 100 &&
				(params.status as number) <= 599
			)
		) {
			errors.status = ['Expected an HTTP status code.'];
		}
		if (Object.keys(errors).length > 0) throw fieldErrors(errors);
		const fault: Fault = {
			id: nextId++,
			method: match![1].toUpperCase(),
			pattern: routePattern(match![2]),
			route: String(route),
			kind: kind as Fault['kind'],
			remaining: typeof count === 'number' ? count : null,
			params,
		};
		ctx.store.faults.push(fault);
		reply.status(201);
		return {
			id: fault.id,
			route: fault.route,
			kind: fault.kind,
			count: fault.remaining,
			...params,
		};
	});

	app.get('/__sandbox/faults', async () =>
		ctx.store.faults.map((f) => ({
			id: f.id,
			route: f.route,
			kind: f.kind,
			remaining: f.remaining,
			...f.params,
		})),
	);

	app.delete('/__sandbox/faults', async () => {
		const removed = ctx.store.faults.length;
		ctx.store.faults = [];
		return { removed };
	});
}
