import { createHmac } from 'node:crypto';

/**
 * Ottu's webhook/response signatures, computed the way Ottu computes them (HMAC-SHA256, lowercase hex,
 * keyed by the merchant's webhook HMAC key). The sandbox signs on its own; the trigger node verifies on its own.
 */

/** The 18 top-level fields of the standard scheme. */
export const STANDARD_SIGNED_FIELDS = [
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

/**
 * The extended scheme (auto-debit; ottu-py calls it the subscription scheme, the node and its users
 * "extended"): the 18 plus eight dot-paths into nested objects.
 */
export const EXTENDED_SIGNED_PATHS = [
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

function signed(value: unknown): value is string | number | boolean {
	return value !== undefined && value !== null && value !== '' && typeof value !== 'object';
}

function resolve(payload: Record<string, unknown>, path: string): unknown {
	let current: unknown = payload;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object' || !(key in (current as object)))
			return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

export function hmacHex(key: string, message: string): string {
	return createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}

/** Standard scheme: present, non-empty signed keys, sorted, `key + value` concatenated without separators. */
export function standardMessage(payload: Record<string, unknown>): string {
	return [...STANDARD_SIGNED_FIELDS]
		.sort()
		.filter((k) => signed(payload[k]))
		.map((k) => `${k}${String(payload[k])}`)
		.join('');
}

/** Extended scheme: present, non-empty dot-paths, sorted, `path=value` lines joined by "\n". */
export function extendedMessage(payload: Record<string, unknown>): string {
	return EXTENDED_SIGNED_PATHS.map((p) => [p, resolve(payload, p)] as const)
		.filter(([, v]) => signed(v))
		.map(([p, v]) => `${p}=${String(v)}`)
		.join('\n');
}

export function signStandard(payload: Record<string, unknown>, key: string): string {
	return hmacHex(key, standardMessage(payload));
}

export function signExtended(payload: Record<string, unknown>, key: string): string {
	return hmacHex(key, extendedMessage(payload));
}

/**
 * Returns the payload with its `signature`: the extended scheme for auto-debit payloads, else
 * standard.
 */
export function withSignature<T extends Record<string, unknown>>(
	payload: T,
	key: string,
): T & { signature: string } {
	const { signature: _ignored, ...unsigned } = payload as Record<string, unknown>;
	void _ignored;
	const scheme = unsigned.payment_type === 'auto_debit' ? signExtended : signStandard;
	return { ...(unsigned as T), signature: scheme(unsigned, key) };
}
