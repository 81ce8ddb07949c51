import type { FastifyInstance, FastifyRequest } from 'fastify';

import { detail } from '../core/drf';

/**
 * The sandbox listens on loopback only, but a web page can still reach it: through DNS rebinding (a name that
 * resolves to 127.0.0.1, sent with its own Host header) or with a "simple" cross-site request (a form or
 * text/plain POST, which needs no CORS preflight). These checks close both, once, for every route.
 */

/** The header every control request carries. Browsers send a custom header cross-site only after a preflight,
 * and the sandbox never answers a preflight with allow headers. */
export const CONTROL_HEADER = 'x-ottu-sandbox';

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

export function isLoopbackHost(host: string | undefined): boolean {
	return typeof host === 'string' && LOOPBACK_HOST.test(host);
}

/** Whether the request is for the control API, by its matched route (percent-encoding cannot dodge it) or its path. */
export function isControlRequest(request: FastifyRequest): boolean {
	const route = request.routeOptions.url ?? '';
	return route.startsWith('/__sandbox/') || request.url.startsWith('/__sandbox');
}

function hasBody(request: FastifyRequest): boolean {
	const length = request.headers['content-length'];
	return (
		request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
	);
}

function isJson(contentType: string | undefined): boolean {
	return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/** Why a control request is refused, or undefined when it may go on. */
function controlRefusal(request: FastifyRequest): { status: number; message: string } | undefined {
	if (request.headers[CONTROL_HEADER] !== '1') {
		return {
			status: 403,
			message: `Control requests need the header "X-Ottu-Sandbox: 1" (use the sandbox client).`,
		};
	}
	const contentType = request.headers['content-type'];
	if ((hasBody(request) || contentType !== undefined) && !isJson(contentType)) {
		return {
			status: 415,
			message: 'Control requests with a body must be sent as application/json.',
		};
	}
	return undefined;
}

/** Registered first, so a refused request reaches no fault, no authentication and no handler. */
export function registerGuards(app: FastifyInstance): void {
	app.addHook('onRequest', async (request) => {
		if (!isLoopbackHost(request.headers.host)) {
			throw detail(
				403,
				'The sandbox answers only requests addressed to 127.0.0.1, localhost or [::1].',
			);
		}
		if (!isControlRequest(request)) return;
		const refusal = controlRefusal(request);
		if (refusal) throw detail(refusal.status, refusal.message);
	});
}
