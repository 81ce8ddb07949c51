import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { currencyOptions } from '../helpers/currencies';

export function toItems(data: IDataObject | IDataObject[]): INodeExecutionData[] {
	return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
}

export const currencyProperty = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Currency',
	name: 'currencyCode',
	type: 'options',
	options: currencyOptions(),
	default: 'KWD',
	required: true,
	description: 'ISO 4217 currency of the amount. Ottu needs it enabled on your instance.',
	displayOptions: { show },
});

export const amountProperty = (
	show: Record<string, string[]>,
	description: string,
): INodeProperties => ({
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
	displayOptions: { show },
});

/** Identify By + Session ID / Order No, for the operations that act on an existing transaction. */
export const transactionSelectorProperties = (
	show: Record<string, string[]>,
): INodeProperties[] => [
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
		displayOptions: { show },
	},
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 19aa7cd3c1a2a3b6e64dc0f2e3a5c7d9e1f3a5b7',
		description:
			'The session_id Ottu returned when the payment transaction was created (also in every Ottu webhook)',
		displayOptions: {
			show: {
				...show,
				identifyBy: ['sessionId'],
			},
		},
	},
	{
		displayName: 'Order No',
		name: 'orderNo',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ORD-10045',
		description: 'The order_no you gave when the payment transaction was created',
		displayOptions: {
			show: {
				...show,
				identifyBy: ['orderNo'],
			},
		},
	},
];

const AUTOMATIC_KEY =
	"Derived from the workflow, this node, the operation, the transaction (session_id or order_no), the amount and the input item's data (JSON, keys in any order; binary data left out). Not from the item's position.";

/**
 * The Tracking-Key choice for money-moving requests. There is deliberately no "None".
 * `idempotent`: Ottu answers a repeated key with the original operation (refund, capture, void);
 * `reference`: sent along, but Ottu documents no protection for it (native charges).
 */
export const trackingKeyProperties = (
	show: Record<string, string[]>,
	kind: 'idempotent' | 'reference' = 'idempotent',
): INodeProperties[] => [
	{
		displayName: 'Tracking-Key',
		name: 'trackingKeyMode',
		type: 'options',
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description: AUTOMATIC_KEY,
			},
			{
				name: 'Custom',
				value: 'custom',
				description: 'Your own unique key, e.g. an ID from your system',
			},
		],
		default: 'automatic',
		description:
			kind === 'idempotent'
				? 'Ottu carries out a refund, capture or void only once per Tracking-Key and transaction, and answers a repeat with the original operation (output replayed: true, no new money moved). So a re-run or Retry On Fail with the same item never moves money twice. Automatic keys: identical items give one key (the second is a replay: to refund twice, make the items differ, e.g. a line-item ID, or use Custom); a copied workflow or another Ottu node gets new keys; Session ID and Order No give different keys for the same transaction; data that changes on every run (a timestamp, webhook headers) gives a new key each time, so use Custom with your own ID then.'
				: 'Sent to Ottu as the Tracking-Key header, for your reference only: Ottu documents Tracking-Key protection for refund, capture and void, not for charges, so it does not stop a second charge. The node never repeats a charge by itself; when its outcome is unknown, check with Payment Transaction → Get or Payment Status → Check before charging again.',
		displayOptions: { show },
	},
	{
		displayName: 'Custom Tracking-Key',
		name: 'trackingKey',
		type: 'string',
		default: '',
		required: true,
		placeholder:
			kind === 'idempotent'
				? 'e.g. refund-{{ $json.ticket_id }}'
				: 'e.g. charge-{{ $json.order_id }}',
		description:
			kind === 'idempotent'
				? 'A key unique to this one money movement (max 128 characters, no spaces). Reusing it on the same transaction returns the earlier operation instead of a new one.'
				: 'Your reference for this charge (max 128 characters, no spaces)',
		displayOptions: {
			show: {
				...show,
				trackingKeyMode: ['custom'],
			},
		},
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
		displayOptions: {
			show: {
				...show,
				returnAll: [false],
			},
		},
	},
];
