import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireText } from '../../helpers/validation';
import { sessionIdProperty, toItems } from '../common';
import { trackingKeyProperties } from '../moneyMoving';
import type { OperationOption } from '../types';
import { postCharge, readSessionId, withThreeDs } from './charge';

export const option: OperationOption = {
	name: 'Auto-Debit',
	value: 'autoDebit',
	description:
		'Moves money: charges a customer\'s saved card (merchant-initiated, e.g. a subscription renewal). Returns the payment result (a decline is an item with result "failed"). Never repeated automatically: if the answer is lost, check the payment before charging again.',
	action: 'Charge a saved card',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'moves real money and cannot be undone';

export const description: INodeProperties[] = [
	sessionIdProperty(
		'A payment transaction created with Payment Type Auto-Debit, the same Customer ID and Agreement ID, and the gateway of the saved card',
	),
	{
		displayName: 'Card Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			"The saved card's token (from Card → Get Many, or the token in the first payment's webhook)",
	},
	...trackingKeyProperties('reference'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = readSessionId(this, itemIndex);
	const token = requireText(
		this.getNodeParameter('token', itemIndex),
		'Card Token',
		50,
		'Use the token from Card → Get Many',
	);
	const out = await postCharge(this, itemIndex, {
		charge: 'autoDebit',
		path: '/b/pbl/v2/payment/auto-debit/',
		sessionId,
		body: {
			session_id: sessionId,
			token,
		},
	});
	return toItems(withThreeDs(out));
}
