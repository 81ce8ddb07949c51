/**
 * One attempt: send the request once (following only the redirects redirectDecision allows), read the answer
 * within its bounds, and say what came of it. Nothing here waits, repeats or builds an error.
 */
import type { IAdditionalCredentialOptions, IHttpRequestOptions } from 'n8n-workflow';

import type { BodyBounds } from './body';
import {
	beforeDeadline,
	BODY_LIMITS,
	bodyDeadline,
	BodyLimitError,
	discard,
	guardBody,
	readBodyText,
} from './body';
import { isRedirect, redirectDecision } from './redirects';
import type { OttuFunctions, PreparedRequest } from './prepare';
import { CREDENTIAL_TYPE } from './prepare';

export interface OttuStreamResponse {
	body: NodeJS.ReadableStream;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
	/** By when the whole body must have been read (the attempt's Timeout); see storeWithinTimeout. */
	bounds: { deadlineAt: number; timeout: number };
}

/**
 * Runs `store` on a streamed answer (n8n's prepareBinaryData, for example) within the attempt's Timeout: the
 * body guard destroys a stalled body, but the store may never hear of it, so the two are raced.
 */
export async function storeWithinTimeout<T>(
	response: OttuStreamResponse,
	store: (response: OttuStreamResponse) => Promise<T>,
): Promise<T> {
	const stored = beforeDeadline(store(response), response.bounds.deadlineAt, () =>
		bodyDeadline(response.bounds.timeout),
	);
	stored.catch(() => discard(response.body));
	return await stored;
}

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

/** Why an attempt brought no usable answer; errors.ts words each one. */
export type Failure =
	/** A redirect the transport will not follow. */
	| { type: 'redirect'; status: number; reason: string }
	/** A JSON answer beyond BODY_LIMITS.maxJsonBytes. */
	| { type: 'too large' }
	/** The answer began, then stalled or trickled: it had not arrived whole at the Timeout. */
	| { type: 'stalled' }
	/** No answer: `code` is set when the connection broke in a way a repeat may fix. */
	| { type: 'network'; error: unknown; code?: string }
	/** A 2xx whose JSON is empty, cut off or a web page. */
	| { type: 'unreadable'; status: number; what: string }
	/** A 2xx to a download that brought a JSON message or a web page instead of the file. */
	| { type: 'not a file'; status: number; mediaType: string; body: unknown }
	/** Any other status: Ottu refused, throttled or failed. */
	| { type: 'refused'; status: number; body: unknown; retryAfter?: number };

/**
 * - `answer`: the answer;
 * - `retryable`: refused before anything was done (429), safe to send again whatever the policy;
 * - `unknown`: Ottu may or may not have done the work (connection broke, 5xx, answer lost);
 * - `in flight`: Ottu still carries out an operation with this Tracking-Key (`operation_tracking`);
 * - `final`: sending it again would not change anything.
 */
export type Outcome =
	| { kind: 'answer'; value: unknown }
	| { kind: 'retryable' | 'unknown' | 'in flight' | 'final'; failure: Failure };

export async function attempt(ctx: OttuFunctions, prepared: PreparedRequest): Promise<Outcome> {
	const { request, options, authentication, timeout } = prepared;
	const bounds: BodyBounds = {
		maxBytes: BODY_LIMITS.maxJsonBytes,
		deadlineAt: Date.now() + timeout,
		timeout,
	};
	let response: FullResponse;
	try {
		// The Timeout bounds the whole exchange: n8n's own timeout only notices a socket that goes quiet.
		response = await beforeDeadline(
			followRedirects.call(ctx, options, authentication, request.stream === true),
			bounds.deadlineAt,
			() => new NoAnswerInTime(),
			(late) => discard(late.body),
		);
		const status = response.statusCode;
		if (request.stream && status >= 200 && status < 300 && !isMessage(response.headers)) {
			guardBody(
				response.body as NodeJS.ReadableStream,
				{ ...bounds, maxBytes: request.maxBytes ?? bounds.maxBytes },
				response.headers,
			);
			return {
				kind: 'answer',
				value: { ...response, bounds: { deadlineAt: bounds.deadlineAt, timeout } },
			};
		}
		response.body = await readBodyText(response.body, bounds);
	} catch (error) {
		return failedAttempt(error);
	}
	// Outside the try: a caller's refusal (a listing grown too large) is its own error, not a network failure.
	request.onAnswerBytes?.(Buffer.byteLength(response.body as string));
	return classifyAnswer(response, request.stream === true);
}

