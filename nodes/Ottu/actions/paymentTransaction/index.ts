import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as create from './create.operation';
import * as get from './get.operation';
import * as update from './update.operation';
import * as uploadAttachment from './uploadAttachment.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['paymentTransaction'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			description: 'Create a payment transaction and get its checkout link',
			action: 'Create a payment transaction and its payment link',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Retrieve a payment transaction by session_id',
			action: 'Get a payment transaction by session id',
		},
		{
			name: 'Update',
			value: 'update',
			description:
				'Change a payment transaction the customer has not paid yet (amount, gateways, customer, ...)',
			action: 'Update an unpaid payment transaction by session id',
		},
		{
			name: 'Upload Attachment',
			value: 'uploadAttachment',
			description: 'Upload a file from an input binary field, optionally attached to a transaction',
			action: 'Upload an attachment',
		},
	],
	default: 'create',
};

export const paymentTransaction: OttuResource = {
	operationProperty,
	operations: {
		create,
		get,
		update,
		uploadAttachment,
	},
};
