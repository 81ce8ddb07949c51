import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { optionalJsonObject } from '../../helpers/validation';
import { sessionIdProperty, toItems } from '../common';
import { trackingKeyProperties } from '../moneyMoving';
import type { OperationOption } from '../types';
import { gatewayProperty, postCharge, readGateway, readSessionId } from './charge';

export const option: OperationOption = {
	name: 'Wallet',
	value: 'wallet',
	description:
		'Moves money: charges the customer\'s wallet balance (Ottu\'s wallet service) for a payment transaction. A repeat Ottu refuses (HTTP 409) fails as "Already charged". Never repeated automatically: if the answer is lost, check the payment before charging again.',
	action: 'Charge a customer wallet',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'moves real money and cannot be undone';

export const description: INodeProperties[] = [
	sessionIdProperty(
		"The payment transaction to pay from the customer's wallet (created with Payment Transaction → Create, with the customer's Customer ID)",
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
	try {
		const out = await postCharge(this, itemIndex, {
			charge: 'wallet',
			path: '/b/pbl/v2/payment/wallet/',
			sessionId,
			body,
		});
		return toItems(out);
	} catch (error) {
		throw alreadyCharged(this, error, sessionId, itemIndex);
	}
}

/** Ottu answers a repeated wallet request with 409: an earlier charge exists, so this one is not a failure to retry. */
function alreadyCharged(
	ctx: IExecuteFunctions,
	error: unknown,
	sessionId: string,
	itemIndex: number,
): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== '409') return error;
	return new NodeApiError(ctx.getNode(), (error.cause ?? {}) as JsonObject, {
		message: `Already charged: ${error.message}`,
		description:
			`Ottu refused this wallet charge as a repeat of an earlier request, so the customer was not charged again. It was not retried. ` +
			`See the earlier charge's result with Payment Transaction → Get or Payment Status → Check (session_id ${sessionId}).`,
		httpCode: '409',
		itemIndex,
	});
}
