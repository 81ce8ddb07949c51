import type { AddressInfo } from 'node:net';

import type { FastifyInstance } from 'fastify';

import { sandboxConfig } from './config';
import type { SandboxOptions } from './config';
import type { SandboxConfig, SandboxContext } from './context';
import { makeRequirePermission } from './context';
import { registerControl } from './control';
import { DEFAULT_REPORTS, ReportStorage, seedReports } from './core/reportFiles';
import { SandboxStore } from './core/store';
import { WebhookDispatcher } from './core/webhooks';
import { registerAttachments } from './domains/attachments';
import { registerCards } from './domains/cards';
import { registerCheckout } from './domains/checkout';
import { registerHostedCheckout } from './domains/hostedCheckout';
import { registerInquiry } from './domains/inquiry';
import { registerInvoices } from './domains/invoices';
import { registerNativePayments } from './domains/nativePayments';
import { registerNotifications } from './domains/notifications';
import { registerOperations } from './domains/operations';
import { registerPaymentMethods } from './domains/paymentMethods';
import { registerReports } from './domains/reports';
import { createHttpApp } from './http';

export type { SandboxOptions } from './config';

export interface Sandbox {
	url: string;
	port: number;
	config: SandboxConfig;
	store: SandboxStore;
	app: FastifyInstance;
	/** Every route registered, as `METHOD /path` (fastify's own HEAD twins left out): FIDELITY.md's keys. */
	routes: string[];
	close(): Promise<void>;
}

type Registrar = (app: FastifyInstance, ctx: SandboxContext) => void;

/** Every route module: one per Ottu API area (sandbox/domains/), and the test-only control API. */
const REGISTRARS: Registrar[] = [
	registerPaymentMethods,
	registerCheckout,
	registerAttachments,
	registerOperations,
	registerInquiry,
	registerCards,
	registerNativePayments,
	registerInvoices,
	registerNotifications,
	registerReports,
	registerHostedCheckout,
	registerControl,
];

/** The shared state and services every route module is given. */
function createContext(config: SandboxConfig, options: SandboxOptions) {
	const seeds = options.reports ?? DEFAULT_REPORTS;
	const store = new SandboxStore(config.gateways, (now) => seedReports(seeds, now));
	let baseUrl = '';
	const ctx: SandboxContext = {
		config,
		store,
		baseUrl: () => baseUrl,
		requirePermission: makeRequirePermission(),
		webhooks: new WebhookDispatcher(store, config.webhooks),
		reportStorage: new ReportStorage(() => store.clock.now()),
	};
	return { ctx, setBaseUrl: (url: string) => (baseUrl = url) };
}

function recordRoutes(app: FastifyInstance): string[] {
	const routes: string[] = [];
	app.addHook('onRoute', (route) => {
		for (const method of [route.method].flat()) {
			if (method === 'HEAD' && routes.includes(`GET ${route.url}`)) continue;
			routes.push(`${method} ${route.url}`);
		}
	});
	return routes;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const config = sandboxConfig(options);
	const { ctx, setBaseUrl } = createContext(config, options);
	const app = createHttpApp(ctx, options.logger ?? false);
	app.addHook('onClose', async () => await ctx.reportStorage.close());
	const routes = recordRoutes(app);
	for (const register of REGISTRARS) register(app, ctx);

	await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
	const port = (app.server.address() as AddressInfo).port;
	const url = setBaseUrl(`http://127.0.0.1:${port}`);
	return {
		url,
		port,
		config,
		store: ctx.store,
		app,
		routes,
		close: async () => {
			ctx.webhooks.close();
			await app.close();
		},
	};
}
