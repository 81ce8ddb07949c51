import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as create from './create.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['invoice'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			description:
				'Create an invoice with line items, tax, discount and shipping, and get its payment link',
			action: 'Create an invoice',
		},
	],
	default: 'create',
};

export const invoice: OttuResource = {
	operationProperty,
	operations: { create },
};
