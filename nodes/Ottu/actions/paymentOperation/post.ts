import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { currencyOptions } from '../../helpers/currencies';
import type { TransactionSelector } from '../../helpers/identifier';
import { normalizeCurrency, normalizeOperationAmount } from '../../helpers/money';
import { optionalJsonObject, optionalText } from '../../helpers/validation';
import { apiPath, pathSegment, SESSION_ID } from '../../helpers/pathSegment';
import { ottuApiRequest, outcomeUnknown, settle } from '../../transport';
import { toItems } from '../common';
import type { TrackingKey } from '../moneyMoving';
import { oneAtATimePerKey, trackingKeyFields } from '../moneyMoving';

/**
 * Building blocks of the Payment Operation operations (POST /b/pbl/v2/operation/). Each operation file
 * says which it uses and what it sends; nothing here depends on which operation calls it.
 */

/** The optional Amount of a partial operation; empty means the full amount (or what remains). */
export const operationAmountProperty = (description: string): INodeProperties => ({
	displayName: 'Amount',
	name: 'amount',
	type: 'string',
	default: '',
	placeholder: 'e.g. 5.250',
	description,
});

/** Operation Options → Currency: checks the amount's decimals before anything is sent. */
export const currencyCheckOption: INodeProperties = {
	displayName: 'Currency',
	name: 'currencyCode',
	type: 'options',
	options: currencyOptions(),
	default: 'KWD',
	description:
		"The transaction's currency. When set, the amount is checked against its decimals before anything is sent.",
};

/** Operation Options → Extra (JSON): Ottu's `extra` for the gateway. */
export const extraOption: INodeProperties = {
	displayName: 'Extra (JSON)',
	name: 'extra',
	type: 'json',
	default: '{}',
	description: 'Gateway-specific parameters, e.g. the per-ticket amounts of an IFG partial refund',
};

/** The Operation Options collection holding the given options, sorted by display name. */
export const operationOptionsProperty = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Operation Options',
	name: 'operationOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});

export function readOperationOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('operationOptions', itemIndex, {}) as IDataObject) ?? {};
}

/** The Amount, normalised (and checked against Operation Options → Currency when set); undefined when empty. */
export function readOperationAmount(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): string | undefined {
	const amountText = optionalText(ctx.getNodeParameter('amount', itemIndex, ''), 'Amount');
	if (amountText === undefined) return undefined;
	const currency = options.currencyCode
		? normalizeCurrency(options.currencyCode, 'Currency')
		: undefined;
	return normalizeOperationAmount(amountText, currency);
}

/** Operation Options → Extra (JSON) as Ottu's `extra`, or undefined when empty. */
export function readExtraOption(options: IDataObject): IDataObject | undefined {
	const extra = optionalJsonObject(options.extra, 'Extra (JSON)');
	return extra && Object.keys(extra).length > 0 ? extra : undefined;
}

export interface OperationRequest {
	/** Ottu's `operation` (refund, capture, ...), also the verb of the messages. */
	operation: string;
	transaction: TransactionSelector;
	amount?: string;
	/** The operation's other body fields, e.g. destination and extra. */
	fields?: IDataObject;
	/**
	 * Money-moving operations send one: Ottu then answers a repeat with the original operation, so the
	 * request may be sent again after a lost answer. Without one it is sent once.
	 */
	trackingKey?: TrackingKey;
	/**
	 * The transaction state this operation leaves (cancel: canceled): after a lost answer, one read of the
	 * transaction settles it when the transaction is identified by its Session ID.
	 */
	settlesTo?: string;
}

/** Posts one payment operation and turns Ottu's answer (fresh, replayed or refused) into the output item. */
export async function postOperation(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: OperationRequest,
): Promise<INodeExecutionData[]> {
	const { operation, trackingKey } = request;
	const body: IDataObject = {
		operation,
		...request.transaction,
		...(request.amount === undefined ? {} : { amount: request.amount }),
		...request.fields,
	};
	// Set when an attempt's answer was lost and the same request (same Tracking-Key) was sent again.
	let lostAnswer = false;
	const send = async () =>
		(await ottuApiRequest.call(ctx, {
			method: 'POST',
			path: '/b/pbl/v2/operation/',
			body,
			trackingKey: trackingKey?.key,
			retry: trackingKey ? 'tracked' : 'once',
			onLostAnswer: () => {
				lostAnswer = true;
			},
			itemIndex,
		})) as IDataObject;
	const response = trackingKey
		? await oneAtATimePerKey(ctx, trackingKey.key, send)
		: await sendOrSettle(ctx, itemIndex, request, send);
	if (trackingKey && isReplay(response))
		return toItems(replayed(operation, response, trackingKey, lostAnswer));
	if (response.result === 'failed' || response.success === false)
		throw refused(ctx, operation, response, trackingKey, itemIndex);
	return toItems(
		trackingKey
			? {
					...response,
					...trackingKeyFields(trackingKey),
					replayed: false,
				}
			: response,
	);
}

