import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { currencyOptions } from '../helpers/currencies';

export function toItems(data: IDataObject | IDataObject[]): INodeExecutionData[] {
	return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
}

export const currencyProperty = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Currency',
	name: 'currency_code',
	type: 'options',
	options: currencyOptions(),
	default: 'KWD',
	required: true,
	description: 'ISO 4217 currency of the amount. Ottu needs it enabled on your instance.',
	displayOptions: { show },
});

export const amountProperty = (show: Record<string, string[]>, description: string): INodeProperties => ({
	displayName: 'Amount',
	name: 'amount',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 20.500',
	description,
	displayOptions: { show },
});

export const gatewaysProperty = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Gateway Names or IDs',
	name: 'pg_codes',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getGateways', loadOptionsDependsOn: ['type', 'currency_code'] },
	default: [],
	required: true,
	description:
		'Payment gateway codes (pg_codes) the customer can pay with, as configured on your Ottu instance. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	displayOptions: { show },
});

/** Identify By + Session ID / Order No, for the operations that act on an existing transaction. */
export const transactionSelectorProperties = (show: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Identify By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{ name: 'Session ID', value: 'sessionId', description: "Ottu's session_id of the payment transaction" },
			{ name: 'Order No', value: 'orderNo', description: 'Your order_no given when the transaction was created' },
		],
		default: 'sessionId',
		description: 'How to find the payment transaction',
		displayOptions: { show },
	},
	{
		displayName: 'Session ID',
		name: 'session_id',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 19aa7cd3c1a2a3b6e64dc0f2e3a5c7d9e1f3a5b7',
		description: 'The session_id Ottu returned when the payment transaction was created (also in every Ottu webhook)',
		displayOptions: { show: { ...show, identifyBy: ['sessionId'] } },
	},
	{
		displayName: 'Order No',
		name: 'order_no',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ORD-10045',
		description: 'The order_no you gave when the payment transaction was created',
		displayOptions: { show: { ...show, identifyBy: ['orderNo'] } },
	},
];

/** The Tracking-Key choice for money-moving requests. There is deliberately no "None". */
export const trackingKeyProperties = (show: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Tracking-Key',
		name: 'trackingKeyMode',
		type: 'options',
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description: 'Derived from the workflow, this node, the operation, the transaction, the amount and the item position',
			},
			{ name: 'Custom', value: 'custom', description: 'Your own unique key, e.g. an ID from your system' },
		],
		default: 'automatic',
		description:
			'Ottu carries out a money-moving request only once per Tracking-Key and answers a repeat with the original result, so re-running a failed execution or Retry On Fail never moves money twice. To make a deliberate second, identical request for the same transaction and amount, choose Custom and enter a new key.',
		displayOptions: { show },
	},
	{
		displayName: 'Custom Tracking-Key',
		name: 'trackingKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. refund-{{ $json.ticket_id }}',
		description: 'A key unique to this one money movement (max 128 characters, no spaces)',
		displayOptions: { show: { ...show, trackingKeyMode: ['custom'] } },
	},
];

export const returnAllProperties = (show: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];
