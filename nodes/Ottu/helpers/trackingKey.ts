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
	/** The input item's position. */
	itemIndex: number;
}

/**
 * The automatic Tracking-Key: the same workflow, node, operation, transaction, amount and item
 * position always give the same key, whatever the execution. Re-running a failed execution or
 * n8n's Retry On Fail therefore makes Ottu answer with the original result instead of moving money
 * again. The execution id is deliberately left out for that reason.
 */
export function deriveTrackingKey(source: TrackingKeySource): string {
	const material = JSON.stringify([
		'ottu-n8n-tracking-key/1',
		source.workflowId,
		source.nodeId,
		source.operation,
		source.transaction.session_id ?? null,
		source.transaction.order_no ?? null,
		source.amount ?? 'full',
		source.itemIndex,
	]);
	return `n8n-${createHash('sha256').update(material).digest('hex').slice(0, 40)}`;
}

export const MAX_TRACKING_KEY_LENGTH = 128;

/** A Tracking-Key the user chose; it travels as an HTTP header, so only visible ASCII fits. */
export function customTrackingKey(value: unknown): string {
	const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
	if (typeof text !== 'string' || text.trim() === '') {
		throw new OttuInputError('trackingKey', `Tracking-Key is required when it is set to Custom, got ${describeValue(value)}`, 'Enter your own unique key, e.g. {{ $json.refund_id }}, or switch Tracking-Key to Automatic');
	}
	const key = text.trim();
	if (key.length > MAX_TRACKING_KEY_LENGTH) {
		throw new OttuInputError('trackingKey', `Tracking-Key is ${key.length} characters long; at most ${MAX_TRACKING_KEY_LENGTH} are allowed`, 'Use a shorter key, e.g. an id from your own system');
	}
	if (!/^[\x21-\x7e]+$/.test(key)) {
		throw new OttuInputError('trackingKey', `Tracking-Key ${describeValue(key)} contains spaces or characters that cannot be sent in an HTTP header`, 'Use letters, digits and punctuation such as - _ . : only');
	}
	return key;
}
