import { defineResource } from '../types';
import * as create from './create.operation';
import * as get from './get.operation';
import * as update from './update.operation';
import * as uploadAttachment from './uploadAttachment.operation';

export const paymentTransaction = defineResource(
	{
		name: 'Payment Transaction',
		value: 'paymentTransaction',
		description: 'A payment link or checkout session',
	},
	'create',
	[create, get, update, uploadAttachment],
);
