import { defineResource } from '../types';
import * as check from './check.operation';

export const paymentStatus = defineResource(
	{
		name: 'Payment Status',
		value: 'paymentStatus',
		description: 'The latest status of a payment (inquiry)',
	},
	'check',
	[check],
);
