import { randomBytes } from 'node:crypto';

import { DEFAULT_GATEWAYS } from './core/gateways';
import type { Gateway } from './core/gateways';
import type { ReportSeed } from './core/reportFiles';
import type { SandboxConfig, SandboxLimits, SandboxUser, WebhookSettings } from './context';

/**
 * What `createSandbox` accepts, and the configuration it makes of it (Ottu's defaults where unset).
 */

export interface SandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	apiKey?: string;
	username?: string;
	password?: string;
	hmacKey?: string;
	/** Extra Basic-auth users with limited permissions. */
	users?: SandboxUser[];
	gateways?: Gateway[];
	logger?: boolean;
	/** Rate limits (Ottu's defaults: 90,000 requests/day, 25 report downloads/hour, 30 inquiries/minute). */
	limits?: Partial<SandboxLimits>;
	/** Webhook delivery (Ottu's defaults: 15 s timeout, 3 attempts in all when the receiver times out, 5 s apart). */
	webhooks?: Partial<WebhookSettings>;
	/** Reports to list and serve (seeded again on reset). */
	reports?: ReportSeed[];
	multipleAttempts?: boolean;
	inquiryThrottling?: boolean;
	reportTokenTtlSeconds?: number;
	reportsMaxPageSize?: number;
}

export function randomSecret(prefix: string): string {
	return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** Drops undefined settings, so they fall back to Ottu's defaults instead of overriding them. */
function defined<T extends object>(settings: T | undefined): Partial<T> {
	return Object.fromEntries(
		Object.entries(settings ?? {}).filter(([, v]) => v !== undefined),
	) as Partial<T>;
}

export function sandboxConfig(options: SandboxOptions): SandboxConfig {
	return {
		apiKey: options.apiKey ?? randomSecret('sbx.'),
		users: [
			{
				username: options.username ?? 'sandbox',
				password: options.password ?? randomSecret(''),
				permissions: '*',
			},
			...(options.users ?? []),
		],
		hmacKey: options.hmacKey ?? randomSecret(''),
		gateways: options.gateways ?? DEFAULT_GATEWAYS,
		limits: {
			dailyRequests: 90_000,
			reportDownloadsPerHour: 25,
			reportDownloadWindowSeconds: 3600,
			inquiryPerMinute: 30,
			...defined(options.limits),
		},
		webhooks: { timeoutMs: 15_000, attempts: 3, backoffMs: 5_000, ...defined(options.webhooks) },
		multipleAttempts: options.multipleAttempts ?? true,
		inquiryThrottling: options.inquiryThrottling ?? true,
		reportTokenTtlSeconds: options.reportTokenTtlSeconds ?? 3600,
		reportsMaxPageSize: options.reportsMaxPageSize ?? 200,
	};
}
