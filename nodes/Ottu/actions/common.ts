import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { currencyOptions } from '../helpers/currencies';
import type { TransactionSelector } from '../helpers/identifier';
import { selectTransaction } from '../helpers/identifier';

/**
 * Parameter building blocks shared by the operations. None of them knows which operation uses it: an
 * operation passes what differs (a description, a purpose) and its resource adds the display options.
 */

export function toItems(data: IDataObject | IDataObject[]): INodeExecutionData[] {
	return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
}

export const currencyProperty = (): INodeProperties => ({
	displayName: 'Currency',
	name: 'currencyCode',
	type: 'options',
	options: currencyOptions(),
	default: 'KWD',
	required: true,
	description: 'ISO 4217 currency of the amount. Ottu needs it enabled on your instance.',
});

export const amountProperty = (description: string): INodeProperties => ({
	displayName: 'Amount',
	name: 'amount',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 20.500',
	description,
});

export const gatewaysProperty = (): INodeProperties => ({
	displayName: 'Gateway Names or IDs',
	name: 'pgCodes',
	type: 'multiOptions',
	typeOptions: {
		loadOptionsMethod: 'getGateways',
		loadOptionsDependsOn: ['type', 'currencyCode'],
	},
	default: [],
	required: true,
	description:
		'Payment gateway codes (pg_codes) the customer can pay with, as configured on your Ottu instance. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
});

/**
 * The Session ID of an existing payment transaction, declared once for every operation that takes one.
 * `hint`: what this operation needs of the transaction, shown under the field.
 */
export function sessionIdProperty(hint?: string): INodeProperties {
	return {
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 19aa7cd3c1a2a3b6e64dc0f2e3a5c7d9e1f3a5b7',
		description:
			'The session_id Ottu returned when the payment transaction was created (also in every Ottu webhook)',
		...(hint === undefined ? {} : { hint }),
	};
}

/** The merchant's own Order No of a payment transaction. */
export function orderNoProperty(
	description = 'The order_no you gave when the payment transaction was created',
	required = true,
): INodeProperties {
	return {
		displayName: 'Order No',
		name: 'orderNo',
		type: 'string',
		default: '',
		...(required ? { required: true } : {}),
		placeholder: 'e.g. ORD-10045',
		description,
	};
}

/** Identify By + Session ID / Order No, for the operations that act on an existing transaction. */
export const transactionSelectorProperties = (): INodeProperties[] => [
	{
		displayName: 'Identify By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{
				name: 'Session ID',
				value: 'sessionId',
				description: "Ottu's session_id of the payment transaction",
			},
			{
				name: 'Order No',
				value: 'orderNo',
				description: 'Your order_no given when the transaction was created',
			},
		],
		default: 'sessionId',
		description: 'How to find the payment transaction',
	},
	{
		...sessionIdProperty(),
		displayOptions: { show: { identifyBy: ['sessionId'] } },
	},
	{
		...orderNoProperty(),
		displayOptions: { show: { identifyBy: ['orderNo'] } },
	},
];

/** The transaction chosen with the selector above, as Ottu's `session_id` or `order_no` body field. */
export function readTransaction(ctx: IExecuteFunctions, itemIndex: number): TransactionSelector {
	return selectTransaction(
		ctx.getNodeParameter('identifyBy', itemIndex),
		ctx.getNodeParameter('sessionId', itemIndex, ''),
		ctx.getNodeParameter('orderNo', itemIndex, ''),
	);
}

export const returnAllProperties = (): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];
