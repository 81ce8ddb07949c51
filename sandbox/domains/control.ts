import type { FastifyInstance } from 'fastify';

import type { SandboxContext } from '../context';

/** The test-only control API under /__sandbox/: never part of Ottu, never authenticated. */
export function registerControl(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/__sandbox/reset', async () => {
		ctx.store.reset();
		return { reset: true };
	});

	app.post('/__sandbox/clock', async (request, reply) => {
		const seconds = Number((request.body as { advance_seconds?: unknown } | undefined)?.advance_seconds);
		if (!Number.isFinite(seconds) || seconds < 0) {
			return reply.status(400).send({ advance_seconds: ['A non-negative number of seconds is required.'] });
		}
		ctx.store.clock.advance(seconds);
		return { now: ctx.store.clock.date().toISOString() };
	});

	app.get('/__sandbox/requests', async () => ctx.store.requests);
}
