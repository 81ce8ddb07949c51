import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';

import { DEFAULT_GATEWAYS } from './core/gateways';
import type { Gateway } from './core/gateways';
import { detail, DrfError, MSG } from './core/drf';
import { SandboxStore } from './core/store';
import { take } from './core/rateLimit';
import { boundaryOf, MULTIPART, parseMultipart } from './core/multipart';
import type {
	SandboxConfig,
	SandboxContext,
	SandboxLimits,
	SandboxUser,
	WebhookSettings,
} from './context';
import { makeRequirePermission, principalKey } from './context';
import { registerAttachments } from './domains/attachments';
import { registerCards } from './domains/cards';
import { registerFaultControl, registerFaultHooks } from './domains/faults';
import { registerHostedCheckout } from './domains/hostedCheckout';
import { registerInquiry } from './domains/inquiry';
import { registerInvoices } from './domains/invoices';
import { registerNativePayments } from './domains/nativePayments';
import { registerNotifications } from './domains/notifications';
import { registerOperations } from './domains/operations';
import { DEFAULT_REPORTS, registerReports, seedReports } from './domains/reports';
import type { ReportSeed } from './domains/reports';
import { WebhookDispatcher } from './domains/webhooks';
import { authenticate } from './domains/auth';
import { registerCheckout } from './domains/checkout';
import { registerControl } from './domains/control';
import { registerPaymentMethods } from './domains/paymentMethods';
import { isControlRequest, registerGuards } from './guards';

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
	/** Webhook delivery (Ottu's defaults: 15 s timeout, 3 retries on timeout, 5 s apart). */
	webhooks?: Partial<WebhookSettings>;
	/** Reports to list and serve (seeded again on reset). */
	reports?: ReportSeed[];
	multipleAttempts?: boolean;
	inquiryThrottling?: boolean;
	reportTokenTtlSeconds?: number;
	reportsMaxPageSize?: number;
}

export interface Sandbox {
	url: string;
	port: number;
	config: SandboxConfig;
	store: SandboxStore;
	app: FastifyInstance;
	close(): Promise<void>;
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

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const config: SandboxConfig = {
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
			inquiryPerMinute: 30,
			...defined(options.limits),
		},
		webhooks: { timeoutMs: 15_000, retries: 3, backoffMs: 5_000, ...defined(options.webhooks) },
		multipleAttempts: options.multipleAttempts ?? true,
		inquiryThrottling: options.inquiryThrottling ?? true,
		reportTokenTtlSeconds: options.reportTokenTtlSeconds ?? 3600,
		reportsMaxPageSize: options.reportsMaxPageSize ?? 200,
	};
	const seeds = options.reports ?? DEFAULT_REPORTS;
	const store = new SandboxStore(config.gateways, (now) => seedReports(seeds, now));
	const webhooks = new WebhookDispatcher(store, config.webhooks);
	const app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
	let baseUrl = '';
	const ctx: SandboxContext = {
		config,
		store,
		baseUrl: () => baseUrl,
		requirePermission: makeRequirePermission(),
		webhooks,
	};

	// Ottu (Django) answers malformed JSON with a DRF parse error, not a framework page.
	app.removeContentTypeParser('application/json');
	app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
		const text = String(body);
		if (text.trim() === '') return done(null, {});
		try {
			done(null, JSON.parse(text));
		} catch (error) {
			done(new DrfError(400, { detail: MSG.parse((error as Error).message) }), undefined);
		}
	});

	app.addContentTypeParser(
		'application/x-www-form-urlencoded',
		{ parseAs: 'string' },
		(_req, body, done) => {
			done(null, Object.fromEntries(new URLSearchParams(String(body))));
		},
	);

	// Loopback Host names only, and the control API's header and JSON: before anything else.
	registerGuards(app);

	// File uploads (Ottu's upload-attachment endpoint takes multipart only).
	app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
		const boundary = boundaryOf(String(req.headers['content-type'] ?? ''));
		done(null, boundary ? { [MULTIPART]: parseMultipart(body as Buffer, boundary) } : {});
	});

	// Faults next: a faulted request is answered "before doing anything", even before authentication.
	registerFaultHooks(app, ctx);

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

	// Known paths, to answer a wrong method with DRF's 405 (and a GET without its trailing slash with Django's redirect).
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

	registerControl(app, ctx);
	registerFaultControl(app, ctx);
	registerPaymentMethods(app, ctx);
	registerCheckout(app, ctx);
	registerAttachments(app, ctx);
	registerOperations(app, ctx);
	registerInquiry(app, ctx);
	registerCards(app, ctx);
	registerNativePayments(app, ctx);
	registerInvoices(app, ctx);
	registerNotifications(app, ctx);
	registerReports(app, ctx);
	registerHostedCheckout(app, ctx);

	await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
	const port = (app.server.address() as AddressInfo).port;
	baseUrl = `http://127.0.0.1:${port}`;
	return {
		url: baseUrl,
		port,
		config,
		store,
		app,
		close: async () => {
			webhooks.close();
			await app.close();
		},
	};
}
