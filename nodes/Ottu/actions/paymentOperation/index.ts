import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as cancel from './cancel.operation';
import * as capture from './capture.operation';
import * as deleteOperation from './delete.operation';
import * as expire from './expire.operation';
import * as refund from './refund.operation';
import * as voidOperation from './void.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['paymentOperation'] } },
	options: [
		{
			name: 'Cancel',
			value: 'cancel',
			description:
				'Cancel an unpaid payment transaction so the customer can no longer pay it. Moves no money.',
			action: 'Cancel an unpaid payment irreversibly by session id or order no',
		},
		{
			name: 'Capture',
			value: 'capture',
			description:
				'Moves money: collects an authorized payment, in full or in part. Protected by a Tracking-Key: a repeat with the same key returns the original capture (replayed) instead of capturing twice.',
			action: 'Capture an authorized payment moving money irreversibly by session id or order no',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete an unpaid payment transaction from Ottu. Moves no money.',
			action: 'Delete an unpaid payment irreversibly by session id or order no',
		},
		{
			name: 'Expire',
			value: 'expire',
			description: 'Expire an unpaid payment transaction now. Moves no money.',
			action: 'Expire an unpaid payment irreversibly by session id or order no',
		},
		{
			name: 'Refund',
			value: 'refund',
			description:
				'Moves money: refunds a paid payment to the customer, in full or in part. Protected by a Tracking-Key: a repeat with the same key returns the original refund (replayed) instead of refunding twice.',
			action: 'Refund a paid payment moving money irreversibly by session id or order no',
		},
		{
			name: 'Void',
			value: 'void',
			description:
				'Moves money: releases an authorized (not yet captured) payment in full. Protected by a Tracking-Key: a repeat with the same key returns the original void (replayed).',
			action: 'Void an authorized payment releasing money irreversibly by session id or order no',
		},
	],
	default: 'refund',
};

export const paymentOperation: OttuResource = {
	operationProperty,
	operations: {
		cancel,
		capture,
		delete: deleteOperation,
		expire,
		refund,
		void: voidOperation,
	},
};
