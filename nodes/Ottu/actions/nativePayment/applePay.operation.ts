import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkApplePayToken } from '../../helpers/paymentInstrument';
import { sessionIdProperty, toItems } from '../common';
import { trackingKeyProperties } from '../moneyMoving';
import type { OperationOption } from '../types';
import { gatewayProperty, postAppWalletCharge, walletPayloadProperty } from './charge';

export const option: OperationOption = {
	name: 'Apple Pay',
	value: 'applePay',
	description:
		'Moves money: charges an Apple Pay token for a payment transaction. Returns the payment result (a decline is an item with result "failed"). Never repeated automatically: if the answer is lost, check the payment before charging again.',
	action: 'Charge an Apple Pay token',
};

/** What an AI agent reads after the action in this tool's description (actions/toolDescription.ts). */
export const toolNote = 'moves real money and cannot be undone';

const LABEL = 'Apple Pay Token (JSON)';

export const description: INodeProperties[] = [
	sessionIdProperty('The payment transaction to pay (created with Payment Transaction → Create)'),
	walletPayloadProperty(
		LABEL,
		'The PKPaymentToken from Apple Pay exactly as received (paymentData, paymentMethod, transactionIdentifier). Do not change it.',
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
		charge: 'applePay',
		path: '/b/pbl/v2/payment/apple-pay/',
		payload: {
			label: LABEL,
			button: 'Apple Pay',
			required: ['paymentData', 'paymentMethod', 'transactionIdentifier'],
			check: checkApplePayToken,
		},
	});
	return toItems(out);
}
