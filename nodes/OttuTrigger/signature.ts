/**
 * Ottu webhook signatures: HMAC-SHA256 (lowercase hex) over selected payload fields, in the body field
 * `signature`. Two schemes exist and a payload is genuine when either matches, as in Ottu's own SDK:
 * - standard: 18 top-level fields, sorted, concatenated as key+value with no separator;
 * - extended (instances with subscriptions/auto-debit): those plus 8 dot paths, sorted, as path=value lines.
 * Fields that are absent, null or "" are left out. Values are signed as Ottu wrote them: the text of a
 * string, and the raw text of a number (so this module reads the raw body, not a re-parsed object).
 */
import { createHmac, timingSafeEqual } from 'crypto';

import type { RawValue } from './rawJson';
import { parseRawJson, rawValueAt } from './rawJson';

export const STANDARD_SIGNED_FIELDS: readonly string[] = [
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

export const EXTENDED_SIGNED_PATHS: readonly string[] = [
	...STANDARD_SIGNED_FIELDS,
	'agreement.id',
	'extra.autopay.subscription_id',
	'extra.merchant_id',
	'payment_type',
	'session_id',
	'token.customer_id',
	'token.pg_code',
	'token.token',
].sort();

export type SignatureScheme = 'standard' | 'extended';

export type SignatureCheck =
	| { valid: true; scheme: SignatureScheme }
	| {
			valid: false;
			reason: 'no-key' | 'no-signature' | 'malformed-signature' | 'unreadable-body' | 'mismatch';
	  };

/**
 * The text Ottu signs for a value, or undefined when the field is left out.
 * true/false are written as Python prints them (Ottu signs server-side in Python); no signed field is
 * normally a boolean or an object, so that and the raw text of an object are best effort.
 */
export function signedText(value: RawValue | undefined): string | undefined {
	if (value === undefined) return undefined;
	switch (value.type) {
		case 'string':
			return value.value === '' ? undefined : value.value;
		case 'null':
			return undefined;
		case 'true':
			return 'True';
		case 'false':
			return 'False';
		default:
			return value.text;
	}
}

/** The signed text of each field of `scheme` present in the payload, by name or dot path, in signing order. */
export function signedValues(root: RawValue, scheme: SignatureScheme): Array<[string, string]> {
	const values: Array<[string, string]> = [];
	for (const path of scheme === 'standard' ? STANDARD_SIGNED_FIELDS : EXTENDED_SIGNED_PATHS) {
		const text = signedText(rawValueAt(root, path));
		if (text !== undefined) values.push([path, text]);
	}
	return values;
}

/** The exact message Ottu signs with `scheme`. */
export function signedMessage(root: RawValue, scheme: SignatureScheme): string {
	const values = signedValues(root, scheme);
	return scheme === 'standard'
		? values.map(([field, text]) => field + text).join('')
		: values.map(([path, text]) => `${path}=${text}`).join('\n');
}

export function standardMessage(root: RawValue): string {
	return signedMessage(root, 'standard');
}

export function extendedMessage(root: RawValue): string {
	return signedMessage(root, 'extended');
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

/**
 * What can be told without the key: a JSON object with a 64-hex-digit `signature` field. Anything else
 * cannot be a genuine Ottu webhook, so it is refused before the credential is loaded.
 */
export function readEnvelope(rawBody: string | Buffer): Envelope {
	let root: RawValue;
	try {
		root = parseRawJson(bodyText(rawBody));
	} catch {
		return {
			readable: false,
			reason: 'unreadable-body',
		};
	}
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

/** Checks a readable envelope's signature against the HMAC key. Never throws. */
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
	const standardOk = sameHex(hmacHex(key, standardMessage(envelope.root)), envelope.signature);
	const extendedOk = sameHex(hmacHex(key, extendedMessage(envelope.root)), envelope.signature);
	if (standardOk)
		return {
			valid: true,
			scheme: 'standard',
		};
	if (extendedOk)
		return {
			valid: true,
			scheme: 'extended',
		};
	return {
		valid: false,
		reason: 'mismatch',
	};
}

/**
 * Checks the `signature` field of a raw Ottu webhook body against the HMAC key.
 * Never throws; the result says why a payload was refused (for logs, never for the HTTP answer).
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
