import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { TransactionSelector } from '../helpers/identifier';
import type { TrackingKeyOrigin } from '../helpers/trackingKey';
import { customTrackingKey, deriveTrackingKey } from '../helpers/trackingKey';

export interface TrackingKey {
	key: string;
	origin: TrackingKeyOrigin;
}

const AUTOMATIC_KEY =
	"Derived from the workflow, this node, the operation, the transaction (session_id or order_no), the amount and the input item's data (JSON, keys in any order; binary data left out). Not from the item's position.";

/** What the Tracking-Key does, by what Ottu documents for the request it goes with. */
const KEY_WORDS = {
	/** Ottu answers a repeated key with the original operation (refund, capture, void). */
	idempotent: {
		mode: 'Ottu carries out a refund, capture or void only once per Tracking-Key and transaction, and answers a repeat with the original operation (output replayed: true, no new money moved). So a re-run or Retry On Fail with the same item never moves money twice. Automatic keys: identical items give one key (the second is a replay: to refund twice, make the items differ, e.g. a line-item ID, or use Custom); a copied workflow or another Ottu node gets new keys; Session ID and Order No give different keys for the same transaction; data that changes on every run (a timestamp, webhook headers) gives a new key each time, so use Custom with your own ID then.',
		placeholder: 'e.g. refund-{{ $json.ticket_id }}',
		custom:
			'A key unique to this one money movement (max 128 characters, no spaces). Reusing it on the same transaction returns the earlier operation instead of a new one.',
	},
	/** Sent along, but Ottu documents no protection for it (native charges). */
	reference: {
		mode: 'Sent to Ottu as the Tracking-Key header, for your reference only: Ottu documents Tracking-Key protection for refund, capture and void, not for charges, so it does not stop a second charge. The node never repeats a charge by itself; when its outcome is unknown, check with Payment Transaction → Get or Payment Status → Check before charging again.',
		placeholder: 'e.g. charge-{{ $json.order_id }}',
		custom: 'Your reference for this charge (max 128 characters, no spaces)',
	},
};

/** The Tracking-Key choice for money-moving requests. There is deliberately no "None". */
export const trackingKeyProperties = (kind: keyof typeof KEY_WORDS): INodeProperties[] => [
	{
		displayName: 'Tracking-Key',
		name: 'trackingKeyMode',
		type: 'options',
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description: AUTOMATIC_KEY,
			},
			{
				name: 'Custom',
				value: 'custom',
				description: 'Your own unique key, e.g. an ID from your system',
			},
		],
		default: 'automatic',
		description: KEY_WORDS[kind].mode,
	},
	{
		displayName: 'Custom Tracking-Key',
		name: 'trackingKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: KEY_WORDS[kind].placeholder,
		description: KEY_WORDS[kind].custom,
		displayOptions: { show: { trackingKeyMode: ['custom'] } },
	},
];

/** The Tracking-Key for one item of a money-moving operation: the user's own, or the automatic one. */
export function trackingKeyFor(
	ctx: IExecuteFunctions,
	itemIndex: number,
	operation: string,
	transaction: TransactionSelector,
	amount?: string,
): TrackingKey {
	const mode = ctx.getNodeParameter('trackingKeyMode', itemIndex, 'automatic') as string;
	if (mode === 'custom')
		return {
			key: customTrackingKey(ctx.getNodeParameter('trackingKey', itemIndex, '')),
			origin: 'custom',
		};
	const node = ctx.getNode();
	const key = deriveTrackingKey({
		workflowId: String(ctx.getWorkflow().id ?? ''),
		nodeId: node.id ?? node.name,
		operation,
		transaction,
		amount,
		itemJson: ctx.getInputData()[itemIndex]?.json ?? {},
	});
	return {
		key,
		origin: 'automatic',
	};
}

/** The output fields that say which Tracking-Key was sent and where it came from. */
export function trackingKeyFields(trackingKey: TrackingKey): IDataObject {
	return {
		tracking_key: trackingKey.key,
		tracking_key_source: trackingKey.origin,
	};
}

const inFlight = new WeakMap<IExecuteFunctions, Map<string, Promise<unknown>>>();

/**
 * Runs `send` only once no earlier item of this run with the same Tracking-Key is still waiting for Ottu
 * (identical items under Concurrency > 1): Ottu documents what a repeated key returns, not what two
 * requests with one key at the same instant do, so the second is sent after the first was answered.
 */
export async function oneAtATimePerKey<T>(
	ctx: IExecuteFunctions,
	key: string,
	send: () => Promise<T>,
): Promise<T> {
	let keys = inFlight.get(ctx);
	if (keys === undefined) {
		keys = new Map();
		inFlight.set(ctx, keys);
	}
	const before = keys.get(key) ?? Promise.resolve();
	const mine = before.catch(() => undefined).then(send);
	const settled = mine.catch(() => undefined);
	keys.set(key, settled);
	try {
		return await mine;
	} finally {
		if (keys.get(key) === settled) keys.delete(key);
	}
}
