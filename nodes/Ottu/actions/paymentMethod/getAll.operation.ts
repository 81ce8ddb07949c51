import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { normalizeCurrency } from '../../helpers/money';
import { allowedCodes, codeList, compact, optionalText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { returnAllProperties, toItems } from '../common';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getAll',
	description:
		'List the gateways (pg_codes) configured on your Ottu instance, with their currencies and supported operations',
	action: 'Get many payment methods',
};

/** The business-vertical tags Ottu's PaymentMethodsRequest accepts. */
export const PAYMENT_METHOD_TAGS = [
	'e_commerce',
	'crm',
	'pos',
	'invoicing',
	'subscriptions',
	'marketplace',
	'mobile_app',
	'ticket_booking',
	'donations',
	'government',
	'education',
	'healthcare',
	'insurance',
	'logistics',
	'hospitality',
	'real_estate',
	'retail',
	'telecom',
	'utilities',
	'demo',
	'test',
];

export const description: INodeProperties[] = [
	{
		displayName: 'Transaction Type',
		name: 'plugin',
		type: 'options',
		options: [
			{
				name: 'E-Commerce',
				value: 'e_commerce',
			},
			{
				name: 'Payment Request',
				value: 'payment_request',
			},
		],
		default: 'payment_request',
		description:
			'List the gateways enabled for this transaction type (Ottu calls it the plugin); Payment Request as on Create',
	},
	...returnAllProperties(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Auto-Debit',
				name: 'autoDebit',
				type: 'boolean',
				default: true,
				description: 'Whether to list only gateways that support auto-debit (charging saved cards)',
			},
			{
				displayName: 'Currencies',
				name: 'currencies',
				type: 'string',
				default: '',
				placeholder: 'e.g. KWD, USD',
				description: 'Only gateways accepting these ISO 4217 currencies, separated by commas',
			},
			{
				displayName: 'Customer ID',
				name: 'customerId',
				type: 'string',
				default: '',
				description:
					'Also mark the gateways this customer paid with before (output field used_by_customer)',
			},
			{
				displayName: 'Environment',
				name: 'type',
				type: 'options',
				options: [
					{
						name: 'Production',
						value: 'production',
					},
					{
						name: 'Sandbox',
						value: 'sandbox',
					},
				],
				default: 'production',
				description: 'Only live or only test gateways',
			},
			{
				displayName: 'Gateway Families',
				name: 'pgNames',
				type: 'string',
				default: '',
				placeholder: 'e.g. knet, mpgs',
				description: 'Only these gateway families (pg_name), separated by commas',
			},
			{
				displayName: 'Gateway Operation',
				name: 'gatewayOperation',
				type: 'options',
				options: [
					{
						name: 'Authorize',
						value: 'authorize',
						description: 'Gateways that reserve the amount, to capture later',
					},
					{
						name: 'Purchase',
						value: 'purchase',
						description: 'Gateways that collect the amount at once',
					},
				],
				default: 'purchase',
			},
			{
				displayName: 'Payment Services',
				name: 'paymentServices',
				type: 'multiOptions',
				options: [
					{
						name: 'Apple Pay',
						value: 'apple_pay',
					},
					{
						name: 'Google Pay',
						value: 'google_pay',
					},
					{
						name: 'Samsung Pay',
						value: 'samsung_pay',
					},
					{
						name: 'Wallet',
						value: 'wallet',
					},
				],
				default: [],
				description: 'Only gateways offering any of these services',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'e.g. e_commerce, subscriptions',
				description: `Only gateways with any of these business tags, separated by commas: ${PAYMENT_METHOD_TAGS.join(', ')}`,
			},
			{
				displayName: 'Tokenizable',
				name: 'tokenizable',
				type: 'boolean',
				default: true,
				description: 'Whether to list only gateways that can save cards',
			},
		],
	},
];

const nonEmpty = (codes: string[]) => (codes.length > 0 ? codes : undefined);

function list(value: unknown, field: string): string[] | undefined {
	return nonEmpty(codeList(value, field));
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const currencies = list(filters.currencies, 'Currencies')?.map((c) =>
		normalizeCurrency(c, 'Currencies'),
	);
	const customerId = optionalText(filters.customerId, 'Customer ID', 64);
	const body: IDataObject = compact({
		plugin: this.getNodeParameter('plugin', itemIndex) as string,
		currencies,
		customer_id: customerId,
		operation: filters.gatewayOperation as string | undefined,
		tokenizable: filters.tokenizable as boolean | undefined,
		auto_debit: filters.autoDebit as boolean | undefined,
		pg_names: list(filters.pgNames, 'Gateway Families'),
		type: filters.type as string | undefined,
		tags: nonEmpty(allowedCodes(filters.tags, 'Tags', PAYMENT_METHOD_TAGS)),
		payment_services: list(filters.paymentServices, 'Payment Services'),
	});

	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/pbl/v2/payment-methods/',
		body,
		retry: 'read',
		itemIndex,
	})) as {
		payment_methods?: IDataObject[];
		customer_payment_methods?: IDataObject[];
	};

	const used = new Set((response.customer_payment_methods ?? []).map((m) => m.code));
	let methods = (response.payment_methods ?? []).map((m) =>
		customerId
			? {
					...m,
					used_by_customer: used.has(m.code),
				}
			: m,
	);
	if (limit !== undefined) methods = methods.slice(0, limit);
	return toItems(methods);
}
