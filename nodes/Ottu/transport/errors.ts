/**
 * Every error the transport raises is written here: Ottu's error bodies turned into one readable sentence,
 * secrets kept out of anything shown, and (ottuError) the one NodeApiError for a request that failed.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { originOf } from '../../../credentials/ottuBaseUrl';
import type { Failure } from './attempt';
import { stillInFlight } from './attempt';
import { BODY_LIMITS } from './body';
import type { OttuRequest, PreparedRequest, RetryPolicy } from './prepare';
import type { Attempts } from './retry';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function flattenFieldErrors(value: Json, path: string, out: string[]): void {
	if (value === null || value === undefined) return;
	if (Array.isArray(value)) {
		const texts = value.filter((v) => typeof v === 'string' || typeof v === 'number');
		if (texts.length > 0) out.push(`${path}: ${texts.join(' ')}`);
		value.forEach((v, i) => {
			if (v !== null && typeof v === 'object') flattenFieldErrors(v, `${path}[${i}]`, out);
		});
		return;
	}
	if (typeof value === 'object') {
		for (const [key, inner] of Object.entries(value))
			flattenFieldErrors(inner, path ? `${path}.${key}` : key, out);
		return;
	}
	out.push(path ? `${path}: ${String(value)}` : String(value));
}

/** The human part of an Ottu error body, or undefined when it has none. */
export function describeOttuErrorBody(body: unknown): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') {
		const text = body.trim();
		if (text === '') return undefined;
		if (/^<(!doctype|html)/i.test(text)) return 'Ottu answered with an HTML page instead of JSON';
		return text.length > 300 ? `${text.slice(0, 297)}...` : text;
	}
	if (typeof body !== 'object') return String(body);
	const obj = body as Record<string, Json>;
	const parts: string[] = [];
	if (typeof obj.detail === 'string') parts.push(obj.detail);
	else if (obj.error && typeof obj.error === 'object' && !Array.isArray(obj.error)) {
		const err = obj.error as Record<string, Json>;
		const msg = typeof err.message === 'string' ? err.message : undefined;
		if (msg) parts.push(typeof err.field === 'string' ? `${err.field}: ${msg}` : msg);
	}
	if (parts.length === 0) {
		const rest: Record<string, Json> = {};
		for (const [key, value] of Object.entries(obj)) {
			// Envelope keys of operation/inquiry failures carry no message of their own.
			if (['result', 'operation', 'success', 'signature'].includes(key)) continue;
			// Failure answers echo the transaction's identifiers as plain strings; they are not messages.
			if (
				obj.result === 'failed' &&
				['session_id', 'order_no'].includes(key) &&
				typeof value === 'string'
			)
				continue;
			rest[key] = value;
		}
		const lines: string[] = [];
		flattenFieldErrors(rest, '', lines);
		parts.push(...lines);
	}
	if (parts.length === 0) return undefined;
	return parts.join('; ');
}

const STATUS_HINTS: Record<number, string> = {
	400: 'Ottu refused the request. Correct the fields named above and run the step again.',
	401: 'Ottu did not accept the credential. Check the API key (or username and password) in the Ottu credential.',
	403: 'The Ottu user of this credential lacks the permission for this action (or for this gateway). Use the API key or grant the permission in the Ottu dashboard.',
	404: 'Ottu has no such record. Check the identifier (session_id, order_no, card token or report token) and that the credential points at the right Ottu instance.',
	405: 'Ottu does not allow this action here.',
	409: 'Ottu reports a conflict with an earlier request (for example a Tracking-Key reused with a different payload).',
	410: 'The link has expired. List the reports again to get a fresh download token.',
	415: 'Ottu did not accept the request format.',
	423: 'Ottu has locked this transaction for the moment. Try again later.',
	429: 'Ottu is rate limiting this account. Wait a little, reduce Concurrency, or spread the calls out.',
};

export function hintForStatus(status: number): string {
	if (STATUS_HINTS[status]) return STATUS_HINTS[status];
	if (status >= 500)
		return 'Ottu had a problem handling the request. Try again later; if it persists, contact Ottu support.';
	return 'Ottu did not accept the request.';
}

