import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { TransactionSelector } from '../helpers/identifier';
import type { TrackingKeyOrigin } from '../helpers/trackingKey';
import { customTrackingKey, deriveTrackingKey } from '../helpers/trackingKey';

export interface TrackingKey {
	key: string;
	origin: TrackingKeyOrigin;
}

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
