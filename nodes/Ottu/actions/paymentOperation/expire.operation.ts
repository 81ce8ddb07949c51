import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readTransaction, transactionSelectorProperties } from '../common';
import type { OperationOption } from '../types';
import { postOperation } from './post';

export const option: OperationOption = {
	name: 'Expire',
	value: 'expire',
	description: 'Expire an unpaid payment transaction now. Moves no money.',
	action: 'Expire a payment',
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
		operation: 'expire',
		transaction: readTransaction(this, itemIndex),
		settlesTo: 'expired',
	});
}
