import { defineResource } from '../types';
import * as applePay from './applePay.operation';
import * as autoDebit from './autoDebit.operation';
import * as googlePay from './googlePay.operation';
import * as wallet from './wallet.operation';

export const nativePayment = defineResource(
	{
		name: 'Native Payment',
		value: 'nativePayment',
		description:
			'Server-to-server charges: Apple Pay, Google Pay, saved-card auto-debit, wallet balance',
	},
	'autoDebit',
	[applePay, autoDebit, googlePay, wallet],
);
