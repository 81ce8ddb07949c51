import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { apiPath, CARD_TOKEN, pathSegment, segmentText } from '../../helpers/pathSegment';
import { requireText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { toItems } from '../common';
import type { OperationOption } from '../types';
import { cardCustomerProperties, cardEnvironment } from './common';

export const option: OperationOption = {
	name: 'Delete',
	value: 'delete',
	description:
		"Delete a customer's saved card. Cards locked to an active auto-debit agreement cannot be deleted.",
	action: 'Delete a saved card',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'cannot be undone';

export const description: INodeProperties[] = [
	{
		displayName: 'Card Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: 'The token of the saved card to delete (from Card → Get Many)',
	},
	...cardCustomerProperties(),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const token = segmentText(this.getNodeParameter('token', itemIndex), 'Card Token', CARD_TOKEN);
	await ottuApiRequest.call(this, {
		method: 'DELETE',
		path: apiPath`/b/pbl/v2/card/${pathSegment(token, 'Card Token', CARD_TOKEN)}/`,
		qs: {
			customer_id: requireText(
				this.getNodeParameter('customerId', itemIndex),
				'Customer ID',
				64,
				'Use the customer_id the card was saved under',
			),
			type: cardEnvironment(this.getNodeParameter('environment', itemIndex)),
		},
		retry: 'once',
		itemIndex,
	});
	return toItems({
		deleted: true,
		token,
	});
}
