import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readTransaction, transactionSelectorProperties } from '../common';
import type { OperationOption } from '../types';
import { postOperation } from './post';

export const option: OperationOption = {
	name: 'Cancel',
	value: 'cancel',
	description:
		'Cancel an unpaid payment transaction so the customer can no longer pay it. Moves no money.',
	action: 'Cancel a payment',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'cannot be undone';

export const description: INodeProperties[] = transactionSelectorProperties();

/** Moves no money, so it carries no Tracking-Key and is sent once. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await postOperation(this, itemIndex, {
		operation: 'cancel',
		transaction: readTransaction(this, itemIndex),
		settlesTo: 'canceled',
	});
}
