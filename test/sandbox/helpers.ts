import axios from 'axios';
import type { AxiosInstance } from 'axios';

import { SandboxClient } from '../../sandbox/client';
import type { Json, Outcome } from '../../sandbox/client';
import type { Sandbox, SandboxOptions } from '../../sandbox/server';
import { createSandbox } from '../../sandbox/server';

export type { Json };

export const API_KEY = 'sbxtest.0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const HMAC_KEY = 'hmac-sandbox-tests-1f2e3d4c';
export const PASSWORD = 'pw-sandbox-tests-5a6b7c';

export interface Harness {
	sandbox: Sandbox;
	/** Authenticated with the API key; never throws on HTTP status. */
	api: AxiosInstance;
	/** The typed control API client (reset, pay, ledger, faults, clock, webhooks, seeding). */
	client: SandboxClient;
	/** Raw control requests (control header set); prefer `client`. */
	control: AxiosInstance;
	/** Unauthenticated, no control header: the customer's browser on the hosted checkout page. */
	browser: AxiosInstance;
	/** Basic auth as `username` (a user from options.users). */
	as(username: string, password?: string): AxiosInstance;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
	const sandbox = await createSandbox({
		apiKey: API_KEY,
		hmacKey: HMAC_KEY,
		username: 'merchant',
		password: PASSWORD,
		...options,
	});
	const base = { baseURL: sandbox.url, validateStatus: () => true };
	const client = new SandboxClient(sandbox.url, API_KEY);
	return {
		sandbox,
		api: axios.create({ ...base, headers: { Authorization: `Api-Key ${API_KEY}` } }),
		client,
		control: client.http,
		browser: axios.create(base),
		as: (username, password = PASSWORD) => axios.create({ ...base, auth: { username, password } }),
	};
}

export async function createTxn(
	h: Harness,
	over: Record<string, unknown> = {},
): Promise<Record<string, Json>> {
	const res = await h.api.post('/b/checkout/v1/pymt-txn/', {
		type: 'e_commerce',
		amount: '20.000',
		currency_code: 'KWD',
		pg_codes: ['credit-card'],
		order_no: `ORD-${Math.random().toString(36).slice(2, 10)}`,
		...over,
	});
	if (res.status !== 201)
		throw new Error(`create failed: ${res.status} ${JSON.stringify(res.data)}`);
	return res.data;
}

export async function payTxn(
	h: Harness,
	sessionId: string,
	outcome: string,
	extra: Record<string, unknown> = {},
): Promise<Record<string, Json>> {
	return await h.client.pay(sessionId, outcome as Outcome, extra);
}

export async function ledger(h: Harness, sessionId: string): Promise<Record<string, Json>> {
	return (await h.client.ledger(sessionId)) as unknown as Record<string, Json>;
}

export async function operation(h: Harness, body: Record<string, unknown>, trackingKey?: string) {
	return await h.api.post(
		'/b/pbl/v2/operation/',
		body,
		trackingKey ? { headers: { 'Tracking-Key': trackingKey } } : {},
	);
}

export interface Received {
	body: Record<string, Json>;
	headers: Record<string, string | string[] | undefined>;
	at: number;
}

export interface Receiver {
	url: string;
	received: Received[];
	/** How to answer the next deliveries: a status, and an optional delay (ms) to provoke timeouts. */
	respond(status: number, delayMs?: number): void;
	close(): Promise<void>;
}

/** Webhook delivery for tests that look at the first attempt only: one try, quick to give up. */
export const ONE_QUICK_DELIVERY = { timeoutMs: 2000, attempts: 1, backoffMs: 1 };

/**
 * For a describe block: a sandbox and a webhook receiver, started once and closed after; before each test the
 * sandbox is reset, the receiver forgets what it got and answers 200 again. `started` hands both over.
 */
export function useHarnessAndReceiver(
	options: SandboxOptions,
	started: (h: Harness, rx: Receiver) => void,
): void {
	let h: Harness | undefined;
	let rx: Receiver | undefined;
	beforeAll(async () => {
		h = await startHarness(options);
		rx = await startReceiver();
		started(h, rx);
	});
	afterAll(async () => {
		await h?.sandbox.close();
		await rx?.close();
	});
	beforeEach(async () => {
		await h!.client.reset();
		rx!.received.length = 0;
		rx!.respond(200);
	});
}

/** A local webhook receiver on 127.0.0.1 that records what it gets. */
export async function startReceiver(): Promise<Receiver> {
	const http = await import('node:http');
	let status = 200;
	let delay = 0;
	const received: Received[] = [];
	const sockets = new Set<import('node:net').Socket>();
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (c: Buffer) => (text += c.toString('utf8')));
		req.on('end', () => {
			received.push({ body: JSON.parse(text || '{}'), headers: req.headers, at: Date.now() });
			const answer = () => {
				if (!res.destroyed) res.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok');
			};
			if (delay > 0) setTimeout(answer, delay).unref();
			else answer();
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as import('node:net').AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		respond: (s, d = 0) => {
			status = s;
			delay = d;
		},
		close: async () => {
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export async function webhookAttempts(h: Harness, sessionId?: string): Promise<Json[]> {
	return await h.client.webhooks({ wait: true, ...(sessionId ? { session_id: sessionId } : {}) });
}
