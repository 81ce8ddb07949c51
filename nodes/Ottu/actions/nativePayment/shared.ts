import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { OttuInputError } from '../../helpers/errors';
import { checkApplePayToken } from '../../helpers/paymentInstrument';
import { SESSION_ID, segmentText } from '../../helpers/pathSegment';
import { optionalJsonObject, optionalText, requireText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { toItems, trackingKeyProperties } from '../common';
import { trackingKeyFields, trackingKeyFor } from '../moneyMoving';

export type ChargeName = 'applePay' | 'googlePay' | 'autoDebit';

const PATHS: Record<ChargeName, string> = {
	applePay: '/b/pbl/v2/payment/apple-pay/',
	googlePay: '/b/pbl/v2/payment/google-pay/',
	autoDebit: '/b/pbl/v2/payment/auto-debit/',
};

/** The Session ID of the transaction a native charge pays. */
export function chargeSessionId(description: string): INodeProperties {
	return {
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 19aa7cd3c1a2a3b6e64dc0f2e3a5c7d9e1f3a5b7',
		description,
	};
}

/** The optional gateway of a native charge, from the instance's gateways. */
export function chargeGateway(purpose: string): INodeProperties {
	return {
		displayName: 'Gateway Name or ID',
		name: 'pgCode',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getGateways' },
		default: '',
		description: `${purpose}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

export function chargeDescription(charge: ChargeName): INodeProperties[] {
	const show = {
		resource: ['nativePayment'],
		operation: [charge],
	};
	const properties: INodeProperties[] = [
		chargeSessionId(
			charge === 'autoDebit'
				? 'The session_id of a payment transaction created with Payment Type Auto-Debit, the same Customer ID and Agreement ID, and the gateway of the saved card'
				: 'The session_id of the payment transaction to pay (created with Payment Transaction → Create)',
		),
	];
	if (charge === 'autoDebit') {
		properties.push({
			displayName: 'Card Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The saved card's token (from Card → Get Many, or the token in the first payment's webhook)",
		});
	} else {
		properties.push(
			{
				displayName:
					charge === 'applePay' ? 'Apple Pay Token (JSON)' : 'Google Pay Payment Data (JSON)',
				name: 'payload',
				type: 'json',
				default: '{}',
				required: true,
				description:
					charge === 'applePay'
						? 'The PKPaymentToken from Apple Pay exactly as received (paymentData, paymentMethod, transactionIdentifier). Do not change it.'
						: 'The PaymentData object from Google Pay exactly as received (apiVersion, paymentMethodData, ...). Do not change it.',
			},
			chargeGateway(
				'The gateway (pg_code) to pay with, when the transaction has several and only one offers this wallet',
			),
		);
	}
	properties.push(...trackingKeyProperties(show, 'reference'));
	return updateDisplayOptions({ show }, properties);
}

const REQUIRED_PAYLOAD: Record<'applePay' | 'googlePay', string[]> = {
	applePay: ['paymentData', 'paymentMethod', 'transactionIdentifier'],
	googlePay: ['apiVersion', 'apiVersionMinor', 'paymentMethodData'],
};

export async function executeCharge(
	this: IExecuteFunctions,
	charge: ChargeName,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = segmentText(
		this.getNodeParameter('sessionId', itemIndex),
		'Session ID',
		SESSION_ID,
	);
	const body: IDataObject = { session_id: sessionId };
	if (charge === 'autoDebit') {
		body.token = requireText(
			this.getNodeParameter('token', itemIndex),
			'Card Token',
			50,
			'Use the token from Card → Get Many',
		);
	} else {
		const label =
			charge === 'applePay' ? 'Apple Pay Token (JSON)' : 'Google Pay Payment Data (JSON)';
		const payload = optionalJsonObject(this.getNodeParameter('payload', itemIndex), label);
		if (charge === 'applePay') checkApplePayToken(payload, label);
		const missing = REQUIRED_PAYLOAD[charge].filter((k) => payload?.[k] === undefined);
		if (!payload || missing.length > 0) {
			throw new OttuInputError(
				'payload',
				`${label} is missing ${missing.join(', ')}`,
				`Pass the object your ${charge === 'applePay' ? 'Apple Pay' : 'Google Pay'} button returned, unchanged`,
			);
		}
		body.payload = payload;
		const pgCode = optionalText(this.getNodeParameter('pgCode', itemIndex, ''), 'Gateway', 50);
		if (pgCode) body.pg_code = pgCode;
	}
	const trackingKey = trackingKeyFor(this, itemIndex, charge, { session_id: sessionId });
	// Ottu documents Tracking-Key replays only for /b/pbl/v2/operation/: a charge whose outcome is unknown is
	// never sent again (a 429, refused before anything was done, is still waited out and retried).
	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: PATHS[charge],
		body,
		trackingKey: trackingKey.key,
		retry: 'once',
		unknownOutcome: chargeMayHaveGoneThrough(sessionId),
		itemIndex,
	})) as IDataObject;
	const out: IDataObject = {
		...response,
		...trackingKeyFields(trackingKey),
	};
	// Google Pay may ask for a 3-D Secure challenge the customer must complete in a browser.
	if (response.status === '3DS') out.requires_3ds = true;
	return toItems(out);
}

/** What an error says when a charge was sent but its answer was lost (timeout, reset, 5xx, garbled answer). */
export function chargeMayHaveGoneThrough(sessionId: string): string {
	return (
		`The charge may have gone through. Check with Payment Transaction → Get or Payment Status → Check (session_id ${sessionId}) before charging again. ` +
		'It was not repeated automatically: Ottu does not document Tracking-Key protection for charges, so a repeat could charge the customer twice.'
	);
}
