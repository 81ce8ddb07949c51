import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as check from './check.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['paymentStatus'] } },
	options: [
		{
			name: 'Check',
			value: 'check',
			description:
				'Ask Ottu for the latest payment status (state, result, amounts), querying the gateway if still unpaid. Throttled per transaction: none in the first 10 minutes, then one per 30 minutes, at most three. Payment Transaction → Get is not throttled.',
			action: 'Check a payment status by session id or order no',
		},
	],
	default: 'check',
};

export const paymentStatus: OttuResource = {
	operationProperty,
	operations: { check },
};
