import { defineResource } from '../types';
import * as getAll from './getAll.operation';

export const paymentMethod = defineResource(
	{
		name: 'Payment Method',
		value: 'paymentMethod',
		description: 'The gateways (pg_codes) of your instance',
	},
	'getAll',
	[getAll],
);
