import { defineResource } from '../types';
import * as cancel from './cancel.operation';
import * as capture from './capture.operation';
import * as deleteOperation from './delete.operation';
import * as expire from './expire.operation';
import * as refund from './refund.operation';
import * as voidOperation from './void.operation';

export const paymentOperation = defineResource(
	{
		name: 'Payment Operation',
		value: 'paymentOperation',
		description: 'Refund, capture, void, cancel, expire or delete a transaction',
	},
	'refund',
	[cancel, capture, deleteOperation, expire, refund, voidOperation],
);
