import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { canonicalAmount } from '../../helpers/money';
import { readTransaction, transactionSelectorProperties } from '../common';
import { trackingKeyFor, trackingKeyProperties } from '../moneyMoving';
import type { OperationOption } from '../types';
import {
	currencyCheckOption,
	extraOption,
	operationAmountProperty,
	operationOptionsProperty,
	postOperation,
	readExtraOption,
	readOperationAmount,
	readOperationOptions,
} from './post';

export const option: OperationOption = {
	name: 'Refund',
	value: 'refund',
	description:
		'Moves money: refunds a paid payment to the customer, in full or in part. Protected by a Tracking-Key: a repeat with the same key returns the original refund (replayed) instead of refunding twice.',
	action: 'Refund a payment',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'moves real money and cannot be undone';

const destinationOption: INodeProperties = {
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
};

export const description: INodeProperties[] = [
	...transactionSelectorProperties(),
	operationAmountProperty(
		'Amount to refund. Leave empty to refund the full amount (or what remains after earlier refunds).',
	),
	...trackingKeyProperties('idempotent'),
	operationOptionsProperty([currencyCheckOption, destinationOption, extraOption]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const transaction = readTransaction(this, itemIndex);
	const options = readOperationOptions(this, itemIndex);
	const amount = readOperationAmount(this, itemIndex, options);
	const fields: IDataObject = {};
	// Ottu's default is the gateway: only the wallet is sent.
	if (options.destination && options.destination !== 'pg') fields.destination = options.destination;
	const extra = readExtraOption(options);
	if (extra) fields.extra = extra;
	return await postOperation(this, itemIndex, {
		operation: 'refund',
		transaction,
		amount,
		fields,
		trackingKey: await trackingKeyFor(this, itemIndex, {
			operation: 'refund',
			transaction,
			amount: amount === undefined ? undefined : canonicalAmount(amount),
			fields: fields,
			converge: true,
		}),
	});
}
