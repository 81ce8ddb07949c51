import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as applePay from './applePay.operation';
import * as autoDebit from './autoDebit.operation';
import * as googlePay from './googlePay.operation';
import * as wallet from './wallet.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['nativePayment'] } },
	options: [
		{
			name: 'Apple Pay',
			value: 'applePay',
			description:
				'Moves money: charges an Apple Pay token for a payment transaction. Returns the payment result (a decline is an item with result "failed"). Never repeated automatically: if the answer is lost, check the payment before charging again.',
			action: 'Charge an apple pay token moving money for a session id',
		},
		{
			name: 'Auto-Debit',
			value: 'autoDebit',
			description:
				'Moves money: charges a customer\'s saved card (merchant-initiated, e.g. a subscription renewal). Returns the payment result (a decline is an item with result "failed"). Never repeated automatically: if the answer is lost, check the payment before charging again.',
			action: 'Charge a saved card token moving money for a session id',
		},
		{
			name: 'Google Pay',
			value: 'googlePay',
			description:
				'Moves money: charges Google Pay payment data for a payment transaction. May answer with a 3-D Secure challenge (requires_3ds). Never repeated automatically: if the answer is lost, check the payment before charging again.',
			action: 'Charge a google pay token moving money for a session id',
		},
		{
			name: 'Wallet',
			value: 'wallet',
			description:
				'Moves money: charges the customer\'s wallet balance (Ottu\'s wallet service) for a payment transaction. A repeat Ottu refuses (HTTP 409) fails as "Already charged". Never repeated automatically: if the answer is lost, check the payment before charging again.',
			action: 'Charge a customer wallet moving money for a session id',
		},
	],
	default: 'autoDebit',
};

export const nativePayment: OttuResource = {
	operationProperty,
	operations: {
		applePay,
		autoDebit,
		googlePay,
		wallet,
	},
};
