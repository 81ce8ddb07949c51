import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { MSG } from '../core/drf';
import { claimFault } from '../core/faults';
import type { Fault } from '../core/store';
import type { SandboxContext } from '../context';

/**
 * Fault injection for reliability tests, applied: matching requests are slowed, failed, cut,
 * throttled, lose their answer after the work was committed, or get a broken body. `slow_work` is
 * applied by the route itself (the work is slow once it started, e.g. after a Tracking-Key was stored). Faults are set
 * through the control API (control/faults.ts).
 */

declare module 'fastify' {
	interface FastifyRequest {
		fault?: Fault;
	}
}

/** Runs before authentication: "before doing anything". */
async function onRequest(
	ctx: SandboxContext,
	request: FastifyRequest,
	reply: FastifyReply,
): Promise<unknown> {
	if (ctx.store.faults.length === 0 || request.url.startsWith('/__sandbox/')) return undefined;
	const fault = claimFault(ctx.store.faults, request.method, request.url.split('?')[0]);
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
	if (!fault || fault.kind === 'latency' || fault.kind === 'slow_work') return payload;
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
