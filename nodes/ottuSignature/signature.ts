/**
 * Ottu's signatures: HMAC-SHA256 (lowercase hex) keyed by the merchant's Webhook HMAC Key, over selected
 * payload fields, in the body field `signature`. Used by the trigger (webhooks) and by the Ottu node
 * (the synchronous answers of native charges). Two schemes:
 * - current (Ottu's "Verify Signatures" page): 26 paths, some nested, sorted, `path=value` lines joined by
 *   "\n"; absent and falsy values ("", null, 0, false, [], {}) are left out;
 * - previous: 18 top-level fields, sorted, `key` + `value` with no separator; absent, null and "" left
 *   out. It does not sign session_id, so a captured webhook can be replayed against another session.
 * Values are signed as Ottu wrote them: the text of a string and the raw text of a number (so the raw
 * body is read, not a re-parsed object).
 */
import { createHmac, timingSafeEqual } from 'crypto';

import type { RawValue } from './rawJson';
import { parseRawJson, rawValueAt } from './rawJson';

export const PREVIOUS_SIGNED_FIELDS: readonly string[] = [
	'amount',
	'currency_code',
	'customer_address_city',
	'customer_address_country',
	'customer_address_line1',
	'customer_address_line2',
	'customer_address_postal_code',
	'customer_address_state',
	'customer_email',
	'customer_first_name',
	'customer_last_name',
	'customer_phone',
	'gateway_account',
	'gateway_name',
	'order_no',
	'reference_number',
	'result',
	'state',
];

export const CURRENT_SIGNED_PATHS: readonly string[] = [
	...PREVIOUS_SIGNED_FIELDS,
	'agreement.id',
	'extra.autopay.subscription_id',
	'extra.merchant_id',
	'payment_type',
	'session_id',
	'token.customer_id',
	'token.pg_code',
	'token.token',
].sort();

export type SignatureScheme = 'current' | 'previous';

export const SIGNED_PATHS: Readonly<Record<SignatureScheme, readonly string[]>> = {
	current: CURRENT_SIGNED_PATHS,
	previous: PREVIOUS_SIGNED_FIELDS,
};

export type SignatureCheck =
	| { valid: true; scheme: SignatureScheme }
	| {
			valid: false;
			reason:
				| 'no-key'
				| 'no-signature'
				| 'malformed-signature'
				| 'unreadable-body'
				| 'mismatch'
				| 'ambiguous';
	  };

/** How a kept value is written: true/false as Python prints them (Ottu signs in Python), else as sent. */
function valueText(value: RawValue): string {
	switch (value.type) {
		case 'string':
			return value.value;
		case 'true':
			return 'True';
		case 'false':
			return 'False';
		default:
			return value.text;
	}
}

/** A JSON number whose value is zero (0, -0, 0.000, 0e5): falsy for Ottu's current scheme. */
function isZero(text: string): boolean {
	return /^-?0+(\.0+)?([eE][+-]?\d+)?$/.test(text);
}

/** Whether the current scheme leaves a value out: absent, "", null, 0, false, [] or {}. */
export function isFalsy(value: RawValue | undefined): boolean {
	if (value === undefined) return true;
	switch (value.type) {
		case 'string':
			return value.value === '';
		case 'null':
		case 'false':
			return true;
		case 'number':
			return isZero(value.text);
		case 'array':
			return value.text.slice(1, -1).trim() === '';
		case 'object':
			return value.members.size === 0;
		default:
			return false;
	}
}

/** The text a scheme signs for a value, or undefined when that scheme leaves it out. */
export function signedText(
	value: RawValue | undefined,
	scheme: SignatureScheme,
): string | undefined {
	if (value === undefined || value.type === 'null') return undefined;
	if (scheme === 'current' && isFalsy(value)) return undefined;
	if (value.type === 'string' && value.value === '') return undefined;
	return valueText(value);
}

/** The signed text of each path of `scheme` present in the payload, in signing order. */
export function signedValues(root: RawValue, scheme: SignatureScheme): Array<[string, string]> {
	const values: Array<[string, string]> = [];
	for (const path of SIGNED_PATHS[scheme]) {
		const text = signedText(rawValueAt(root, path), scheme);
		if (text !== undefined) values.push([path, text]);
	}
	return values;
}

/** The exact message Ottu signs with `scheme`. */
export function signedMessage(root: RawValue, scheme: SignatureScheme): string {
	const values = signedValues(root, scheme);
	return scheme === 'previous'
		? values.map(([field, text]) => field + text).join('')
		: values.map(([path, text]) => `${path}=${text}`).join('\n');
}

export function hmacHex(key: string, message: string): string {
	return createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}

function sameHex(expectedHex: string, givenHex: string): boolean {
	const expected = Buffer.from(expectedHex, 'hex');
	const given = Buffer.from(givenHex, 'hex');
	return expected.length === given.length && timingSafeEqual(expected, given);
}

