import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';

import type { SandboxContext } from '../context';
import { registerAuthentication } from './auth';
import { registerFaultHooks } from './faults';
import { registerGuards } from './guards';
import { registerParsers } from './parsers';
import { registerErrorHandler, registerNotFound, registerRequestLog } from './responses';

/**
 * The HTTP plumbing every route shares, in the order a request meets it: body parsers; the loopback
 * and control-API guard (first, so a refused request reaches nothing else); faults ("before doing
 * anything", even before authentication); authentication and the daily limit; then the handlers,
 * the request log, DRF-shaped errors, 405/404 and Django's trailing-slash redirect.
 */
export function createHttpApp(ctx: SandboxContext, logger: boolean): FastifyInstance {
	const app = Fastify({ logger, bodyLimit: 10 * 1024 * 1024 });
	registerParsers(app);
	registerGuards(app);
	registerFaultHooks(app, ctx);
	registerAuthentication(app, ctx);
	registerRequestLog(app, ctx.store);
	registerErrorHandler(app);
	registerNotFound(app);
	return app;
}
