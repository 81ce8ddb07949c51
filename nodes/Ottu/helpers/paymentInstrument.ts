import type { IDataObject } from 'n8n-workflow';

import { describeValue, OttuInputError } from './errors';

/** The `instrument_type` values of Ottu's `PaymentInstrument` (one-step checkout). */
export const INSTRUMENT_TYPES = ['apple_pay', 'google_pay', 'token', 'samsung_pay', 'wallet'];

/** Text fields Ottu requires in an Apple Pay token (its `ApplePayToken` / `ApplePayPayloadSchema`). */
const APPLE_PAY_FIELDS = [
	'paymentData.version',
	'paymentData.data',
	'paymentData.signature',
	'paymentData.header.publicKeyHash',
	'paymentData.header.transactionId',
	'paymentMethod.displayName',
	'paymentMethod.network',
	'paymentMethod.type',
	'transactionIdentifier',
];

const isText = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const isObject = (v: unknown): v is IDataObject =>
	v !== null && typeof v === 'object' && !Array.isArray(v);

/** Where `path` is broken in `value`: the first part that is not an object, or the field itself if not text. */
function brokenAt(value: unknown, path: string): string | undefined {
	const keys = path.split('.');
	let v = value;
	for (let i = 0; i < keys.length - 1; i++) {
		v = isObject(v) ? v[keys[i]] : undefined;
		if (!isObject(v)) return keys.slice(0, i + 1).join('.');
	}
	return isText(isObject(v) ? v[keys[keys.length - 1]] : undefined) ? undefined : path;
}

/** The fields of an Apple Pay token that are missing or empty, as dot paths (a missing object once). */
export function applePayTokenProblems(token: unknown): string[] {
	const broken = APPLE_PAY_FIELDS.map((path) => brokenAt(token, path)).filter(
		(p): p is string => p !== undefined,
	);
	return [...new Set(broken)];
}

/** Refuses an Apple Pay token without the paymentData, paymentMethod and transactionIdentifier Ottu requires. */
export function checkApplePayToken(token: unknown, field: string): void {
	const missing = applePayTokenProblems(token);
	if (missing.length > 0) {
		throw new OttuInputError(
			field,
			`${field} is missing ${missing.join(', ')}`,
			'Pass the token your Apple Pay button returned (PKPaymentToken: paymentData, paymentMethod, transactionIdentifier), unchanged',
		);
	}
}

/** Per instrument type: the payload fields Ottu requires, and whether each must be text or an object. */
const PAYLOADS: Record<string, Array<[string, 'text' | 'integer' | 'object']>> = {
	google_pay: [
		['apiVersion', 'integer'],
		['apiVersionMinor', 'integer'],
		['paymentMethodData', 'object'],
	],
	token: [['token', 'text']],
	samsung_pay: [['token', 'text']],
	wallet: [['wallet_code', 'text']],
};

function hasKind(value: unknown, kind: 'text' | 'integer' | 'object'): boolean {
	if (kind === 'text') return isText(value);
	if (kind === 'integer') return Number.isInteger(value);
	return isObject(value);
}

/**
 * Checks a `payment_instrument` against Ottu's `PaymentInstrument`: a known `instrument_type` and the
 * payload that type requires. It charges at once, so nothing half-formed is sent.
 */
export function checkPaymentInstrument(instrument: IDataObject, field: string): void {
	const type = instrument.instrument_type;
	if (typeof type !== 'string' || !INSTRUMENT_TYPES.includes(type)) {
		throw new OttuInputError(
			'paymentInstrument',
			type === undefined
				? `${field} needs an "instrument_type"`
				: `${field} has the instrument_type ${describeValue(type)}, which Ottu does not know`,
			`Use ${INSTRUMENT_TYPES.join(', ')}, with its "payload"`,
		);
	}
	const payload = instrument.payload;
	if (!hasKind(payload, 'object')) {
		throw new OttuInputError(
			'paymentInstrument',
			`${field} needs a "payload" object, got ${describeValue(payload)}`,
			`Put the ${type} data under "payload"`,
		);
	}
	if (type === 'apple_pay') return checkApplePayToken(payload, `${field} payload`);
	const missing = PAYLOADS[type]
		.filter(([key, kind]) => !hasKind((payload as IDataObject)[key], kind))
		.map(([key, kind]) => `${key} (${kind})`);
	if (missing.length > 0) {
		throw new OttuInputError(
			'paymentInstrument',
			`${field} payload for ${type} is missing ${missing.join(', ')}`,
			`Give the ${type} payload its ${missing.join(', ')}`,
		);
	}
}
