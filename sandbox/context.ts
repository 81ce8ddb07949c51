import type { FastifyRequest } from 'fastify';

import { detail, MSG } from './core/drf';
import type { Gateway } from './core/gateways';
import type { ReportStorage } from './core/reportFiles';
import type { SandboxStore } from './core/store';
import type { WebhookDispatcher } from './core/webhooks';

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
	limits: SandboxLimits;
	webhooks: WebhookSettings;
	/** The MID's can_have_multiple_attempts: a failed attempt leaves the transaction `attempted` (default true). */
	multipleAttempts: boolean;
	/** Ottu's per-transaction inquiry throttling (10-min grace, 30-min windows, 3 per day); default true. */
	inquiryThrottling: boolean;
	/** How long a report download token stays valid (seconds, default 3600). */
	reportTokenTtlSeconds: number;
	/** Largest report-list page (Ottu's guide: 200; its docs disagree on the default, so clients must follow what comes back). */
	reportsMaxPageSize: number;
}

export interface SandboxLimits {
	/** Requests per user per day (Ottu: 90,000). */
	dailyRequests: number;
	/** Report downloads per user per window (Ottu: 25 an hour). */
	reportDownloadsPerHour: number;
	/** The window of that limit, in seconds (Ottu: 3600; shorter only to test a backlog quickly). */
	reportDownloadWindowSeconds: number;
	/** Inquiry calls per minute across all transactions (Ottu: 30). */
	inquiryPerMinute: number;
}

export interface WebhookSettings {
	/** Receiver must answer within this (Ottu: 15 s). */
	timeoutMs: number;
	/** Attempts in all, the first included; a new one only after a timeout (Ottu: 3, in 55 s at most). */
	attempts: number;
	/** Pause before each retry (Ottu: 5 s). */
	backoffMs: number;
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
	/** Delivers payment and operation webhooks. */
	webhooks: WebhookDispatcher;
	/** The S3-like origin some report files are served from. */
	reportStorage: ReportStorage;
}

/** Who is calling, for per-user rate limits. */
export function principalKey(principal: Principal | undefined): string {
	if (!principal) return 'anonymous';
	return principal.kind === 'apiKey' ? 'api-key' : `user:${principal.user.username}`;
}

export function hasPermission(principal: Principal | undefined, permission: string): boolean {
	if (!principal) return false;
	if (principal.kind === 'apiKey') return true;
	const perms = principal.user.permissions;
	if (perms === '*' || perms.includes(permission)) return true;
	// Ottu: "Can view …" is implied by "Can add …" and "Can change …".
	const view = /^view_(.+)$/.exec(permission);
	return view !== null && (perms.includes(`add_${view[1]}`) || perms.includes(`change_${view[1]}`));
}

export function makeRequirePermission() {
	return (request: FastifyRequest, permission: string): void => {
		if (!hasPermission(request.principal, permission)) throw detail(403, MSG.permission);
	};
}

/** Ottu grants several names for the same right (e.g. report.can_view_report / report.view_report). */
export function requireAnyPermission(request: FastifyRequest, permissions: string[]): void {
	if (!permissions.some((p) => hasPermission(request.principal, p)))
		throw detail(403, MSG.permission);
}
