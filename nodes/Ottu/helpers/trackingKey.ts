import { createHash } from 'crypto';

import { describeValue, OttuInputError } from './errors';
import type { TransactionSelector } from './identifier';

export interface TrackingKeySource {
	workflowId: string;
	nodeId: string;
	/** e.g. refund, capture, void, applePay. */
	operation: string;
	transaction: TransactionSelector;
	/** The normalised amount, or undefined for "full / remaining". */
	amount?: string;
	/** The input item's `json` (never its binary data, whose ids change from one execution to the next). */
	itemJson: unknown;
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
 * The automatic Tracking-Key: what the request *is* (workflow, node, operation, transaction, amount and the
 * input item's data), never where the item sits. Re-running a failed execution, n8n's Retry On Fail, or the
 * same item arriving at another position gives the same key, so Ottu answers with the original operation
 * instead of moving money again; an item with other data is another request and gets another key. The
 * execution id and the item index are deliberately left out for that reason.
 */
export function deriveTrackingKey(source: TrackingKeySource): string {
	const material = JSON.stringify([
		'ottu-n8n-tracking-key/2',
		source.workflowId,
		source.nodeId,
		source.operation,
		source.transaction.session_id ?? null,
		source.transaction.order_no ?? null,
		source.amount ?? 'full',
		itemHash(source.itemJson),
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
