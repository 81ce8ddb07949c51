import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { TransactionSelector } from '../helpers/identifier';
import { apiPath, pathSegment, SESSION_ID } from '../helpers/pathSegment';
import type { TrackingKeyOrigin } from '../helpers/trackingKey';
import { customTrackingKey, deriveTrackingKey } from '../helpers/trackingKey';
import { ottuApiRequest } from '../transport';

export interface TrackingKey {
	key: string;
	origin: TrackingKeyOrigin;
}

const AUTOMATIC_KEY =
	"Derived from the operation, the transaction (its order_no when it has one, so Session ID and Order No agree), the amount and the operation's options. Not from the rest of the item, the workflow or the node.";

/** What the Tracking-Key does, by what Ottu documents for the request it goes with. */
const KEY_WORDS = {
	/** Ottu answers a repeated key with the original operation (refund, capture, void). */
	idempotent: {
		mode: "Ottu carries out a refund, capture or void only once per Tracking-Key and transaction, and answers a repeat with the original operation (output replayed: true, no new money moved). Automatic: one key per transaction, operation, amount and options, so a re-run, Retry On Fail, an execution's Retry, a copied workflow, Order No instead of Session ID or a webhook re-sent with other headers never moves money twice. For a second refund of the same amount of the same transaction, use Custom with that refund's own ID (e.g. the return's ID).",
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

/** What an automatic Tracking-Key is derived from (see deriveTrackingKey). */
export interface KeySource {
	operation: string;
	transaction: TransactionSelector;
	amount?: string;
	fields?: IDataObject;
	/**
	 * Read the transaction when only its Session ID is given, so that Session ID and Order No of one
	 * transaction give one key (refund, capture, void). A charge's key is only a reference: no read.
	 */
	converge?: boolean;
}

/** The Tracking-Key for one item of a money-moving operation: the user's own, or the automatic one. */
export async function trackingKeyFor(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: KeySource,
): Promise<TrackingKey> {
	const mode = ctx.getNodeParameter('trackingKeyMode', itemIndex, 'automatic') as string;
	if (mode === 'custom')
		return {
			key: customTrackingKey(ctx.getNodeParameter('trackingKey', itemIndex, '')),
			origin: 'custom',
		};
	const transaction = source.converge
		? await transactionIdentity(ctx, itemIndex, source.transaction)
		: source.transaction;
	return {
		key: deriveTrackingKey({ ...source, transaction }),
		origin: 'automatic',
	};
}

const identities = new WeakMap<IExecuteFunctions, Map<string, Promise<TransactionSelector>>>();

/**
 * The transaction by its order_no when it has one, read with Payment Transaction → Get when only the Session
 * ID is given (once per transaction and node run); a transaction without an order_no keeps its session_id.
 */
async function transactionIdentity(
	ctx: IExecuteFunctions,
	itemIndex: number,
	transaction: TransactionSelector,
): Promise<TransactionSelector> {
	const sessionId = transaction.session_id;
	if (transaction.order_no || !sessionId) return transaction;
	let known = identities.get(ctx);
	if (known === undefined) {
		known = new Map();
		identities.set(ctx, known);
	}
	let identity = known.get(sessionId);
	if (identity === undefined) {
		identity = readOrderNo(ctx, itemIndex, sessionId);
		known.set(sessionId, identity);
		identity.catch(() => known.delete(sessionId));
	}
	return await identity;
}

async function readOrderNo(
	ctx: IExecuteFunctions,
	itemIndex: number,
	sessionId: string,
): Promise<TransactionSelector> {
	const read = (await ottuApiRequest.call(ctx, {
		method: 'GET',
		path: apiPath`/b/checkout/v1/pymt-txn/${pathSegment(sessionId, 'Session ID', SESSION_ID)}/`,
		itemIndex,
	})) as IDataObject;
	const orderNo = typeof read.order_no === 'string' ? read.order_no.trim() : '';
	return orderNo ? { order_no: orderNo } : { session_id: sessionId };
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
