import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readTransaction, transactionSelectorProperties } from '../common';
import { trackingKeyFor, trackingKeyProperties } from '../moneyMoving';
import type { OperationOption } from '../types';
import {
	extraOption,
	operationOptionsProperty,
	postOperation,
	readExtraOption,
	readOperationOptions,
} from './post';

export const option: OperationOption = {
	name: 'Void',
	value: 'void',
	description:
		'Moves money: releases an authorized (not yet captured) payment in full. Protected by a Tracking-Key: a repeat with the same key returns the original void (replayed).',
	action: 'Void a payment',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'releases the held money and cannot be undone';

export const description: INodeProperties[] = [
	...transactionSelectorProperties(),
	...trackingKeyProperties('idempotent'),
	operationOptionsProperty([extraOption]),
];

/** Always the full authorized amount: Ottu's void takes no amount. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const transaction = readTransaction(this, itemIndex);
	const extra = readExtraOption(readOperationOptions(this, itemIndex));
	return await postOperation(this, itemIndex, {
		operation: 'void',
		transaction,
		fields: extra ? { extra } : {},
		trackingKey: await trackingKeyFor(this, itemIndex, {
			operation: 'void',
			transaction,
			fields: extra ? { extra } : {},
			converge: true,
		}),
	});
}