/** Sends once; after a lost answer, reads the transaction when a read can tell whether it was done. */
async function sendOrSettle(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: OperationRequest,
	send: () => Promise<IDataObject>,
): Promise<IDataObject> {
	const sessionId = request.transaction.session_id;
	const sent = await settle(send());
	if ('value' in sent) return sent.value;
	if (!request.settlesTo || !sessionId || !outcomeUnknown(sent.error)) throw sent.error;
	const read = await settle(
		ottuApiRequest.call(ctx, {
			method: 'GET',
			path: apiPath`/b/checkout/v1/pymt-txn/${pathSegment(sessionId, 'Session ID', SESSION_ID)}/`,
			itemIndex,
		}),
	);
	const state = 'value' in read ? (read.value as IDataObject).state : undefined;
	if (state !== request.settlesTo) throw sent.error;
	return {
		operation: request.operation,
		result: 'success',
		session_id: sessionId,
		state,
		outcome_settled_by: 'lookup',
		outcome_note: `The answer was lost; the transaction read afterwards is ${state}, so the ${request.operation} is reported as done. Not sent again.`,
	};
}

/**
 * Ottu answers a Tracking-Key it already stored (same transaction) with the latest status of the original
 * operation, shaped like a payment webhook (a top-level `state`), instead of the operation answer, which
 * always has the child transaction as `txn` (digest §2.6, §4.3, §4.4).
 */
export function isReplay(response: IDataObject): boolean {
	const txn = response.txn;
	return (
		typeof response.state === 'string' &&
		(txn === undefined || txn === null || typeof txn !== 'object')
	);
}

function replayed(
	operation: string,
	response: IDataObject,
	trackingKey: TrackingKey,
	lostAnswer: boolean,
): IDataObject {
	return {
		...response,
		...trackingKeyFields(trackingKey),
		replayed: true,
		replay_cause: lostAnswer ? 'lost_answer' : 'repeated_key',
		replay_note: replayNote(operation, response, lostAnswer),
	};
}

function refused(
	ctx: IExecuteFunctions,
	operation: string,
	response: IDataObject,
	trackingKey: TrackingKey | undefined,
	itemIndex: number,
): NodeApiError {
	const detail = typeof response.detail === 'string' ? response.detail : 'the gateway refused it';
	return new NodeApiError(ctx.getNode(), response as JsonObject, {
		message: `Ottu could not ${operation} the payment: ${detail} [item ${itemIndex}]`,
		description: trackingKey
			? `Tracking-Key used: ${trackingKey.key}. A failed operation is not recorded, so running it again tries again.`
			: undefined,
		itemIndex,
	});
}

function replayNote(operation: string, response: IDataObject, lostAnswer: boolean): string {
	const state = typeof response.state === 'string' ? response.state : 'unknown';
	const rejected =
		state === 'refund_rejected'
			? ' The gateway rejected that refund, so it returned no money; to try again, use a new (Custom) Tracking-Key.'
			: '';
	const how = lostAnswer
		? `An earlier attempt of this request reached Ottu but its answer was lost, so the node asked again with the same Tracking-Key; Ottu answered with the latest status of the operation stored under that key (state "${state}") instead of carrying it out again. The ${operation} was made once (by that attempt, or by an earlier execution), not twice.`
		: `Ottu already carried out an operation with this Tracking-Key on this transaction (in an earlier execution, or for an earlier item asking for the same ${operation}), so it did not ${operation} again and answered with that operation's latest status (state "${state}"). No new money moved. If you meant another ${operation} of the same amount, set Tracking-Key to Custom with its own ID.`;
	return `Replay: ${how}${rejected}`;
}
