import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IPollFunctions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { runAtMost } from '../helpers/concurrency';
import { normalizeBaseUrl, originOf } from './baseUrl';
import type { BodyBounds } from './body';
import { BODY_LIMITS, BodyLimitError, formatBytes, guardBody, readBodyText } from './body';
import {
	connectionCodeOf,
	describeOttuErrorBody,
	explainConnectionCode,
	hintForStatus,
	redactSecrets,
	secretsOf,
} from './errors';
import { isRedirect, redirectDecision } from './redirects';

export { BODY_LIMITS } from './body';

export const CREDENTIAL_TYPE = 'ottuApi';

export type OttuFunctions =
	IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions | IPollFunctions;

/**
 * How a request may be repeated after a failure whose outcome is unknown (timeout, reset, 5xx):
 * - `read`: no side effect, always safe to repeat;
 * - `tracked`: moves money but carries a Tracking-Key on `/b/pbl/v2/operation/`, the one place Ottu documents it,
 *   so Ottu answers a repeat with the original operation (without a Tracking-Key it counts as `once`);
 * - `once`: never repeated, except after a 429 (Ottu refused it before doing anything).
 */
export type RetryPolicy = 'read' | 'tracked' | 'once';

export interface OttuRequest {
	method: IHttpRequestMethods;
	/** Path under the instance, with Ottu's trailing slash, e.g. `/b/checkout/v1/pymt-txn/`. */
	path: string;
	body?: IDataObject;
	/** A multipart/form-data body (file uploads), sent as built; a Buffer, so a repeat can send it again. */
	multipart?: { data: Buffer; contentType: string };
	qs?: IDataObject;
	/** Sent as the `Tracking-Key` header: idempotency for refund/capture/void, a reference elsewhere. */
	trackingKey?: string;
	retry?: RetryPolicy;
	/** For `once`: what the error says when the outcome is unknown, instead of the general sentence. */
	unknownOutcome?: string;
	/** Called before a request is sent again after an attempt whose outcome is unknown (answer lost, 5xx). */
	onLostAnswer?: () => void;
	itemIndex?: number;
	/** Stream the response body instead of parsing JSON (report downloads). */
	stream?: boolean;
	/** Milliseconds before one attempt is abandoned; for a stream, the whole body must have arrived by then. */
	timeout?: number;
	/** Largest streamed body accepted, in bytes (JSON answers: BODY_LIMITS.maxJsonBytes). */
	maxBytes?: number;
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
		memo = {
			node,
			timeout: perItem ? 'per item' : timeoutOption(ctx, 0),
		};
		runMemos.set(ctx, memo);
	}
	return memo;
}

/** The Ottu node's Options → Timeout (milliseconds) for this item, when set. */
function timeoutOption(ctx: OttuFunctions, itemIndex: number | undefined): number | undefined {
	if (!('getInputData' in ctx) || typeof ctx.getNodeParameter !== 'function') return undefined;
	const value = Number(
		(ctx as IExecuteFunctions).getNodeParameter('options.timeout', itemIndex ?? 0, 0),
	);
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
	if (typeof body !== 'string')
		return body === undefined || body === null
			? { unreadable: 'an empty answer' }
			: { value: body };
	const text = body.trim();
	if (text === '') return { unreadable: 'an empty answer' };
	try {
		return { value: JSON.parse(text) };
	} catch {
		return {
			unreadable: /^<(!doctype|html|\?xml|head|body)/i.test(text)
				? 'an HTML page'
				: 'a cut-off or malformed answer',
		};
	}
}

