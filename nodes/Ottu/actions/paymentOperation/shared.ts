import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { selectTransaction } from '../../helpers/identifier';
import { canonicalAmount, normalizeCurrency, normalizeOperationAmount } from '../../helpers/money';
import { optionalJsonObject, optionalText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { toItems, trackingKeyProperties, transactionSelectorProperties } from '../common';
import { currencyOptions } from '../../helpers/currencies';
import { trackingKeyFor } from '../moneyMoving';

export type OperationName = 'refund' | 'capture' | 'void' | 'cancel' | 'expire' | 'delete';

/** Operations that go to the gateway and move money: they always carry a Tracking-Key. */
export const MONEY_MOVING: OperationName[] = ['refund', 'capture', 'void'];

export function operationDescription(operation: OperationName): INodeProperties[] {
	const show = { resource: ['paymentOperation'], operation: [operation] };
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
			name: 'currency_code',
			type: 'options',
			options: currencyOptions(),
			default: 'KWD',
			description: "The transaction's currency. When set, the amount is checked against its decimals before anything is sent.",
		});
	}
	if (operation === 'refund') {
		options.push({
			displayName: 'Destination',
			name: 'destination',
			type: 'options',
			options: [
				{ name: 'Payment Gateway', value: 'pg', description: 'Back to the card or account the customer paid with' },
				{ name: 'Wallet', value: 'wallet', description: "To the customer's Ottu wallet (needs a wallet service and a customer_id)" },
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
			description: 'Gateway-specific parameters, e.g. the per-ticket amounts of an IFG partial refund',
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

export async function executeOperation(this: IExecuteFunctions, operation: OperationName, itemIndex: number): Promise<INodeExecutionData[]> {
	const transaction = selectTransaction(
		this.getNodeParameter('identifyBy', itemIndex),
		this.getNodeParameter('session_id', itemIndex, ''),
		this.getNodeParameter('order_no', itemIndex, ''),
	);
	const options = (this.getNodeParameter('operationOptions', itemIndex, {}) as IDataObject) ?? {};
	const body: IDataObject = { operation, ...transaction };

	let amount: string | undefined;
	if (operation === 'refund' || operation === 'capture') {
		const amountText = optionalText(this.getNodeParameter('amount', itemIndex, ''), 'Amount');
		if (amountText !== undefined) {
			const currency = options.currency_code ? normalizeCurrency(options.currency_code, 'Currency') : undefined;
			amount = normalizeOperationAmount(amountText, currency);
			body.amount = amount;
		}
	}
	if (options.destination && options.destination !== 'pg') body.destination = options.destination;
	const extra = optionalJsonObject(options.extra, 'Extra (JSON)');
	if (extra && Object.keys(extra).length > 0) body.extra = extra;

	const moneyMoving = MONEY_MOVING.includes(operation);
	const trackingKey = moneyMoving
		? trackingKeyFor(this, itemIndex, operation, transaction, amount === undefined ? undefined : canonicalAmount(amount))
		: undefined;

	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/pbl/v2/operation/',
		body,
		trackingKey,
		retry: moneyMoving ? 'tracked' : 'once',
		itemIndex,
	})) as IDataObject;

	if (response.result === 'failed' || response.success === false) {
		const detail = typeof response.detail === 'string' ? response.detail : 'the gateway refused it';
		const message = `Ottu could not ${operation} the payment: ${detail} [item ${itemIndex}]`;
		throw new NodeApiError(this.getNode(), response as JsonObject, {
			message,
			description: moneyMoving ? `Tracking-Key used: ${trackingKey}. A failed operation is not recorded, so running it again tries again.` : undefined,
			itemIndex,
		});
	}
	return toItems(trackingKey ? { ...response, tracking_key: trackingKey } : response);
}
