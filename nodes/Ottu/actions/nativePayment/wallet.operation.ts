import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { optionalJsonObject } from '../../helpers/validation';
import { sessionIdProperty, toItems } from '../common';
import { trackingKeyProperties } from '../moneyMoving';
import type { OperationOption } from '../types';
import { gatewayProperty, postCharge, readGateway, readSessionId } from './charge';

export const option: OperationOption = {
	name: 'Wallet',
	value: 'wallet',
	description:
		"Moves money, once only: charges the customer's M-Wallet balance (Ottu's wallet service) for a payment transaction with a Customer ID. Immediate capture only; a balance below the amount may pay only part, so check the output's state is paid. Never repeated automatically: if the answer is lost, it may have happened, so check the payment before charging again.",
	action: 'Charge a customer wallet',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'moves real money and cannot be undone';

export const description: INodeProperties[] = [
	sessionIdProperty(
		"The payment transaction to pay from the customer's wallet (created with Payment Transaction → Create, with the customer's Customer ID and a gateway with the wallet service that captures immediately)",
	),
	gatewayProperty(
		'The gateway (pg_code) with the wallet service, when the transaction has several',
	),
	{
		displayName: 'Wallet Payload (JSON)',
		name: 'payload',
		type: 'json',
		default: '{}',
		description:
			"Extra data for the wallet service, sent unchanged. Usually empty: Ottu debits the wallet of the transaction's customer without it.",
	},
	...trackingKeyProperties('reference'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = readSessionId(this, itemIndex);
	const body: IDataObject = { session_id: sessionId };
	const pgCode = readGateway(this, itemIndex);
	if (pgCode) body.pg_code = pgCode;
	const payload = optionalJsonObject(
		this.getNodeParameter('payload', itemIndex, '{}'),
		'Wallet Payload (JSON)',
	);
	if (payload && Object.keys(payload).length > 0) body.payload = payload;
	const out = await postCharge(this, itemIndex, {
		charge: 'wallet',
		path: '/b/pbl/v2/payment/wallet/',
		sessionId,
		body,
	});
	return toItems(out);
}
