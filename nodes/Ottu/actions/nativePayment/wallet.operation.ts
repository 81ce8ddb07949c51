import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { SESSION_ID, segmentText } from '../../helpers/pathSegment';
import { optionalJsonObject, optionalText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { toItems, trackingKeyProperties } from '../common';
import { trackingKeyFields, trackingKeyFor } from '../moneyMoving';
import { chargeGateway, chargeMayHaveGoneThrough, chargeSessionId } from './shared';

const show = {
	resource: ['nativePayment'],
	operation: ['wallet'],
};

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	chargeSessionId(
		"The session_id of the payment transaction to pay from the customer's wallet (created with Payment Transaction → Create, with the customer's Customer ID)",
	),
	chargeGateway('The gateway (pg_code) with the wallet service, when the transaction has several'),
	{
		displayName: 'Wallet Payload (JSON)',
		name: 'payload',
		type: 'json',
		default: '{}',
		description:
			"Extra data for the wallet service, sent unchanged. Usually empty: Ottu debits the wallet of the transaction's customer without it.",
	},
	...trackingKeyProperties(show, 'reference'),
]);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = segmentText(
		this.getNodeParameter('sessionId', itemIndex),
		'Session ID',
		SESSION_ID,
	);
	const body: IDataObject = { session_id: sessionId };
	const pgCode = optionalText(this.getNodeParameter('pgCode', itemIndex, ''), 'Gateway', 50);
	if (pgCode) body.pg_code = pgCode;
	const payload = optionalJsonObject(
		this.getNodeParameter('payload', itemIndex, '{}'),
		'Wallet Payload (JSON)',
	);
	if (payload && Object.keys(payload).length > 0) body.payload = payload;
	const trackingKey = trackingKeyFor(this, itemIndex, 'wallet', { session_id: sessionId });
	try {
		// Never repeated when the outcome is unknown (see the other native charges); a 429 is still waited out.
		const response = (await ottuApiRequest.call(this, {
			method: 'POST',
			path: '/b/pbl/v2/payment/wallet/',
			body,
			trackingKey: trackingKey.key,
			retry: 'once',
			unknownOutcome: chargeMayHaveGoneThrough(sessionId),
			itemIndex,
		})) as IDataObject;
		return toItems({
			...response,
			...trackingKeyFields(trackingKey),
		});
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
