/**
 * The one typed client of the sandbox's control API (`/__sandbox/…`), for tests, e2e, benchmarks and dev
 * scripts. Dev-only: the node never imports it. Every request carries the control header and sends its body as
 * JSON, which the sandbox requires (see guards.ts). Typed methods throw on an unexpected status; `send` answers
 * whatever came back, for tests that assert refusals.
 */
import axios from 'axios';
import type { AxiosInstance } from 'axios';

import type {
	Fault,
	NotificationRecord,
	ReportDownload,
	RequestLogEntry,
	WebhookAttempt,
} from './core/store';
import type { Outcome } from './core/stateMachine';
import { CONTROL_HEADER } from './http/guards';

/** Whatever JSON.parse gives: payloads are asserted on, not typed. */
export type Json = ReturnType<typeof JSON.parse>;

export type { Outcome };
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Answer<T = Json> {
	status: number;
	data: T;
	headers: Record<string, unknown>;
}

export interface LedgerView {
	session_id: string;
	order_no: string | null;
	state: string;
	deleted: string | null;
	amount: string;
	currency_code: string;
	paid: string;
	authorized: string;
	captured: string;
	refunded: string;
	voided: string;
	settled_pg_code: string | null;
	card_token: string | null;
	attempts: Array<{ reference_number: string; pg_code: string; result: string }>;
	operations: Array<{
		operation: string;
		amount: string;
		result: string;
		child_session_id: string | null;
		state: string | null;
		reference_number: string | null;
		tracking_key: string | null;
	}>;
}

export interface ClockState {
	now: string;
	frozen: boolean;
	automatic_inquiries: Json;
}

/** A fault as the sandbox lists it: `route` like "POST /b/pbl/v2/operation/", `kind`, `remaining` and its params. */
export type FaultView = Pick<Fault, 'route' | 'kind'> & {
	id: number;
	remaining?: number | null;
	count?: number | null;
} & Record<string, unknown>;

export interface FaultSpec {
	/** "<METHOD> <path pattern>", * is a wildcard. */
	route: string;
	kind: Fault['kind'];
	/** How many matching requests it hits (default: all until cleared). */
	count?: number;
	[param: string]: unknown;
}

export interface ReportSeed {
	report_name?: string;
	size_bytes?: number;
	interval?: 'daily' | 'weekly' | 'monthly' | 'yearly';
	source?: 'auto' | 'manual';
	status?: 'in_progress' | 'finished' | 'expired';
	count?: number;
	days_ago?: number;
	/** `s3`: the download answers 302 to a pre-signed link on a separate storage origin. */
	storage?: 'local' | 's3';
	/** false: the download declares no Content-Length, as a file generated while it streams. */
	content_length?: boolean;
}

export interface StorageRequest {
	method: string;
	path: string;
	signed: boolean;
	authorization: boolean;
	status: number;
}

export class SandboxClientError extends Error {
	constructor(
		readonly answer: Answer,
		what: string,
	) {
		super(`sandbox ${what} answered ${answer.status}: ${JSON.stringify(answer.data)}`);
	}
}

export class SandboxClient {
	/** Control header set, JSON bodies, never throws on an HTTP status. */
	readonly http: AxiosInstance;
	/** Ottu API calls with the API key, without the control header. */
	private readonly apiHttp: AxiosInstance;

	/** `apiKey` for `api` and `createTransaction`; `timeoutMs` bounds each request (default: none). */
	constructor(
		readonly baseUrl: string,
		private readonly apiKey?: string,
		options: { timeoutMs?: number } = {},
	) {
		const base = { baseURL: baseUrl, validateStatus: () => true, timeout: options.timeoutMs ?? 0 };
		this.http = axios.create({
			...base,
			headers: { [CONTROL_HEADER]: '1', 'Content-Type': 'application/json' },
		});
		this.apiHttp = axios.create({ ...base, headers: { Authorization: `Api-Key ${apiKey ?? ''}` } });
	}

	/** Any control request; the answer as it came. */
	async send<T = Json>(
		method: Method,
		path: string,
		body?: unknown,
		params?: Record<string, string>,
	): Promise<Answer<T>> {
		const res = await this.http.request({ method, url: path, data: body, params });
		return {
			status: res.status,
			data: res.data as T,
			headers: res.headers as Record<string, unknown>,
		};
	}

	/** A control request that must answer `expected`, else a SandboxClientError. */
	private async expect<T>(
		expected: number,
		method: Method,
		path: string,
		body?: unknown,
		params?: Record<string, string>,
	): Promise<T> {
		const answer = await this.send<T>(method, path, body, params);
		if (answer.status !== expected) throw new SandboxClientError(answer, `${method} ${path}`);
		return answer.data;
	}

	/** Ottu API call with the API key (test set-up and checks, not through the node). */
	async api<T = Json>(method: Method, path: string, body?: unknown): Promise<Answer<T>> {
		if (!this.apiKey) throw new Error('This SandboxClient was made without an API key.');
		const res = await this.apiHttp.request({ method, url: path, data: body });
		return {
			status: res.status,
			data: res.data as T,
			headers: res.headers as Record<string, unknown>,
		};
	}

	/** A new payment transaction (e_commerce, 10.000 KWD, credit-card unless `fields` say otherwise). */
	async createTransaction(fields: Record<string, unknown> = {}): Promise<Json> {
		const answer = await this.api('POST', '/b/checkout/v1/pymt-txn/', {
			type: 'e_commerce',
			amount: '10.000',
			currency_code: 'KWD',
			pg_codes: ['credit-card'],
			...fields,
		});
		if (answer.status !== 201) throw new SandboxClientError(answer, 'create');
		return answer.data;
	}

