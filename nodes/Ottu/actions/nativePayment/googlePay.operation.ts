import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { sessionIdProperty, toItems } from '../common';
import { trackingKeyProperties } from '../moneyMoving';
import type { OperationOption } from '../types';
import { gatewayProperty, postAppWalletCharge, walletPayloadProperty } from './charge';

export const option: OperationOption = {
	name: 'Google Pay',
	value: 'googlePay',
	description:
		'Moves money: charges Google Pay payment data for a payment transaction. May answer with a 3-D Secure challenge (requires_3ds). Never repeated automatically: if the answer is lost, check the payment before charging again.',
	action: 'Charge a Google Pay token',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'moves real money and cannot be undone';

const LABEL = 'Google Pay Payment Data (JSON)';

export const description: INodeProperties[] = [
	sessionIdProperty('The payment transaction to pay (created with Payment Transaction → Create)'),
	walletPayloadProperty(
		LABEL,
		'The PaymentData object from Google Pay exactly as received (apiVersion, paymentMethodData, ...). Do not change it.',
	),
	gatewayProperty(
		'The gateway (pg_code) to pay with, when the transaction has several and only one offers this wallet',
	),
	...trackingKeyProperties('reference'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const out = await postAppWalletCharge(this, itemIndex, {
		charge: 'googlePay',
		path: '/b/pbl/v2/payment/google-pay/',
		payload: {
			label: LABEL,
			button: 'Google Pay',
			required: ['apiVersion', 'apiVersionMinor', 'paymentMethodData'],
		},
	});
	return toItems(out);
}
