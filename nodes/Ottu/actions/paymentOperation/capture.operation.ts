import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

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
	name: 'Capture',
	value: 'capture',
	description:
		'Moves money: collects an authorized payment, in full or in part. Protected by a Tracking-Key: a repeat with the same key returns the original capture (replayed) instead of capturing twice.',
	action: 'Capture a payment',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'moves real money and cannot be undone';

export const description: INodeProperties[] = [
	...transactionSelectorProperties(),
	operationAmountProperty(
		'Amount to capture. Leave empty to capture the full authorized amount (or what remains).',
	),
	...trackingKeyProperties('idempotent'),
	operationOptionsProperty([currencyCheckOption, extraOption]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const transaction = readTransaction(this, itemIndex);
	const options = readOperationOptions(this, itemIndex);
	const amount = readOperationAmount(this, itemIndex, options);
	const extra = readExtraOption(options);
	return await postOperation(this, itemIndex, {
		operation: 'capture',
		transaction,
		amount,
		fields: extra ? { extra } : {},
		trackingKey: await trackingKeyFor(this, itemIndex, {
			operation: 'capture',
			transaction,
			amount: amount === undefined ? undefined : canonicalAmount(amount),
			fields: extra ? { extra } : {},
			converge: true,
		}),
	});
}
