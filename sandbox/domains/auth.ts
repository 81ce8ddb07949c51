import { timingSafeEqual } from 'node:crypto';

import type { FastifyRequest } from 'fastify';

import { detail, MSG } from '../core/drf';
import type { Principal, SandboxConfig } from '../context';

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
