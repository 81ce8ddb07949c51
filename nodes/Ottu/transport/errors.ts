/**
 * Turns Ottu's error bodies into one readable sentence, and keeps secrets out of anything shown.
 * Pure: unit-tested without HTTP.
 */

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
