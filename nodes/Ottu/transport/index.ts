import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { runAtMost } from '../helpers/concurrency';
import { normalizeBaseUrl } from './baseUrl';
import { describeOttuErrorBody, hintForStatus, redactSecrets, secretsOf } from './errors';

export const CREDENTIAL_TYPE = 'ottuApi';

export type OttuFunctions = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

/**
 * How a request may be repeated after a failure whose outcome is unknown (timeout, reset, 5xx):
 * - `read`: no side effect, always safe to repeat;
 * - `tracked`: moves money but carries a Tracking-Key, so Ottu answers a repeat with the original result;
 * - `once`: never repeated, except after a 429 (Ottu refused it before doing anything).
 */
export type RetryPolicy = 'read' | 'tracked' | 'once';

export interface OttuRequest {
	method: IHttpRequestMethods;
	/** Path under the instance, with Ottu's trailing slash, e.g. `/b/checkout/v1/pymt-txn/`. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Idempotency key for refund/capture/void/charges; sent as the `Tracking-Key` header. */
	trackingKey?: string;
	retry?: RetryPolicy;
	itemIndex?: number;
	/** Stream the response body instead of parsing JSON (report downloads). */
	stream?: boolean;
	/** Milliseconds before one attempt is abandoned. */
	timeout?: number;
}