	async reset(): Promise<void> {
		await this.expect(200, 'POST', '/__sandbox/reset');
	}

	/** Moves the sandbox clock forward and/or freezes it; automatic inquiries then due are run. */
	async clock(change: { advance_seconds?: number; freeze?: boolean }): Promise<ClockState> {
		return await this.expect<ClockState>(200, 'POST', '/__sandbox/clock', change);
	}

	/**
	 * How this merchant's Ottu signs from now on: the current scheme (default) or the previous one, and
	 * the merchant ID put in extra.merchant_id (default: the sandbox's host name). Reset restores both.
	 */
	async setSigning(setting: {
		scheme?: 'current' | 'previous';
		merchant_id?: string;
	}): Promise<{ scheme: 'current' | 'previous'; merchant_id: string }> {
		return await this.expect(200, 'POST', '/__sandbox/signing', setting);
	}

	async advanceClock(seconds: number): Promise<ClockState> {
		return await this.clock({ advance_seconds: seconds });
	}

	/** What reached the API (control routes are not logged). */
	async requests(): Promise<RequestLogEntry[]> {
		return await this.expect<RequestLogEntry[]>(200, 'GET', '/__sandbox/requests');
	}

	/** The customer pays (or fails, authorizes, cancels) on the hosted page; answers the payment webhook payload.
	 * `wait: true` answers after the webhook delivery finished, with `webhook_delivery`. */
	async pay(
		sessionId: string,
		outcome: Outcome,
		options: { pg_code?: string; wait?: boolean; [other: string]: unknown } = {},
	): Promise<Json> {
		return await this.expect(
			200,
			'POST',
			`/__sandbox/sessions/${encodeURIComponent(sessionId)}/pay`,
			{ outcome, ...options },
		);
	}

	/** The gateway settled, Ottu has not heard yet: the next inquiry finds `outcome`. */
	async pgStatus(sessionId: string, outcome: Outcome): Promise<Json> {
		return await this.expect(
			200,
			'POST',
			`/__sandbox/sessions/${encodeURIComponent(sessionId)}/pg-status`,
			{ outcome },
		);
	}

	/** Delivers the transaction's current payment webhook again (to `url`, default its webhook_url). */
	async notify(sessionId: string, options: { url?: string; wait?: boolean } = {}): Promise<Json> {
		return await this.expect(
			200,
			'POST',
			`/__sandbox/sessions/${encodeURIComponent(sessionId)}/notify`,
			options,
		);
	}

	async ledger(sessionId: string): Promise<LedgerView> {
		return await this.expect<LedgerView>(
			200,
			'GET',
			`/__sandbox/sessions/${encodeURIComponent(sessionId)}/ledger`,
		);
	}

	/** The gateway's late answer to a pending refund (its child transaction). */
	async settleRefund(
		childSessionId: string,
		outcome: 'refunded' | 'refund_rejected',
	): Promise<Json> {
		return await this.expect(
			200,
			'POST',
			`/__sandbox/children/${encodeURIComponent(childSessionId)}/settle`,
			{ outcome },
		);
	}

	/** Webhook delivery attempts; `wait` first lets running deliveries finish. */
	async webhooks(filter: { session_id?: string; wait?: boolean } = {}): Promise<WebhookAttempt[]> {
		const params: Record<string, string> = {};
		if (filter.session_id !== undefined) params.session_id = filter.session_id;
		if (filter.wait) params.wait = 'true';
		return await this.expect<WebhookAttempt[]>(
			200,
			'GET',
			'/__sandbox/webhooks',
			undefined,
			params,
		);
	}

	async addFault(fault: FaultSpec): Promise<FaultView> {
		return await this.expect<FaultView>(201, 'POST', '/__sandbox/faults', fault);
	}

	async faults(): Promise<FaultView[]> {
		return await this.expect<FaultView[]>(200, 'GET', '/__sandbox/faults');
	}

	async clearFaults(): Promise<{ removed: number }> {
		return await this.expect<{ removed: number }>(200, 'DELETE', '/__sandbox/faults');
	}

	/** A saved card, as if the customer had tokenized it earlier. */
	async seedCard(card: Record<string, unknown>): Promise<Json> {
		return await this.expect(201, 'POST', '/__sandbox/cards', card);
	}

	/** What reached the report storage origin (reports seeded with storage "s3"). */
	async storageRequests(): Promise<StorageRequest[]> {
		return await this.expect<StorageRequest[]>(200, 'GET', '/__sandbox/storage/requests');
	}

	/** Every report download served from the sandbox itself, with the bytes it handed to the connection. */
	async reportDownloads(): Promise<ReportDownload[]> {
		return await this.expect<ReportDownload[]>(200, 'GET', '/__sandbox/reports/downloads');
	}

	async seedReports(seed: ReportSeed): Promise<{ created: number; encrypted_ids: string[] }> {
		return await this.expect<{ created: number; encrypted_ids: string[] }>(
			201,
			'POST',
			'/__sandbox/reports',
			seed,
		);
	}

	/** Notifications (SMS, email, WhatsApp) the sandbox "sent". */
	async notifications(): Promise<NotificationRecord[]> {
		return await this.expect<NotificationRecord[]>(200, 'GET', '/__sandbox/notifications');
	}
}
