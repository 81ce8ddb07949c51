import type { FastifyRequest } from 'fastify';

import type { Gateway } from './core/gateways';
import type { SandboxStore } from './core/store';
import { detail, MSG } from './core/drf';

export interface SandboxUser {
	username: string;
	password: string;
	/** Permission codes, or '*' for all. e.g. add_payment_request, payment.refund, report.can_view_report. */
	permissions: string[] | '*';
}

export interface SandboxConfig {
	apiKey: string;
	/** Basic-auth users; the first is the one printed by `npm run sandbox`. */
	users: SandboxUser[];
	hmacKey: string;
	gateways: Gateway[];
}

export type Principal = { kind: 'apiKey' } | { kind: 'user'; user: SandboxUser };

declare module 'fastify' {
	interface FastifyRequest {
		principal?: Principal;
	}
}

export interface SandboxContext {
	config: SandboxConfig;
	store: SandboxStore;
	/** The sandbox's own base URL, e.g. http://127.0.0.1:8787 */
	baseUrl(): string;
	/** Throws Ottu's 403 when a Basic-auth user lacks the permission; API keys have them all. */
	requirePermission(request: FastifyRequest, permission: string): void;
}

export function hasPermission(principal: Principal | undefined, permission: string): boolean {
	if (!principal) return false;
	if (principal.kind === 'apiKey') return true;
	const perms = principal.user.permissions;
	return perms === '*' || perms.includes(permission);
}

export function makeRequirePermission() {
	return (request: FastifyRequest, permission: string): void => {
		if (!hasPermission(request.principal, permission)) throw detail(403, MSG.permission);
	};
}