function failedAttempt(error: unknown): Outcome {
	if (error instanceof RedirectRefused)
		return {
			kind: 'final',
			failure: { type: 'redirect', status: error.status, reason: error.reason },
		};
	if (error instanceof BodyLimitError && error.failure === 'too large')
		return { kind: 'final', failure: { type: 'too large' } };
	if (error instanceof BodyLimitError && error.failure === 'deadline')
		return { kind: 'unknown', failure: { type: 'stalled' } };
	const code = networkCode(error);
	return {
		kind: code === undefined ? 'final' : 'unknown',
		failure: { type: 'network', error, code },
	};
}

function classifyAnswer(response: FullResponse, stream: boolean): Outcome {
	const { statusCode: status, headers, body } = response;
	if (status === 429) {
		const retryAfter = parseRetryAfter(header(headers, 'retry-after'));
		return { kind: 'retryable', failure: { type: 'refused', status, body, retryAfter } };
	}
	if (status < 200 || status >= 300)
		return {
			kind: status >= 500 ? 'unknown' : stillInFlight(body) ? 'in flight' : 'final',
			failure: { type: 'refused', status, body },
		};
	// A 2xx without a readable answer: Ottu may have done the work, but what it answered is lost.
	if (stream)
		return {
			kind: 'unknown',
			failure: { type: 'not a file', status, mediaType: mediaType(headers), body },
		};
	const answer = readJsonAnswer(body);
	if (status === 204 || !('unreadable' in answer))
		return { kind: 'answer', value: ('value' in answer ? answer.value : undefined) ?? {} };
	return {
		kind: 'unknown',
		failure: { type: 'unreadable', status, what: `${answer.unreadable} instead of JSON` },
	};
}

/**
 * Ottu's refusal of a Tracking-Key it stored when an operation was initiated, while that operation has no
 * outcome yet: `{operation: "operation_tracking", result: "failed"}` (OpenAPI `OperationFailure`).
 */
export function stillInFlight(body: unknown): boolean {
	const answer = readJsonAnswer(body);
	if (!('value' in answer) || typeof answer.value !== 'object' || answer.value === null)
		return false;
	const value = answer.value as Record<string, unknown>;
	return value.operation === 'operation_tracking' && value.result === 'failed';
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

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (!Number.isNaN(date)) return Math.max(0, date - now);
	return undefined;
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

/**
 * n8n's own words for those codes. n8n 1.x replaces a connection error with a message in these words and
 * keeps no code or cause, so without them a lost answer there was never repeated.
 */
const N8N_NETWORK_MESSAGES: Array<[RegExp, string]> = [
	[/^The connection to the server was closed unexpectedly/, 'ECONNRESET'],
	[/^The service refused the connection/, 'ECONNREFUSED'],
	[/^The connection was aborted/, 'ECONNABORTED'],
	[/^The DNS server returned an error/, 'EAI_AGAIN'],
];

/** The code of a connection failure a repeat may fix, found on the error, its causes or in a message. */
export function networkCode(error: unknown): string | undefined {
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
			const worded = N8N_NETWORK_MESSAGES.find(([words]) => words.test(message));
			if (worded) return worded[1];
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function header(headers: FullResponse['headers'], name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function mediaType(headers: FullResponse['headers']): string {
	return (header(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** A JSON message or an HTML page where a file was expected. */
function isMessage(headers: FullResponse['headers']): boolean {
	const type = mediaType(headers);
	return type === 'application/json' || type === 'text/html';
}

/** No answer head (status and headers) within the Timeout: a stall before or during the headers. */
class NoAnswerInTime extends Error {
	readonly code = 'ETIMEDOUT';

	constructor() {
		super('No answer within the Timeout');
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
		drain(response.body);
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

function drain(body: unknown): void {
	if (body && typeof (body as NodeJS.ReadableStream).resume === 'function') {
		(body as NodeJS.ReadableStream).resume();
	}
}
