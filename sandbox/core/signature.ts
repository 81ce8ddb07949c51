import { createHmac } from 'node:crypto';

/**
 * Ottu's webhook/response signatures, computed the way Ottu computes them (HMAC-SHA256, lowercase hex,
 * keyed by the merchant's webhook HMAC key). The sandbox signs on its own; the trigger node verifies on its own.
 */

/** The 18 top-level fields of the previous scheme. */
export const PREVIOUS_SIGNED_FIELDS = [
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
] as const;

/** The current scheme (Ottu's "Verify Signatures" page): the 18 plus eight dot-paths, 26 in all. */
export const CURRENT_SIGNED_PATHS = [
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

/** How the sandbox signs: the merchant's HMAC key, the scheme, and the merchant ID it puts in `extra`. */
export interface Signer {
	key: string;
	scheme: SignatureScheme;
	merchantId: string;
}

/** The previous scheme keeps every present value but null and "". */
function keptByPrevious(value: unknown): value is string | number | boolean {
	return value !== undefined && value !== null && value !== '' && typeof value !== 'object';
}

/** The current scheme also skips the other falsy values: 0, false, [] and {}. */
function keptByCurrent(value: unknown): value is string | number | boolean {
	return keptByPrevious(value) && value !== 0 && value !== false;
}

function resolve(payload: Record<string, unknown>, path: string): unknown {
	let current: unknown = payload;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
		if (!(key in (current as object))) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

export function hmacHex(key: string, message: string): string {
	return createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}

/** Previous scheme: present, non-empty signed keys, sorted, `key + value` concatenated without separators. */
export function previousMessage(payload: Record<string, unknown>): string {
	return [...PREVIOUS_SIGNED_FIELDS]
		.sort()
		.filter((k) => keptByPrevious(payload[k]))
		.map((k) => `${k}${String(payload[k])}`)
		.join('');
}

/** Current scheme: present, non-falsy dot-paths, sorted, `path=value` lines joined by "\n". */
export function currentMessage(payload: Record<string, unknown>): string {
	return CURRENT_SIGNED_PATHS.map((p) => [p, resolve(payload, p)] as const)
		.filter(([, v]) => keptByCurrent(v))
		.map(([p, v]) => `${p}=${String(v)}`)
		.join('\n');
}

export function signPrevious(payload: Record<string, unknown>, key: string): string {
	return hmacHex(key, previousMessage(payload));
}

export function signCurrent(payload: Record<string, unknown>, key: string): string {
	return hmacHex(key, currentMessage(payload));
}

/** Returns the payload with its `signature` (the current scheme unless told), replacing any old one. */
export function withSignature<T extends Record<string, unknown>>(
	payload: T,
	key: string,
	scheme: SignatureScheme = 'current',
): T & { signature: string } {
	const { signature: _ignored, ...unsigned } = payload as Record<string, unknown>;
	void _ignored;
	const sign = scheme === 'current' ? signCurrent : signPrevious;
	return { ...(unsigned as T), signature: sign(unsigned, key) };
}

/**
 * A payload as the merchant's Ottu sends it: `extra.merchant_id` set to the merchant (Ottu: always
 * present and signed), then signed with the merchant's scheme.
 */
export function signedBy<T extends Record<string, unknown>>(
	payload: T,
	signer: Signer,
): T & { signature: string } {
	const extra = payload.extra;
	const withMerchant = {
		...payload,
		extra: {
			...(extra && typeof extra === 'object' && !Array.isArray(extra) ? extra : {}),
			merchant_id: signer.merchantId,
		},
	};
	return withSignature(withMerchant, signer.key, signer.scheme);
}
