import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as deleteCard from './delete.operation';
import * as getAll from './getAll.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['card'] } },
	options: [
		{
			name: 'Delete',
			value: 'delete',
			description:
				"Delete a customer's saved card. Cards locked to an active auto-debit agreement cannot be deleted.",
			action: 'Delete a saved card irreversibly by customer id and token',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: "List a customer's saved cards (masked number, brand, expiry, token)",
			action: 'Get many saved cards of a customer',
		},
	],
	default: 'getAll',
};

export const card: OttuResource = {
	operationProperty,
	operations: {
		delete: deleteCard,
		getAll,
	},
};
