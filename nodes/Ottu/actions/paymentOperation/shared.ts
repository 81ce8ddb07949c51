import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { selectTransaction } from '../../helpers/identifier';
import { canonicalAmount, normalizeCurrency, normalizeOperationAmount } from '../../helpers/money';
import { optionalJsonObject, optionalText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { toItems, trackingKeyProperties, transactionSelectorProperties } from '../common';
import { currencyOptions } from '../../helpers/currencies';
import { oneAtATimePerKey, trackingKeyFields, trackingKeyFor } from '../moneyMoving';

export type OperationName = 'refund' | 'capture' | 'void' | 'cancel' | 'expire' | 'delete';

/** Operations that go to the gateway and move money: they always carry a Tracking-Key. */
export const MONEY_MOVING: OperationName[] = ['refund', 'capture', 'void'];

export function operationDescription(operation: OperationName): INodeProperties[] {
	const show = {
		resource: ['paymentOperation'],
		operation: [operation],
	};
	const properties: INodeProperties[] = [...transactionSelectorProperties(show)];
	if (operation === 'refund' || operation === 'capture') {
		properties.push({
			displayName: 'Amount',
			name: 'amount',
			type: 'string',
			default: '',
			placeholder: 'e.g. 5.250',
			description:
				operation === 'refund'
					? 'Amount to refund. Leave empty to refund the full amount (or what remains after earlier refunds).'
					: 'Amount to capture. Leave empty to capture the full authorized amount (or what remains).',
			displayOptions: { show },
		});
	}
	if (MONEY_MOVING.includes(operation)) properties.push(...trackingKeyProperties(show));
	const options: INodeProperties[] = [];
	if (operation === 'refund' || operation === 'capture') {
		options.push({
			displayName: 'Currency',
			name: 'currencyCode',
			type: 'options',
			options: currencyOptions(),
			default: 'KWD',
			description:
				"The transaction's currency. When set, the amount is checked against its decimals before anything is sent.",
		});
	}
	if (operation === 'refund') {
		options.push({
			displayName: 'Destination',
			name: 'destination',
			type: 'options',
			options: [
				{
					name: 'Payment Gateway',
					value: 'pg',
					description: 'Back to the card or account the customer paid with',
				},
				{
					name: 'Wallet',
					value: 'wallet',
					description: "To the customer's Ottu wallet (needs a wallet service and a customer_id)",
				},
			],
			default: 'pg',
			description: 'Where the refunded money goes',
		});
	}
	if (MONEY_MOVING.includes(operation)) {
		options.push({
			displayName: 'Extra (JSON)',
			name: 'extra',
			type: 'json',
			default: '{}',
			description:
				'Gateway-specific parameters, e.g. the per-ticket amounts of an IFG partial refund',
		});
	}
	if (options.length > 0) {
		properties.push({
			displayName: 'Operation Options',
			name: 'operationOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
			displayOptions: { show },
		});
	}
	return updateDisplayOptions({ show }, properties);
}

export async function executeOperation(
	this: IExecuteFunctions,
	operation: OperationName,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const transaction = selectTransaction(
		this.getNodeParameter('identifyBy', itemIndex),
		this.getNodeParameter('sessionId', itemIndex, ''),
		this.getNodeParameter('orderNo', itemIndex, ''),
	);
	const options = (this.getNodeParameter('operationOptions', itemIndex, {}) as IDataObject) ?? {};
	const body: IDataObject = {
		operation,
		...transaction,
	};

	let amount: string | undefined;
	if (operation === 'refund' || operation === 'capture') {
		const amountText = optionalText(this.getNodeParameter('amount', itemIndex, ''), 'Amount');
		if (amountText !== undefined) {
			const currency = options.currencyCode
				? normalizeCurrency(options.currencyCode, 'Currency')
				: undefined;
			amount = normalizeOperationAmount(amountText, currency);
			body.amount = amount;
		}
	}
	if (options.destination && options.destination !== 'pg') body.destination = options.destination;
	const extra = optionalJsonObject(options.extra, 'Extra (JSON)');
	if (extra && Object.keys(extra).length > 0) body.extra = extra;

	const moneyMoving = MONEY_MOVING.includes(operation);
	const trackingKey = moneyMoving
		? trackingKeyFor(
				this,
				itemIndex,
				operation,
				transaction,
				amount === undefined ? undefined : canonicalAmount(amount),
			)
		: undefined;

	// Set when an attempt's answer was lost and the same request (same Tracking-Key) was sent again.
	let lostAnswer = false;
	const send = async () =>
		(await ottuApiRequest.call(this, {
			method: 'POST',
			path: '/b/pbl/v2/operation/',
			body,
			trackingKey: trackingKey?.key,
			retry: moneyMoving ? 'tracked' : 'once',
			onLostAnswer: () => {
				lostAnswer = true;
			},
			itemIndex,
		})) as IDataObject;
	const response = trackingKey ? await oneAtATimePerKey(this, trackingKey.key, send) : await send();

	if (trackingKey && isReplay(response)) {
		return toItems({
			...response,
			...trackingKeyFields(trackingKey),
			replayed: true,
			replay_cause: lostAnswer ? 'lost_answer' : 'repeated_key',
			replay_note: replayNote(operation, response, lostAnswer),
		});
	}
	if (response.result === 'failed' || response.success === false) {
		const detail = typeof response.detail === 'string' ? response.detail : 'the gateway refused it';
		const message = `Ottu could not ${operation} the payment: ${detail} [item ${itemIndex}]`;
		throw new NodeApiError(this.getNode(), response as JsonObject, {
			message,
			description: trackingKey
				? `Tracking-Key used: ${trackingKey.key}. A failed operation is not recorded, so running it again tries again.`
				: undefined,
			itemIndex,
		});
	}
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

function replayNote(operation: OperationName, response: IDataObject, lostAnswer: boolean): string {
	const state = typeof response.state === 'string' ? response.state : 'unknown';
	const rejected =
		state === 'refund_rejected'
			? ' The gateway rejected that refund, so it returned no money; to try again, use a new (Custom) Tracking-Key.'
			: '';
	const how = lostAnswer
		? `An earlier attempt of this request reached Ottu but its answer was lost, so the node asked again with the same Tracking-Key; Ottu answered with the latest status of the operation stored under that key (state "${state}") instead of carrying it out again. The ${operation} was made once (by that attempt, or by an earlier execution), not twice.`
		: `Ottu already carried out an operation with this Tracking-Key on this transaction (in an earlier execution, or for an identical earlier item), so it did not ${operation} again and answered with that operation's latest status (state "${state}"). No new money moved.`;
	return `Replay: ${how}${rejected}`;
}
