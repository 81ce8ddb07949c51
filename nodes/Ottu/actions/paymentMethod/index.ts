import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as getAll from './getAll.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['paymentMethod'] } },
	options: [
		{
			name: 'Get Many',
			value: 'getAll',
			description:
				'List the gateways (pg_codes) configured on your Ottu instance, with their currencies and supported operations',
			action: 'Get many payment methods',
		},
	],
	default: 'getAll',
};

export const paymentMethod: OttuResource = {
	operationProperty,
	operations: { getAll },
};