/** What to tell the user when a request failed without a readable answer, by how it may be repeated. */
function unsureOutcome(policy: RetryPolicy, request: OttuRequest): string {
	if (policy === 'tracked') {
		return `Ottu may have carried it out: running it again with the same Tracking-Key (${request.trackingKey ?? ''}) is safe, because Ottu answers a repeated Tracking-Key with the original operation instead of doing it twice.`;
	}
	if (policy !== 'once' || request.method === 'GET') return '';
	return (
		request.unknownOutcome ??
		'The request may or may not have been carried out: check in Ottu before running it again.'
	);
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
			return `Ottu did not answer within ${timeout < 1000 ? `${timeout} ms` : plural(Math.round(timeout / 1000), 'second')}`;
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
export async function ottuApiRequest(
	this: OttuFunctions,
	request: OttuRequest & { stream: true },
): Promise<OttuStreamResponse>;
export async function ottuApiRequest(this: OttuFunctions, request: OttuRequest): Promise<unknown>;
export async function ottuApiRequest(this: OttuFunctions, request: OttuRequest): Promise<unknown> {
	const credentials = (await this.getCredentials(CREDENTIAL_TYPE, request.itemIndex)) as Record<
		string,
		unknown
	>;
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

	const timeout =
		(memo.timeout === 'per item' ? timeoutOption(this, request.itemIndex) : memo.timeout) ??
		request.timeout ??
		DEFAULT_TIMEOUT_MS;
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
		// Every answer is streamed and read within BODY_LIMITS, so none is held whole beyond them.
		encoding: 'stream',
		json: false,
		// Redirects are the transport's decision (followRedirects): n8n's would carry the credential along.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.body !== undefined) {
		options.body = JSON.stringify(request.body);
		headers['Content-Type'] = 'application/json';
	} else if (request.multipart !== undefined) {
		options.body = request.multipart.data;
		headers['Content-Type'] = request.multipart.contentType;
	}

	// Authenticate with the credential read above (for this item) rather than have n8n read and decrypt it again on every attempt.
	const credentialRef = node.credentials?.[CREDENTIAL_TYPE];
	const authentication: IAdditionalCredentialOptions = {
		credentialsDecrypted: {
			id: credentialRef?.id ?? '',
			name: credentialRef?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: credentials as ICredentialDataDecryptedObject,
		},
	};

	const asked: RetryPolicy = request.retry ?? (request.method === 'GET' ? 'read' : 'once');
	const policy: RetryPolicy = asked === 'tracked' && !request.trackingKey ? 'once' : asked;
	const fail = (
		message: string,
		description: string,
		status?: number,
		body?: unknown,
	): NodeApiError => {
		const text = redactSecrets(message, secrets);
		const httpCode = status === undefined ? undefined : String(status);
		return new NodeApiError(
			node,
			{
				...(httpCode ? { httpCode } : {}),
				message: text,
				...(body && typeof body === 'object' ? { body } : {}),
			} as JsonObject,
			{
				message: `${text}${itemSuffix}`,
				description,
				...(httpCode ? { httpCode } : {}),
				itemIndex: request.itemIndex,
			},
		);
	};
	let waited = 0;
	// Set once an attempt failed in a way that leaves open whether Ottu did the work; the final error must say so.
	let outcomeUnknown = false;
	for (let attempt = 1; ; attempt++) {
		let response: FullResponse;
		const bounds: BodyBounds = {
			maxBytes: BODY_LIMITS.maxJsonBytes,
			deadlineAt: Date.now() + timeout,
			timeout,
		};
		try {
			response = await followRedirects.call(this, options, authentication, request.stream === true);
			if (
				request.stream &&
				response.statusCode >= 200 &&
				response.statusCode < 300 &&
				!isMessage(response.headers)
			) {
				guardBody(response.body as NodeJS.ReadableStream, {
					...bounds,
					maxBytes: request.maxBytes ?? bounds.maxBytes,
				});
				return response as OttuStreamResponse;
			}
			response.body = await readBodyText(response.body, bounds);
		} catch (error) {
			const unsure = unsureOutcome(policy, request);
			if (error instanceof RedirectRefused) {
				throw fail(
					`Ottu answered HTTP ${error.status} with ${error.reason}, which was not followed`,
					`The credential is only ever sent to ${originOf(baseUrl) ?? baseUrl}, and never from https to plain http. If your Ottu instance has moved, enter its new address as the Base URL.${request.method !== 'GET' && unsure ? ` ${unsure}` : ''}`,
					error.status,
				);
			}
			if (error instanceof BodyLimitError && error.failure === 'too large') {
				throw fail(
					`Ottu's answer is larger than the limit of ${Math.round(BODY_LIMITS.maxJsonBytes / 1024 / 1024)} MB for a JSON answer`,
					`Check that the Base URL is the Ottu instance itself.${unsure ? ` ${unsure}` : ''}`,
				);
			}
			const code = networkCode(error);
			const canRepeat = policy !== 'once' && code !== undefined;
			const delay = backoffDelay(attempt);
			if (
				canRepeat &&
				attempt < RETRY_LIMITS.maxAttempts &&
				waited + delay <= RETRY_LIMITS.maxTotalWaitMs
			) {
				outcomeUnknown = true;
				request.onLostAnswer?.();
				waited += delay;
				await sleep(delay);
				continue;
			}
			const permanent = code === undefined ? connectionCodeOf(error) : undefined;
			const explained = permanent
				? explainConnectionCode(permanent, new URL(baseUrl).host)
				: undefined;
			const message = code
				? describeNetworkFailure(code, timeout)
				: (explained ?? `Could not reach Ottu: ${(error as Error).message}`);
			const reported = explained ? ` (Connection error code ${permanent}.)` : '';
			throw fail(
				message,
				`${attempt > 1 ? `Tried ${attempt} times. ` : ''}Check the Base URL and that the Ottu instance is reachable.${reported}${unsure ? ` ${unsure}` : ''}`,
			);
		}

		const status = response.statusCode;
		const retryAfter =
			status === 429 ? parseRetryAfter(header(response.headers, 'retry-after')) : undefined;
		if (status === 429 || (status >= 500 && policy !== 'once')) {
			const delay = backoffDelay(attempt, retryAfter);
			// A wait longer than one back-off step (e.g. Ottu's per-transaction inquiry throttle) is not sat out.
			const tooLong = retryAfter !== undefined && retryAfter > RETRY_LIMITS.maxDelayMs;
			if (
				!tooLong &&
				attempt < RETRY_LIMITS.maxAttempts &&
				waited + delay <= RETRY_LIMITS.maxTotalWaitMs
			) {
				if (status >= 500) {
					outcomeUnknown = true;
					request.onLostAnswer?.();
				}
				waited += delay;
				await sleep(delay);
				continue;
			}
		}

		if (status >= 200 && status < 300) {
			let unreadable: string;
			if (request.stream) {
				// A file download that brings back a page or a JSON message did not bring the file.
				const type = mediaType(response.headers);
				const detail =
					type === 'application/json'
						? describeOttuErrorBody(redactSecrets(parseJson(response.body), secrets))
						: undefined;
				unreadable = `${type === 'text/html' ? 'an HTML page' : `a JSON message${detail ? ` (${detail})` : ''}`} instead of the file`;
			} else {
				const answer = readJsonAnswer(response.body);
				if (status === 204 || !('unreadable' in answer))
					return ('value' in answer ? answer.value : undefined) ?? {};
				unreadable = `${answer.unreadable} instead of JSON`;
			}
			// Empty, cut off or an HTML page: Ottu may have done the work, but what it answered is lost.
			const delay = backoffDelay(attempt);
			if (
				policy !== 'once' &&
				attempt < RETRY_LIMITS.maxAttempts &&
				waited + delay <= RETRY_LIMITS.maxTotalWaitMs
			) {
				outcomeUnknown = true;
				request.onLostAnswer?.();
				waited += delay;
				await sleep(delay);
				continue;
			}
			throw fail(
				`Ottu answered HTTP ${status} with ${unreadable}`,
				`${attempt > 1 ? `Tried ${attempt} times. ` : ''}${unsureOutcome(policy, request) || 'Check that the Base URL is the Ottu instance itself, not a web page or proxy in front of it, and try again.'}`,
				status,
			);
		}

		const body = redactSecrets(parseJson(response.body), secrets);
		const detail = describeOttuErrorBody(body);
		const message = detail
			? `Ottu refused the request (HTTP ${status}): ${detail}`
			: `Ottu answered HTTP ${status} without an explanation`;
		const tries = attempt > 1 ? ` Tried ${attempt} times over ${Math.round(waited / 1000)} s.` : '';
		// A 5xx may come after Ottu did the work; only a request that is never repeated leaves that open.
		const unsure =
			(status >= 500 || outcomeUnknown) && unsureOutcome(policy, request)
				? ` ${unsureOutcome(policy, request)}`
				: '';
		const wait =
			retryAfter !== undefined && retryAfter > 0
				? ` Ottu asks to wait ${Math.ceil(retryAfter / 1000)} seconds before trying again.`
				: '';
		const refused = fail(message, `${hintForStatus(status)}${wait}${tries}${unsure}`, status, body);
		// For operations that explain a 429 in their own terms (Payment Status → Check).
		if (retryAfter !== undefined) refused.context.retryAfterMs = retryAfter;
		throw refused;
	}
}

