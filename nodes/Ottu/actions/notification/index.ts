import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as resend from './resend.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['notification'] } },
	options: [
		{
			name: 'Resend',
			value: 'resend',
			description: "Send the customer the transaction's notification again (payment link or receipt) by email, SMS or WhatsApp",
			action: 'Resend a payment notification to the customer by session id or order no',
		},
	],
	default: 'resend',
};

export const notification: OttuResource = { operationProperty, operations: { resend } };