function bodyText(rawBody: string | Buffer): string {
	return typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
}

export type Envelope =
	| { readable: true; root: RawValue; signature: string }
	| { readable: false; reason: 'no-signature' | 'malformed-signature' | 'unreadable-body' };

/** An already parsed body (a JSON object) as an envelope: its `signature` checked for shape. */
export function envelopeOf(root: RawValue): Envelope {
	if (root.type !== 'object')
		return {
			readable: false,
			reason: 'unreadable-body',
		};
	const signature = rawValueAt(root, 'signature');
	if (
		signature === undefined ||
		signature.type === 'null' ||
		(signature.type === 'string' && signature.value === '')
	) {
		return {
			readable: false,
			reason: 'no-signature',
		};
	}
	if (signature.type !== 'string' || !/^[0-9a-fA-F]{64}$/.test(signature.value.trim())) {
		return {
			readable: false,
			reason: 'malformed-signature',
		};
	}
	return {
		readable: true,
		root,
		signature: signature.value.trim(),
	};
}

/**
 * What can be told without the key: a JSON object with a 64-hex-digit `signature` field. Anything else
 * cannot be a genuine Ottu webhook, so it is refused before the credential is loaded.
 */
export function readEnvelope(rawBody: string | Buffer): Envelope {
	try {
		return envelopeOf(parseRawJson(bodyText(rawBody)));
	} catch {
		return {
			readable: false,
			reason: 'unreadable-body',
		};
	}
}

/**
 * Whether a payload's signed text could be another payload's: Ottu's messages have no escaping, so a
 * value holding a line break (current scheme) can carry the next `path=value` lines of a genuine
 * message, and a previous-scheme value starting with "=" or holding a line break can spell a
 * current-scheme message. Genuine Ottu values hold neither, so such a payload is refused.
 */
function ambiguous(root: RawValue, scheme: SignatureScheme): boolean {
	return signedValues(root, scheme).some(
		([, text]) =>
			text.includes('\n') || text.includes('\r') || (scheme === 'previous' && text.startsWith('=')),
	);
}

/**
 * Checks a readable envelope's signature against the HMAC key and says which scheme it matches (the
 * current one first). Whether the previous scheme is acceptable is the caller's decision. Never throws.
 */
export function checkEnvelope(
	envelope: { root: RawValue; signature: string },
	hmacKey: string,
): SignatureCheck {
	// A key pasted with a trailing newline or spaces is still the same key.
	const key = hmacKey.trim();
	if (key === '')
		return {
			valid: false,
			reason: 'no-key',
		};
	// Both are always computed and compared, so timing does not reveal which scheme was tried.
	const currentOk = sameHex(
		hmacHex(key, signedMessage(envelope.root, 'current')),
		envelope.signature,
	);
	const previousOk = sameHex(
		hmacHex(key, signedMessage(envelope.root, 'previous')),
		envelope.signature,
	);
	const scheme: SignatureScheme | undefined = currentOk
		? 'current'
		: previousOk
			? 'previous'
			: undefined;
	if (scheme === undefined)
		return {
			valid: false,
			reason: 'mismatch',
		};
	if (ambiguous(envelope.root, scheme))
		return {
			valid: false,
			reason: 'ambiguous',
		};
	return {
		valid: true,
		scheme,
	};
}

/**
 * Checks the `signature` field of a raw Ottu body against the HMAC key. Never throws; the result says
 * why a payload was refused (for logs, never for the HTTP answer).
 */
export function verifyOttuSignature(rawBody: string | Buffer, hmacKey: string): SignatureCheck {
	if (hmacKey.trim() === '')
		return {
			valid: false,
			reason: 'no-key',
		};
	const envelope = readEnvelope(rawBody);
	return envelope.readable
		? checkEnvelope(envelope, hmacKey)
		: {
				valid: false,
				reason: envelope.reason,
			};
}

/** The signed text at a path of a verified payload (current scheme), for decisions and binding. */
export function signedAt(root: RawValue, path: string): string | undefined {
	return signedText(rawValueAt(root, path), 'current');
}

/**
 * The merchant an Ottu host stands for: its host name, lower case, without port or a trailing dot.
 * Ottu's `extra.merchant_id` is the merchant domain (e.g. merchant.ottu.net).
 */
export function merchantOfBaseUrl(baseUrl: string): string | undefined {
	try {
		return new URL(baseUrl).hostname.toLowerCase().replace(/\.$/, '') || undefined;
	} catch {
		return undefined;
	}
}

/** Whether a signed merchant ID names the expected merchant (case and a trailing dot ignored). */
export function sameMerchant(signed: string, expected: string): boolean {
	const norm = (s: string) => s.trim().toLowerCase().replace(/\.$/, '');
	return norm(signed) === norm(expected);
}