/** A redirect the transport will not follow; see redirectDecision. */
class RedirectRefused extends Error {
	constructor(
		readonly status: number,
		readonly reason: string,
	) {
		super(`HTTP ${status}: ${reason}`);
	}
}

function mediaType(headers: FullResponse['headers']): string {
	return (header(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** A JSON message or an HTML page where a file was expected. */
function isMessage(headers: FullResponse['headers']): boolean {
	const type = mediaType(headers);
	return type === 'application/json' || type === 'text/html';
}

/**
 * One request and the redirects it may follow (redirectDecision). Each hop goes through n8n's credential
 * system again, whose `authenticate` adds the credential only for the credential's own scheme, host and port.
 */
async function followRedirects(
	this: OttuFunctions,
	options: IHttpRequestOptions,
	authentication: IAdditionalCredentialOptions,
	mayLeaveOrigin: boolean,
): Promise<FullResponse> {
	let current = options;
	for (let hops = 0; ; hops++) {
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			{
				...current,
				headers: { ...current.headers },
			},
			authentication,
		)) as FullResponse;
		if (!isRedirect(response.statusCode)) return response;
		await drain(response.body);
		const decision = redirectDecision(current.url, header(response.headers, 'location'), {
			method: current.method ?? 'GET',
			mayLeaveOrigin,
			hops,
		});
		if ('refuse' in decision) throw new RedirectRefused(response.statusCode, decision.refuse);
		current = {
			...current,
			url: decision.follow,
			qs: undefined,
			headers: decision.sameOrigin ? current.headers : {},
		};
	}
}

async function drain(body: unknown): Promise<void> {
	if (body && typeof (body as NodeJS.ReadableStream).resume === 'function') {
		(body as NodeJS.ReadableStream).resume();
	}
}

/** Whether an error met while reading a body means the body stopped midway (and a repeat may bring it whole). */
function isCutOff(error: unknown): boolean {
	if (error instanceof BodyLimitError) return error.failure === 'cut off';
	const message = error instanceof Error ? error.message : '';
	return (
		networkCode(error) !== undefined || /aborted|premature close|socket hang up/i.test(message)
	);
}

function describeDownloadFailure(
	error: unknown,
	maxBytes: number,
	timeout: number,
	attempts: number,
): { message: string; description: string } {
	if (error instanceof BodyLimitError && error.failure === 'too large') {
		return {
			message: `The file is larger than the Max Download Size of ${formatBytes(maxBytes)}`,
			description:
				'Raise Max Download Size in the options, or download a report covering a shorter period.',
		};
	}
	if (error instanceof BodyLimitError && error.failure === 'deadline') {
		return {
			message: `The file did not arrive within ${timeout < 1000 ? `${timeout} ms` : plural(Math.round(timeout / 1000), 'second')}`,
			description:
				'The Timeout option bounds the whole download. Raise it for large reports, or try again later.',
		};
	}
	if (isCutOff(error)) {
		return {
			message: 'The download was cut off before the end of the file',
			description: `Tried ${attempts} time${attempts === 1 ? '' : 's'}. The connection to Ottu or its file storage broke midway; try again later.`,
		};
	}
	return {
		message: `The file could not be stored: ${error instanceof Error ? error.message : String(error)}`,
		description: "Check the n8n instance's binary data storage.",
	};
}

/**
 * A file download: the request (repeated like any read), then `store` reading the body within `maxBytes` and
 * the Timeout as a deadline for the whole file. A body cut off midway is fetched again, like any read.
 */
export async function ottuDownload<T>(
	this: OttuFunctions,
	request: OttuRequest & { maxBytes: number },
	store: (response: OttuStreamResponse) => Promise<T>,
): Promise<T> {
	const memo = runMemo(this);
	const timeout =
		(memo.timeout === 'per item' ? timeoutOption(this, request.itemIndex) : memo.timeout) ??
		request.timeout ??
		DEFAULT_TIMEOUT_MS;
	let waited = 0;
	for (let attempt = 1; ; attempt++) {
		const response = (await ottuApiRequest.call(this, {
			...request,
			stream: true,
			retry: 'read',
		})) as OttuStreamResponse;
		try {
			return await store(response);
		} catch (error) {
			const delay = backoffDelay(attempt);
			if (
				isCutOff(error) &&
				attempt < RETRY_LIMITS.maxAttempts &&
				waited + delay <= RETRY_LIMITS.maxTotalWaitMs
			) {
				waited += delay;
				await sleep(delay);
				continue;
			}
			const { message, description } = describeDownloadFailure(
				error,
				request.maxBytes,
				timeout,
				attempt,
			);
			const suffix = request.itemIndex !== undefined ? ` [item ${request.itemIndex}]` : '';
			throw new NodeApiError(memo.node, { message } as JsonObject, {
				message: `${message}${suffix}`,
				description,
				itemIndex: request.itemIndex,
			});
		}
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

/** Bounds of one listing, so a server whose `next` never ends or whose `count` is absurd cannot run forever. */
export const LISTING_LIMITS = {
	maxPages: 1000,
	maxItems: 100_000,
};

function listingTooLong(
	ctx: OttuFunctions,
	itemIndex: number | undefined,
	what: string,
): NodeApiError {
	const message = `The listing is too long: ${what}, more than one run fetches (at most ${LISTING_LIMITS.maxItems} results in ${LISTING_LIMITS.maxPages} pages)`;
	return new NodeApiError(runMemo(ctx).node, { message } as JsonObject, {
		message: `${message}${itemIndex !== undefined ? ` [item ${itemIndex}]` : ''}`,
		description:
			'Narrow it with the filters (for example a date range), or turn off Return All and set a Limit.',
		itemIndex,
	});
}

/** Refuses, before fetching the rest, a listing whose announced size is beyond LISTING_LIMITS. */
function checkAnnouncedSize(
	ctx: OttuFunctions,
	itemIndex: number | undefined,
	total: number,
	step: number,
): void {
	if (!Number.isSafeInteger(total) || total < 0)
		throw listingTooLong(ctx, itemIndex, `Ottu announced a count of ${String(total)}`);
	if (total > LISTING_LIMITS.maxItems)
		throw listingTooLong(ctx, itemIndex, `Ottu announced ${total} results`);
	if (Math.ceil(total / step) > LISTING_LIMITS.maxPages)
		throw listingTooLong(
			ctx,
			itemIndex,
			`${total} results in pages of ${step} make ${Math.ceil(total / step)} pages`,
		);
}

type Page = { results?: IDataObject[]; next?: string | null; count?: number };

/**
 * Follows Ottu's limit/offset pages (`{count, next, previous, results}`) until done or `limit` results.
 * The first page gives the total and the page size Ottu really uses; the other pages are then fetched up to
 * PAGES_AT_ONCE at a time (a long listing waits for one round trip per three pages instead of one per
 * page) and put back in Ottu's order. Without a count it follows `next` one page at a time.
 */
export async function ottuApiRequestAllItems(
	this: OttuFunctions,
	page: PageOptions,
): Promise<IDataObject[]> {
	const wanted = page.limit ?? Infinity;
	const pageSize = Math.max(1, Math.min(page.pageSize ?? 200, wanted));
	const fetchPage = async (
		offset: number,
		size: number,
	): Promise<{ batch: IDataObject[]; response: Page }> => {
		const response = (await ottuApiRequest.call(this, {
			method: 'GET',
			path: page.path,
			qs: {
				...(page.qs ?? {}),
				limit: size,
				offset,
			},
			itemIndex: page.itemIndex,
		})) as Page;
		return {
			batch: Array.isArray(response.results) ? response.results : [],
			response,
		};
	};

	const first = await fetchPage(0, pageSize);
	let results = first.batch;
	const step = first.batch.length;
	const total =
		typeof first.response.count === 'number' ? Math.min(first.response.count, wanted) : undefined;

	if (step > 0 && first.response.next && total !== undefined) {
		checkAnnouncedSize(this, page.itemIndex, total, step);
		const offsets: number[] = [];
		for (let offset = step; offset < total; offset += step) offsets.push(offset);
		const batches: IDataObject[][] = new Array(offsets.length);
		await runAtMost(offsets.length, PAGES_AT_ONCE, async (k) => {
			batches[k] = (await fetchPage(offsets[k], Math.min(pageSize, total - offsets[k]))).batch;
		});
		results = results.concat(...batches);
	} else if (step > 0 && first.response.next) {
		for (let offset = step, pages = 1; results.length < wanted; pages++) {
			if (pages >= LISTING_LIMITS.maxPages || results.length >= LISTING_LIMITS.maxItems) {
				throw listingTooLong(
					this,
					page.itemIndex,
					`Ottu still had a next page after ${pages} pages and ${results.length} results`,
				);
			}
			const { batch, response } = await fetchPage(
				offset,
				Math.min(pageSize, wanted - results.length),
			);
			results.push(...batch);
			offset += batch.length;
			if (batch.length === 0 || !response.next) break;
		}
	}
	return results.length > wanted ? results.slice(0, wanted) : results;
}

/** The credential's instance address, normalised (no secret is read out). */
export async function ottuBaseUrl(this: OttuFunctions, itemIndex?: number): Promise<string> {
	const credentials = (await this.getCredentials(CREDENTIAL_TYPE, itemIndex)) as Record<
		string,
		unknown
	>;
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

function plural(count: number, unit: string): string {
	return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
