import { defineResource } from '../types';
import * as create from './create.operation';

export const invoice = defineResource(
	{
		name: 'Invoice',
		value: 'invoice',
		description: 'An invoice with line items and a payment link',
	},
	'create',
	[create],
);
