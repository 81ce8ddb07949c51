import { createHash } from 'crypto';

import { describeValue, OttuInputError } from './errors';
import type { TransactionSelector } from './identifier';

export interface TrackingKeySource {
	/** e.g. refund, capture, void, applePay. */
	operation: string;
	/**
	 * The transaction: its order_no when it has one, whichever identifier the user gave (the node reads it),
	 * else its session_id, so that Session ID and Order No of one transaction give one key.
	 */
	transaction: TransactionSelector;
	/** The normalised amount, or undefined for "full / remaining". */
	amount?: string;
	/** The operation's other body fields (destination, extra): a refund to another place is another refund. */
	fields?: unknown;
}

/** Whether the key came from the node (automatic) or from the user (custom); stated in the output. */
export type TrackingKeyOrigin = 'automatic' | 'custom';

/**
 * JSON text that is the same for the same data: object keys sorted at every level, `undefined` and functions
 * left out and non-finite numbers written as null (as JSON.stringify does), dates as ISO text (their toJSON).
 */
export function canonicalJson(value: unknown): string {
	const seen = new Set<object>();
	const walk = (v: unknown): string => {
		if (
			v !== null &&
			typeof v === 'object' &&
			typeof (v as { toJSON?: unknown }).toJSON === 'function'
		) {
			v = (v as { toJSON: () => unknown }).toJSON();
		}
		if (v === null || v === undefined || typeof v === 'function' || typeof v === 'symbol')
			return 'null';
		if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
		if (typeof v === 'bigint') return JSON.stringify(v.toString());
		if (typeof v !== 'object') return JSON.stringify(v);
		if (seen.has(v)) return '"[circular]"';
		seen.add(v);
		let text: string;
		if (Array.isArray(v)) text = `[${v.map(walk).join(',')}]`;
		else {
			const entries = Object.keys(v)
				.filter((k) => {
					const inner = (v as Record<string, unknown>)[k];
					return inner !== undefined && typeof inner !== 'function' && typeof inner !== 'symbol';
				})
				.sort()
				.map((k) => `${JSON.stringify(k)}:${walk((v as Record<string, unknown>)[k])}`);
			text = `{${entries.join(',')}}`;
		}
		seen.delete(v);
		return text;
	};
	return walk(value);
}

/** sha256 (hex) of the item's canonical JSON: the same data in any key order gives the same hash. */
export function itemHash(itemJson: unknown): string {
	return createHash('sha256')
		.update(canonicalJson(itemJson ?? {}))
		.digest('hex');
}

/**
 * The automatic Tracking-Key: what the money movement *is* (operation, transaction, amount, its options), and
 * nothing else. The input item's other fields are left out: a re-run whose item carries a fresh timestamp, a
 * re-fetched status or a webhook re-sent with other headers asks for the same refund and must get the same
 * key. The workflow, node and execution are left out too, so a copied workflow and n8n's retries repeat the
 * key. A second refund of the same amount of the same transaction therefore needs a Custom key.
 */
export function deriveTrackingKey(source: TrackingKeySource): string {
	const { transaction } = source;
	const identity = transaction.order_no
		? ['order_no', transaction.order_no]
		: ['session_id', transaction.session_id ?? null];
	const material = JSON.stringify([
		'ottu-n8n-tracking-key/3',
		source.operation,
		identity,
		source.amount ?? 'full',
		canonicalJson(source.fields ?? {}),
	]);
	return `n8n-${createHash('sha256').update(material).digest('hex').slice(0, 40)}`;
}

export const MAX_TRACKING_KEY_LENGTH = 128;

/** A Tracking-Key the user chose; it travels as an HTTP header, so only visible ASCII fits. */
export function customTrackingKey(value: unknown): string {
	const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
	if (typeof text !== 'string' || text.trim() === '') {
		throw new OttuInputError(
			'trackingKey',
			`Tracking-Key is required when it is set to Custom, got ${describeValue(value)}`,
			'Enter your own unique key, e.g. {{ $json.refund_id }}, or switch Tracking-Key to Automatic',
		);
	}
	const key = text.trim();
	if (key.length > MAX_TRACKING_KEY_LENGTH) {
		throw new OttuInputError(
			'trackingKey',
			`Tracking-Key is ${key.length} characters long; at most ${MAX_TRACKING_KEY_LENGTH} are allowed`,
			'Use a shorter key, e.g. an id from your own system',
		);
	}
	if (!/^[\x21-\x7e]+$/.test(key)) {
		throw new OttuInputError(
			'trackingKey',
			`Tracking-Key ${describeValue(key)} contains spaces or characters that cannot be sent in an HTTP header`,
			'Use letters, digits and punctuation such as - _ . : only',
		);
	}
	return key;
}