export interface OttuStreamResponse {
	body: NodeJS.ReadableStream;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

/** Back-off limits; exported so tests and docs state the same numbers. */
export const RETRY_LIMITS = {
	maxAttempts: 5,
	/** First back-off when Ottu gives no Retry-After; doubled each time. */
	baseDelayMs: 500,
	/** Longest single wait, whatever Retry-After says. */
	maxDelayMs: 30_000,
	/** Longest total time spent waiting for one request. */
	maxTotalWaitMs: 60_000,
};

export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * What stays the same for every item of one node run, read once per run: n8n's getNode() deep-copies the
 * node each call, and a Timeout that is not an expression has the same value for every item.
 */
interface RunMemo {
	node: INode;
	/** undefined: not set; 'per item': an expression, resolved for each item. */
	timeout: number | undefined | 'per item';
}
const runMemos = new WeakMap<OttuFunctions, RunMemo>();

function runMemo(ctx: OttuFunctions): RunMemo {
	let memo = runMemos.get(ctx);
	if (memo === undefined) {
		const node = ctx.getNode();
		const raw = (node.parameters?.options as IDataObject | undefined)?.timeout;
		const perItem = typeof raw === 'string' && raw.startsWith('=');
		memo = { node, timeout: perItem ? 'per item' : timeoutOption(ctx, 0) };
		runMemos.set(ctx, memo);
	}
	return memo;
}

/** The Ottu node's Options → Timeout (milliseconds) for this item, when set. */
function timeoutOption(ctx: OttuFunctions, itemIndex: number | undefined): number | undefined {
	if (!('getInputData' in ctx) || typeof ctx.getNodeParameter !== 'function') return undefined;
	const value = Number((ctx as IExecuteFunctions).getNodeParameter('options.timeout', itemIndex ?? 0, 0));
	return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ECONNREFUSED',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

function header(headers: FullResponse['headers'], name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (!Number.isNaN(date)) return Math.max(0, date - now);
	return undefined;
}

export function backoffDelay(attempt: number, retryAfterMs?: number): number {
	const exponential = RETRY_LIMITS.baseDelayMs * 2 ** (attempt - 1);
	return Math.min(RETRY_LIMITS.maxDelayMs, retryAfterMs ?? exponential);
}

function parseJson(text: unknown): unknown {
	if (typeof text !== 'string') return text;
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** A 2xx body as JSON, or what it was instead (204 answers are empty by design). */
function readJsonAnswer(body: unknown): { value: unknown } | { unreadable: string } {
	if (typeof body !== 'string') return body === undefined || body === null ? { unreadable: 'an empty answer' } : { value: body };
	const text = body.trim();
	if (text === '') return { unreadable: 'an empty answer' };
	try {
		return { value: JSON.parse(text) };
	} catch {
		return { unreadable: /^<(!doctype|html|\?xml|head|body)/i.test(text) ? 'an HTML page' : 'a cut-off or malformed answer' };
	}
}

/** What to tell the user when a request failed without a readable answer, by how it may be repeated. */
function unsureOutcome(policy: RetryPolicy, method: IHttpRequestMethods): string {
	if (policy === 'tracked') {
		return 'Ottu may have carried it out: running it again is safe, because the same Tracking-Key makes Ottu answer with the original result instead of doing it twice.';
	}
	return policy === 'once' && method !== 'GET' ? 'The request may or may not have been carried out: check in Ottu before running it again.' : '';
}

async function readStreamText(stream: NodeJS.ReadableStream, limit = 64 * 1024): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream as AsyncIterable<Buffer | string>) {
		const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		if (size < limit) chunks.push(buf);
		size += buf.length;
	}
	return Buffer.concat(chunks).toString('utf8');
}

function networkCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return code;
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string') {
			if (/timeout/i.test(message)) return 'ETIMEDOUT';
			const m = /\b(E[A-Z_]{4,})\b/.exec(message);
			if (m && RETRYABLE_NETWORK_CODES.has(m[1])) return m[1];
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function describeNetworkFailure(code: string | undefined, timeout: number): string {
	switch (code) {
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
		case 'ECONNABORTED':
		case 'ERR_SOCKET_CONNECTION_TIMEOUT':
			return `Ottu did not answer within ${timeout < 1000 ? `${timeout} ms` : `${Math.round(timeout / 1000)} seconds`}`;
		case 'ECONNREFUSED':
			return 'Could not connect to the Ottu instance (connection refused)';
		case 'EAI_AGAIN':
			return 'Could not look up the Ottu instance address';
		default:
			return 'The connection to Ottu was interrupted';
	}
}

/**
 * The one way every Ottu operation talks to Ottu: authentication through n8n's credential system,
 * JSON in and out, readable errors without secrets, 429 back-off, and retries only where safe.
 */
export async function ottuApiRequest(this: OttuFunctions, request: OttuRequest & { stream: true }): Promise<OttuStreamResponse>;
export async function ottuApiRequest(this: OttuFunctions, request: OttuRequest): Promise<unknown>;
export async function ottuApiRequest(this: OttuFunctions, request: OttuRequest): Promise<unknown> {
	const credentials = (await this.getCredentials(CREDENTIAL_TYPE, request.itemIndex)) as Record<string, unknown>;
	const secrets = secretsOf(credentials);
	const memo = runMemo(this);
	const node = memo.node;
	const itemSuffix = request.itemIndex !== undefined ? ` [item ${request.itemIndex}]` : '';

	let baseUrl: string;
	try {
		baseUrl = normalizeBaseUrl(credentials.baseUrl);
	} catch (error) {
		throw new NodeApiError(node, { message: (error as Error).message } as JsonObject, {
			message: (error as Error).message,
			description: 'Open the Ottu credential and correct the Base URL.',
			itemIndex: request.itemIndex,
		});
	}

	const timeout = (memo.timeout === 'per item' ? timeoutOption(this, request.itemIndex) : memo.timeout) ?? request.timeout ?? DEFAULT_TIMEOUT_MS;
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.trackingKey) headers['Tracking-Key'] = request.trackingKey;
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		headers,
		timeout,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		encoding: request.stream ? 'stream' : 'text',
		json: false,
	};
	if (request.body !== undefined) {
		options.body = JSON.stringify(request.body);
		headers['Content-Type'] = 'application/json';
	}

	// Authenticate with the credential read above (for this item) rather than have n8n read and decrypt it again on every attempt.
	const credentialRef = node.credentials?.[CREDENTIAL_TYPE];
	const authentication: IAdditionalCredentialOptions = {
		credentialsDecrypted: { id: credentialRef?.id ?? '', name: credentialRef?.name ?? '', type: CREDENTIAL_TYPE, data: credentials as ICredentialDataDecryptedObject },
	};

	const policy: RetryPolicy = request.retry ?? (request.method === 'GET' ? 'read' : 'once');
	let waited = 0;
	// Set once an attempt failed in a way that leaves open whether Ottu did the work; the final error must say so.
	let outcomeUnknown = false;
	for (let attempt = 1; ; attempt++) {
		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				{ ...options, headers: { ...headers } },
				authentication,
			)) as FullResponse;
		} catch (error) {
			const code = networkCode(error);
			const canRepeat = policy !== 'once' && code !== undefined;
			const delay = backoffDelay(attempt);
			if (canRepeat && attempt < RETRY_LIMITS.maxAttempts && waited + delay <= RETRY_LIMITS.maxTotalWaitMs) {
				outcomeUnknown = true;
				waited += delay;
				await sleep(delay);
				continue;
			}
			const message = redactSecrets(
				code ? describeNetworkFailure(code, timeout) : `Could not reach Ottu: ${(error as Error).message}`,
				secrets,
			);
			const unsure = unsureOutcome(policy, request.method) ? ` ${unsureOutcome(policy, request.method)}` : '';
			throw new NodeApiError(node, { message } as JsonObject, {
				message: `${message}${itemSuffix}`,
				description: `${attempt > 1 ? `Tried ${attempt} times. ` : ''}Check the Base URL and that the Ottu instance is reachable.${unsure}`,
				itemIndex: request.itemIndex,
			});
		}

		const status = response.statusCode;
		const retryAfter = status === 429 ? parseRetryAfter(header(response.headers, 'retry-after')) : undefined;
		if (status === 429 || (status >= 500 && policy !== 'once')) {
			const delay = backoffDelay(attempt, retryAfter);
			// A wait longer than one back-off step (e.g. Ottu's per-transaction inquiry throttle) is not sat out.
			const tooLong = retryAfter !== undefined && retryAfter > RETRY_LIMITS.maxDelayMs;
			if (!tooLong && attempt < RETRY_LIMITS.maxAttempts && waited + delay <= RETRY_LIMITS.maxTotalWaitMs) {
				if (request.stream) await drain(response.body);
				if (status >= 500) outcomeUnknown = true;
				waited += delay;
				await sleep(delay);
				continue;
			}
		}

		if (status >= 200 && status < 300) {
			let unreadable: string;
			if (request.stream) {
				// A file download that brings back a page or a JSON message did not bring the file.
				const type = (header(response.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
				if (type !== 'application/json' && type !== 'text/html') return response as OttuStreamResponse;
				const text = await readStreamText(response.body as NodeJS.ReadableStream);
				const detail = type === 'application/json' ? describeOttuErrorBody(redactSecrets(parseJson(text), secrets)) : undefined;
				unreadable = `${type === 'text/html' ? 'an HTML page' : `a JSON message${detail ? ` (${detail})` : ''}`} instead of the file`;
			} else {
				const answer = readJsonAnswer(response.body);
				if (status === 204 || !('unreadable' in answer)) return ('value' in answer ? answer.value : undefined) ?? {};
				unreadable = `${answer.unreadable} instead of JSON`;
			}
			// Empty, cut off or an HTML page: Ottu may have done the work, but what it answered is lost.
			const delay = backoffDelay(attempt);
			if (policy !== 'once' && attempt < RETRY_LIMITS.maxAttempts && waited + delay <= RETRY_LIMITS.maxTotalWaitMs) {
				outcomeUnknown = true;
				waited += delay;
				await sleep(delay);
				continue;
			}
			const message = redactSecrets(`Ottu answered HTTP ${status} with ${unreadable}`, secrets);
			throw new NodeApiError(node, { httpCode: String(status), message } as JsonObject, {
				message: `${message}${itemSuffix}`,
				description: `${attempt > 1 ? `Tried ${attempt} times. ` : ''}${unsureOutcome(policy, request.method) || 'Check that the Base URL is the Ottu instance itself, not a web page or proxy in front of it, and try again.'}`,
				httpCode: String(status),
				itemIndex: request.itemIndex,
			});
		}

		const rawBody = request.stream ? await readStreamText(response.body as NodeJS.ReadableStream) : response.body;
		const body = redactSecrets(parseJson(rawBody), secrets);
		const detail = describeOttuErrorBody(body);
		const message = redactSecrets(
			detail ? `Ottu refused the request (HTTP ${status}): ${detail}` : `Ottu answered HTTP ${status} without an explanation`,
			secrets,
		);
		const tries = attempt > 1 ? ` Tried ${attempt} times over ${Math.round(waited / 1000)} s.` : '';
		// A 5xx may come after Ottu did the work; only a request that is never repeated leaves that open.
		const unsure = (status >= 500 || outcomeUnknown) && unsureOutcome(policy, request.method) ? ` ${unsureOutcome(policy, request.method)}` : '';
		const wait = retryAfter !== undefined && retryAfter > 0 ? ` Ottu asks to wait ${Math.ceil(retryAfter / 1000)} seconds before trying again.` : '';
		const refused = new NodeApiError(
			node,
			{ httpCode: String(status), message, ...(body && typeof body === 'object' ? { body } : {}) } as JsonObject,
			{
				message: `${message}${itemSuffix}`,
				description: `${hintForStatus(status)}${wait}${tries}${unsure}`,
				httpCode: String(status),
				itemIndex: request.itemIndex,
			},
		);
		// For operations that explain a 429 in their own terms (Payment Status → Check).
		if (retryAfter !== undefined) refused.context.retryAfterMs = retryAfter;
		throw refused;
	}
}