/** Replaces every occurrence of a secret (and its Basic-auth encodings) with "***". */
export function redactSecrets<T>(value: T, secrets: Array<string | undefined>): T {
	const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
	if (list.length === 0) return value;
	const scrub = (text: string): string => {
		let out = text;
		for (const secret of list) out = out.split(secret).join('***');
		return out;
	};
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return scrub(v);
		if (Array.isArray(v)) return v.map(walk);
		if (v && typeof v === 'object') {
			const copy: Record<string, unknown> = {};
			for (const [k, inner] of Object.entries(v))
				copy[k] = /^authorization$/i.test(k) ? '***' : walk(inner);
			return copy;
		}
		return v;
	};
	return walk(value) as T;
}

/** The strings that must never be shown: raw secrets and the headers built from them. */
export function secretsOf(credentials: Record<string, unknown>): string[] {
	const out: string[] = [];
	const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
	const apiKey = str(credentials.apiKey);
	const username = str(credentials.username);
	const password = str(credentials.password);
	const hmacSecret = str(credentials.hmacSecret);
	if (apiKey) out.push(apiKey);
	if (password) {
		out.push(password);
		out.push(Buffer.from(`${username ?? ''}:${password}`, 'utf8').toString('base64'));
	}
	if (hmacSecret) out.push(hmacSecret);
	return out;
}

/**
 * Plain words for connection failures that trying again does not fix: the host name does not exist, the
 * address speaks plain http where https was asked, or its certificate is not trusted. Undefined for others.
 * The code itself is left out: n8n replaces a message naming ENOTFOUND with its own generic sentence.
 */
export function explainConnectionCode(code: string, host: string): string | undefined {
	if (code === 'ENOTFOUND')
		return `The host name ${host} does not exist: check the Base URL for a typo`;
	if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
		return `${host} did not answer over https: it may speak plain http, which is only allowed for localhost; check the Base URL`;
	}
	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
		return `The certificate of ${host} is for another host name: check the Base URL`;
	if (
		/^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE))/.test(
			code,
		)
	) {
		return `The certificate of ${host} is not trusted: the address is not a genuine Ottu instance, or something in between intercepts the connection`;
	}
	return undefined;
}

/** The first connection error code explainConnectionCode knows, found on the error or its causes. */
export function connectionCodeOf(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	for (
		let current = error;
		current && typeof current === 'object' && !seen.has(current);
		current = (current as { cause?: unknown }).cause
	) {
		seen.add(current);
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && explainConnectionCode(code, '') !== undefined) return code;
		const message = (current as { message?: unknown }).message;
		const found =
			typeof message === 'string'
				? /\b(E[A-Z_]{4,}|ERR_[A-Z_]+|CERT_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_[A-Z_]+)\b/.exec(
						message,
					)
				: null;
		if (found && explainConnectionCode(found[1], '') !== undefined) return found[1];
	}
	return undefined;
}

/** A NodeApiError naming the item, for errors whose message and description are already in plain words. */
export function nodeError(
	node: INode,
	message: string,
	description: string,
	itemIndex: number | undefined,
): NodeApiError {
	return new NodeApiError(node, { message } as JsonObject, {
		message: `${message}${itemIndex !== undefined ? ` [item ${itemIndex}]` : ''}`,
		description,
		itemIndex,
	});
}

/** The credential's Base URL cannot be used (normalizeBaseUrl said why). */
export function baseUrlError(
	node: INode,
	error: Error,
	itemIndex: number | undefined,
): NodeApiError {
	// Nothing was sent, so nothing goes under the editor's "From Ottu" (the error response's message).
	return new NodeApiError(node, {} as JsonObject, {
		message: error.message,
		description: 'Open the Ottu credential and correct the Base URL.',
		itemIndex,
	});
}

/** What to tell the user when a request failed without a readable answer, by how it may be repeated. */
function unsureOutcome(policy: RetryPolicy, request: OttuRequest): string {
	if (policy === 'tracked') {
		return `Ottu may have carried it out: running it again with the same Tracking-Key (${request.trackingKey ?? ''}) is safe, because Ottu answers a repeated Tracking-Key with the original operation instead of doing it twice. The same key is sent by Retry On Fail and by this execution's Retry; by a new run when Tracking-Key is Automatic and the transaction, amount and options are the same; or with Custom set to this key.`;
	}
	if (policy !== 'once' || request.method === 'GET') return '';
	return (
		request.unknownOutcome ??
		'The request may or may not have been carried out: check in Ottu before running it again.'
	);
}

