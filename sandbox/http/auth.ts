import { timingSafeEqual } from 'node:crypto';

import type { FastifyInstance, FastifyRequest } from 'fastify';

import { detail, MSG } from '../core/drf';
import { take } from '../core/rateLimit';
import { principalKey } from '../context';
import type { Principal, SandboxConfig, SandboxContext } from '../context';

function same(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}

/** Ottu's two server-side schemes: `Authorization: Api-Key <key>` and Basic. */
export function authenticate(config: SandboxConfig, request: FastifyRequest): Principal {
	const header = request.headers.authorization;
	if (!header) throw detail(401, MSG.notAuthenticated);
	const [scheme, ...rest] = header.trim().split(/\s+/);
	const value = rest.join(' ');
	if (/^api-key$/i.test(scheme)) {
		if (value && same(value, config.apiKey)) return { kind: 'apiKey' };
		throw detail(401, MSG.badApiKey);
	}
	if (/^basic$/i.test(scheme)) {
		const decoded = Buffer.from(value, 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const username = colon >= 0 ? decoded.slice(0, colon) : decoded;
		const password = colon >= 0 ? decoded.slice(colon + 1) : '';
		const user = config.users.find((u) => same(u.username, username) && same(u.password, password));
		if (user) return { kind: 'user', user };
		throw detail(401, MSG.badCredentials);
	}
	throw detail(401, MSG.notAuthenticated);
}

/** Paths that belong to the sandbox or to the customer's browser, not to the authenticated API. */
function isPublic(url: string): boolean {
	return (
		url.startsWith('/__sandbox/') ||
		url.startsWith('/b/checkout/redirect/') ||
		url.startsWith('/b/checkout/page/') ||
		url.startsWith('/static/') ||
		url.startsWith('/media/')
	);
}

/** Every API request: who is calling, then Ottu's per-user daily request limit. */
export function registerAuthentication(app: FastifyInstance, ctx: SandboxContext): void {
	const { config, store } = ctx;
	app.addHook('onRequest', async (request) => {
		if (isPublic(request.url)) return;
		request.principal = authenticate(config, request);
		const limit = take(
			store.hits,
			`daily:${principalKey(request.principal)}`,
			config.limits.dailyRequests,
			86_400_000,
			store.clock.now(),
		);
		if (!limit.ok)
			throw detail(
				429,
				MSG.throttled(limit.retryAfter),
				{},
				{ 'Retry-After': String(limit.retryAfter) },
			);
	});
}
