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