export function plural(count: number, unit: string): string {
	return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

export function describeWait(timeout: number): string {
	return timeout < 1000 ? `${timeout} ms` : plural(Math.round(timeout / 1000), 'second');
}

function describeNetworkFailure(code: string | undefined, timeout: number): string {
	switch (code) {
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
		case 'ECONNABORTED':
		case 'ERR_SOCKET_CONNECTION_TIMEOUT':
			return `Ottu did not answer within ${describeWait(timeout)}`;
		case 'ECONNREFUSED':
			return 'Could not connect to the Ottu instance (connection refused)';
		case 'EAI_AGAIN':
			return 'Could not look up the Ottu instance address';
		default:
			return 'The connection to Ottu was interrupted';
	}
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

interface Explained {
	message: string;
	description: string;
	body?: unknown;
}

/** The message and description of a failed request, before secrets are taken out of the message. */
function explain(
	failure: Failure,
	prepared: PreparedRequest,
	attempts: Attempts,
	secrets: string[],
): Explained {
	const { request, policy, baseUrl } = prepared;
	const unsure = unsureOutcome(policy, request);
	const also = unsure ? ` ${unsure}` : '';
	const tried = attempts.count > 1 ? `Tried ${attempts.count} times. ` : '';
	switch (failure.type) {
		case 'redirect':
			return {
				message: `Ottu answered HTTP ${failure.status} with ${failure.reason}, which was not followed`,
				description: `The credential is only ever sent to ${originOf(baseUrl) ?? baseUrl}, and never from https to plain http. If your Ottu instance has moved, enter its new address as the Base URL.${request.method !== 'GET' ? also : ''}`,
			};
		case 'too large':
			return {
				message: `Ottu's answer is larger than the limit of ${Math.round(BODY_LIMITS.maxJsonBytes / 1024 / 1024)} MB for a JSON answer`,
				description: `Check that the Base URL is the Ottu instance itself.${also}`,
			};
		case 'network':
			return explainNetworkFailure(failure, prepared, tried, also);
		case 'stalled':
			return {
				message: `Ottu's answer stalled midway: it had not arrived whole after ${describeWait(prepared.timeout)} (the Timeout option)`,
				description: `${tried}Ottu started answering, then stopped or sent too slowly. Check that the Ottu instance is reachable, or raise the Timeout option.${also}`,
			};
		case 'unreadable':
		case 'not a file':
			return {
				message: `Ottu answered HTTP ${failure.status} with ${failure.type === 'unreadable' ? failure.what : notAFile(failure, secrets)}`,
				description: `${tried}${unsure || 'Check that the Base URL is the Ottu instance itself, not a web page or proxy in front of it, and try again.'}`,
			};
		case 'refused':
			return explainRefusal(failure, attempts, also, secrets);
	}
}

/** No answer: the connection failed, broke or timed out. */
function explainNetworkFailure(
	{ code, error }: Failure & { type: 'network' },
	{ baseUrl, timeout }: PreparedRequest,
	tried: string,
	also: string,
): Explained {
	const permanent = code === undefined ? connectionCodeOf(error) : undefined;
	const explained = permanent ? explainConnectionCode(permanent, new URL(baseUrl).host) : undefined;
	const reported = explained ? ` (Connection error code ${permanent}.)` : '';
	return {
		message: code
			? describeNetworkFailure(code, timeout)
			: (explained ?? `Could not reach Ottu: ${(error as Error).message}`),
		description: `${tried}Check the Base URL and that the Ottu instance is reachable.${reported}${also}`,
	};
}

/** Ottu answered with an error status; its body, secrets taken out, goes with the error. */
function explainRefusal(
	{ status, retryAfter, body: raw }: Failure & { type: 'refused' },
	attempts: Attempts,
	also: string,
	secrets: string[],
): Explained {
	const body = redactSecrets(parseJson(raw), secrets);
	const detail = describeOttuErrorBody(body);
	const seconds = Math.round(attempts.waitedMs / 1000);
	const wait =
		retryAfter !== undefined && retryAfter > 0
			? ` Ottu asks to wait ${Math.ceil(retryAfter / 1000)} seconds before trying again.`
			: '';
	const tries = attempts.count > 1 ? ` Tried ${attempts.count} times over ${seconds} s.` : '';
	// A 5xx may come after Ottu did the work; only a request that is never repeated leaves that open.
	const open = status >= 500 || attempts.outcomeUnknown ? also : '';
	const hint = stillInFlight(raw)
		? 'Ottu is still carrying out the operation sent earlier with this Tracking-Key, so it started no other.'
		: hintForStatus(status);
	return {
		message: detail
			? `Ottu refused the request (HTTP ${status}): ${detail}`
			: `Ottu answered HTTP ${status} without an explanation`,
		description: `${hint}${wait}${tries}${open}`,
		body,
	};
}

/** A file download that brought back a page or a JSON message did not bring the file. */
function notAFile(failure: Failure & { type: 'not a file' }, secrets: string[]): string {
	const detail =
		failure.mediaType === 'application/json'
			? describeOttuErrorBody(redactSecrets(parseJson(failure.body), secrets))
			: undefined;
	return `${failure.mediaType === 'text/html' ? 'an HTML page' : `a JSON message${detail ? ` (${detail})` : ''}`} instead of the file`;
}

/** The one error of a request that failed: readable, without secrets, naming the item. */
export function ottuError(
	failure: Failure,
	prepared: PreparedRequest,
	attempts: Attempts,
	unknown = false,
): NodeApiError {
	const secrets = secretsOf(prepared.credentials);
	const { message, description, body } = explain(failure, prepared, attempts, secrets);
	const text = redactSecrets(message, secrets);
	const httpCode = 'status' in failure ? String(failure.status) : undefined;
	const itemIndex = prepared.request.itemIndex;
	// n8n's editor lists the error response's message under "From Ottu": only for something Ottu answered.
	const error = new NodeApiError(
		prepared.node,
		{
			...(httpCode ? { httpCode } : {}),
			...(failure.type === 'network' ? {} : { message: text }),
			...(body && typeof body === 'object' ? { body } : {}),
		} as JsonObject,
		{
			message: `${text}${itemIndex !== undefined ? ` [item ${itemIndex}]` : ''}`,
			description,
			...(httpCode ? { httpCode } : {}),
			itemIndex,
		},
	);
	// For operations that explain a 429 in their own terms (Payment Status → Check).
	if (failure.type === 'refused' && failure.retryAfter !== undefined)
		error.context.retryAfterMs = failure.retryAfter;
	if (unknown) error.context.outcomeUnknown = true;
	return error;
}

/** Whether a transport error leaves open that Ottu carried the request out (answer lost, 5xx). */
export function outcomeUnknown(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.outcomeUnknown === true;
}

/** A retried execution's write that an earlier execution of this node already sent (its worker may have died). */
export function sentByEarlierExecution(prepared: PreparedRequest): NodeApiError {
	const { request } = prepared;
	const error = nodeError(
		prepared.node,
		'Not sent: an earlier execution of this node already sent this same request to Ottu, and this is a retry',
		`${unsureOutcome('once', request)} The execution retried may have stopped while Ottu was carrying it out (a worker that stopped loses what the node had recorded). To send it anyway once you have checked, run the workflow again instead of retrying the execution.`,
		request.itemIndex,
	);
	error.context.outcomeUnknown = true;
	return error;
}

/**
 * A write sent by an earlier try of this execution (Retry On Fail, or the execution's Retry) whose answer was
 * lost: not sent again, because Ottu may have carried it out.
 */
export function lostInEarlierTry(prepared: PreparedRequest): NodeApiError {
	const { request } = prepared;
	const error = nodeError(
		prepared.node,
		'Not sent again: an earlier try of this item in this execution reached Ottu, but its answer was lost',
		unsureOutcome('once', request),
		request.itemIndex,
	);
	error.context.outcomeUnknown = true;
	return error;
}
