import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as resend from './resend.operation';
import * as sendTemplate from './sendTemplate.operation';

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
			description:
				"Send the customer the transaction's notification again (payment link or receipt) by email, SMS or WhatsApp",
			action: 'Resend a payment notification to the customer by session id or order no',
		},
		{
			name: 'Send Template',
			value: 'sendTemplate',
			description: 'Send an Ottu template message to any recipient by email, SMS or WhatsApp',
			action: 'Send a template notification',
		},
	],
	default: 'resend',
};

export const notification: OttuResource = {
	operationProperty,
	operations: {
		resend,
		sendTemplate,
	},
};