async function drain(body: unknown): Promise<void> {
	if (body && typeof (body as NodeJS.ReadableStream).resume === 'function') {
		(body as NodeJS.ReadableStream).resume();
	}
}

export interface PageOptions {
	path: string;
	qs?: IDataObject;
	/** Stop after this many results; undefined means all. */
	limit?: number;
	pageSize?: number;
	itemIndex?: number;
}

/** Pages requested at the same time once the first page has said how many results there are. */
export const PAGES_AT_ONCE = 3;

type Page = { results?: IDataObject[]; next?: string | null; count?: number };

/**
 * Follows Ottu's limit/offset pages (`{count, next, previous, results}`) until done or `limit` results.
 * The first page gives the total and the page size Ottu really uses; the other pages are then fetched up to
 * PAGES_AT_ONCE at a time (a long listing waits for one round trip per three pages instead of one per
 * page) and put back in Ottu's order. Without a count it follows `next` one page at a time.
 */
export async function ottuApiRequestAllItems(this: OttuFunctions, page: PageOptions): Promise<IDataObject[]> {
	const wanted = page.limit ?? Infinity;
	const pageSize = Math.max(1, Math.min(page.pageSize ?? 200, wanted));
	const fetchPage = async (offset: number, size: number): Promise<{ batch: IDataObject[]; response: Page }> => {
		const response = (await ottuApiRequest.call(this, {
			method: 'GET',
			path: page.path,
			qs: { ...(page.qs ?? {}), limit: size, offset },
			itemIndex: page.itemIndex,
		})) as Page;
		return { batch: Array.isArray(response.results) ? response.results : [], response };
	};

	const first = await fetchPage(0, pageSize);
	let results = first.batch;
	const step = first.batch.length;
	const total = typeof first.response.count === 'number' ? Math.min(first.response.count, wanted) : undefined;

	if (step > 0 && first.response.next && total !== undefined) {
		const offsets: number[] = [];
		for (let offset = step; offset < total; offset += step) offsets.push(offset);
		const batches: IDataObject[][] = new Array(offsets.length);
		await runAtMost(offsets.length, PAGES_AT_ONCE, async (k) => {
			batches[k] = (await fetchPage(offsets[k], Math.min(pageSize, total - offsets[k]))).batch;
		});
		results = results.concat(...batches);
	} else if (step > 0 && first.response.next) {
		for (let offset = step; results.length < wanted; ) {
			const { batch, response } = await fetchPage(offset, Math.min(pageSize, wanted - results.length));
			results.push(...batch);
			offset += batch.length;
			if (batch.length === 0 || !response.next) break;
		}
	}
	return results.length > wanted ? results.slice(0, wanted) : results;
}

/** The credential's instance address, normalised (no secret is read out). */
export async function ottuBaseUrl(this: OttuFunctions, itemIndex?: number): Promise<string> {
	const credentials = (await this.getCredentials(CREDENTIAL_TYPE, itemIndex)) as Record<string, unknown>;
	try {
		return normalizeBaseUrl(credentials.baseUrl);
	} catch (error) {
		throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
			message: (error as Error).message,
			description: 'Open the Ottu credential and correct the Base URL.',
			itemIndex,
		});
	}
}
