import type { FastifyInstance } from 'fastify';

import { DrfError, MSG } from '../core/drf';
import type { SandboxStore } from '../core/store';
import { isControlRequest } from './guards';

/**
 * How the sandbox answers what no handler answered: errors in DRF's shape, 405, 404, Django's
 * redirect.
 */

export function registerErrorHandler(app: FastifyInstance): void {
	app.setErrorHandler((error, _request, reply) => {
		if (error instanceof DrfError) {
			reply.status(error.status).headers(error.headers).send(error.body);
			return;
		}
		const status = (error as { statusCode?: number }).statusCode;
		if (status && status >= 400 && status < 500) {
			reply.status(status).send({ detail: (error as Error).message });
			return;
		}
		reply.status(500).send({ detail: 'Server Error (500)' });
	});
}

/**
 * Known paths, to answer a wrong method with DRF's 405 (and a GET without its trailing slash with
 * Django's redirect). Registered before the routes, so it sees every one of them.
 */
export function registerNotFound(app: FastifyInstance): void {
	const routes: Array<{ pattern: RegExp; method: string }> = [];
	app.addHook('onRoute', (route) => {
		const methods = Array.isArray(route.method) ? route.method : [route.method];
		const pattern = new RegExp(
			`^${route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]+/g, '[^/]+')}$`,
		);
		for (const method of methods) routes.push({ pattern, method });
	});

	app.setNotFoundHandler((request, reply) => {
		const path = request.url.split('?')[0];
		const query = request.url.slice(path.length);
		if (
			request.method === 'GET' &&
			!path.endsWith('/') &&
			routes.some((r) => r.method === 'GET' && r.pattern.test(`${path}/`))
		) {
			return reply.redirect(`${path}/${query}`, 301);
		}
		if (routes.some((r) => r.pattern.test(path) && r.method !== 'HEAD')) {
			return reply.status(405).send({ detail: `Method "${request.method}" not allowed.` });
		}
		return reply.status(404).send({ detail: MSG.notFound });
	});
}

/** Every API request (not control requests) in the store, for GET /__sandbox/requests. */
export function registerRequestLog(app: FastifyInstance, store: SandboxStore): void {
	app.addHook('onResponse', async (request, reply) => {
		if (isControlRequest(request)) return;
		// Bounded, so long benchmarks do not grow the log without end.
		if (store.requests.length >= 200_000) store.requests.splice(0, 100_000);
		store.requests.push({
			method: request.method,
			path: request.url.split('?')[0],
			status: reply.statusCode,
			at: new Date().toISOString(),
		});
	});
}
