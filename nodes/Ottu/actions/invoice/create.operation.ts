import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkExpectedTotal, computeInvoice } from '../../helpers/invoice';
import type { InvoiceItemInput } from '../../helpers/invoice';
import { normalizeCurrency } from '../../helpers/money';
import { compact, optionalDate, optionalText, requireText } from '../../helpers/validation';
import { OttuInputError } from '../../helpers/errors';
import { ottuApiRequest } from '../../transport';
import {
	additionalFieldsProperty,
	buildCheckoutFields,
	checkNewCheckout,
	extraDataProperties,
	orderNoOption,
	preloadCheckoutPageOption,
	readExtraData,
	requireGateways,
	typeProperty,
} from '../checkoutFields';
import { currencyProperty, gatewaysProperty, toItems } from '../common';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	description:
		'Create an invoice with line items, tax, discount and shipping, and get its payment link',
	action: 'Create an invoice',
};

const invoiceOptions: INodeProperties[] = [
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		default: '',
		description: 'The billed company (max 64 characters)',
	},
	{
		displayName: 'Discount Amount',
		name: 'discountAmount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2.000',
		description: "A fixed discount on the items' total (not with Discount Percentage)",
	},
	{
		displayName: 'Discount Percentage',
		name: 'discountPercentage',
		type: 'string',
		default: '',
		placeholder: 'e.g. 10',
		description: "A percentage discount on the items' total (not with Discount Amount)",
	},
	{
		displayName: 'Expected Total',
		name: 'expectedTotal',
		type: 'string',
		default: '',
		placeholder: 'e.g. 105.815',
		description:
			'The total you expect, incl. tax and shipping. If the invoice adds up to anything else, the item stops before anything is sent.',
	},
	{
		displayName: 'Shipping (Excl. Tax)',
		name: 'shippingExclTax',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1.500',
		description: 'Shipping cost before tax',
	},
	{
		displayName: 'Shipping Method',
		name: 'shippingMethod',
		type: 'string',
		default: '',
		placeholder: 'e.g. Express courier',
	},
	{
		displayName: 'Shipping Tax Rate',
		name: 'shippingTaxRate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5',
		description: 'Tax on shipping, in percent (at most 2 decimals)',
	},
	{
		displayName: 'Tax Rate',
		name: 'taxRate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5',
		description: 'Invoice-level tax, in percent (at most 2 decimals), applied after the discount',
	},
];

export const description: INodeProperties[] = [
	typeProperty(),
	currencyProperty(),
	gatewaysProperty(),
	{
		displayName: 'Invoice Number',
		name: 'invoiceNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. INV-2026-0042',
		description: 'Your unique invoice number (max 255 characters)',
	},
	{
		displayName: 'Due Date',
		name: 'dueDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'When the invoice is due (sent as YYYY-MM-DD)',
	},
	{
		displayName: 'Items',
		name: 'invoiceItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Item',
		default: {},
		required: true,
		description:
			'The invoice lines. Totals are computed exactly as Ottu does (rounding half up at every step) and sent for Ottu to confirm.',
		options: [
			{
				name: 'item',
				displayName: 'Item',
				values: [
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. Blue T-shirt, size M',
					},
					{
						displayName: 'Discount Amount',
						name: 'discountAmount',
						type: 'string',
						default: '',
						description: 'A fixed discount on this line (not with Discount Percentage)',
					},
					{
						displayName: 'Discount Percentage',
						name: 'discountPercentage',
						type: 'string',
						default: '',
						description: 'A percentage discount on this line (not with Discount Amount)',
					},
					{
						displayName: 'Quantity',
						name: 'quantity',
						type: 'string',
						default: '1',
						required: true,
						description: 'Number of units (at most 3 decimals)',
					},
					{
						displayName: 'SKU',
						name: 'sku',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. TSHIRT-M-BLUE',
					},
					{
						displayName: 'Tax Rate',
						name: 'taxRate',
						type: 'string',
						default: '',
						placeholder: 'e.g. 5',
						description: 'Tax in percent (at most 2 decimals)',
					},
					{
						displayName: 'Unit Price',
						name: 'unitPrice',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. 5.250',
						description: 'Price per unit, excluding tax',
					},
				],
			},
		],
	},
	...extraDataProperties,
	{
		displayName: 'Invoice Options',
		name: 'invoiceOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: invoiceOptions,
	},
	additionalFieldsProperty([orderNoOption, preloadCheckoutPageOption]),
];

/** One Items entry with Ottu's invoice item keys. */
function invoiceItem(item: IDataObject): InvoiceItemInput {
	return {
		sku: item.sku,
		description: item.description,
		quantity: item.quantity,
		unit_price: item.unitPrice,
		tax_rate: item.taxRate,
		discount_amount: item.discountAmount,
		discount_percentage: item.discountPercentage,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const currency = normalizeCurrency(this.getNodeParameter('currencyCode', itemIndex), 'Currency');
	const pgCodes = requireGateways(this.getNodeParameter('pgCodes', itemIndex));
	const options = this.getNodeParameter('invoiceOptions', itemIndex, {}) as IDataObject;
	const dueDate = optionalDate(this.getNodeParameter('dueDate', itemIndex, ''), 'Due Date');
	if (dueDate === undefined) {
		throw new OttuInputError('dueDate', 'Due Date is required', 'Pick the date the invoice is due');
	}
	const totals = invoiceTotals(this, itemIndex, currency, options);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		type: this.getNodeParameter('type', itemIndex) as string,
		currency_code: currency,
		pg_codes: pgCodes,
		invoice_number: requireText(
			this.getNodeParameter('invoiceNumber', itemIndex),
			'Invoice Number',
			255,
			'Give the invoice your own unique number',
		),
		due_date: dueDate,
		...totals,
		...buildCheckoutFields(fields, currency),
		...compact({
			company_name: optionalText(options.companyName, 'Company Name', 64),
			shipping_method: optionalText(options.shippingMethod, 'Shipping Method'),
			extra: readExtraData(this, itemIndex),
		}),
	};
	checkNewCheckout(body);
	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/invoice/v1/invoice/',
		body,
		retry: 'once',
		itemIndex,
	})) as IDataObject;
	return toItems(response);
}

/** The items and Invoice Options as Ottu's invoice amounts, computed as Ottu does and checked against Expected Total. */
function invoiceTotals(
	ctx: IExecuteFunctions,
	itemIndex: number,
	currency: string,
	options: IDataObject,
): IDataObject {
	const items = ((ctx.getNodeParameter('invoiceItems', itemIndex, {}) as IDataObject).item ??
		[]) as IDataObject[];
	const totals = computeInvoice({
		currency,
		items: items.map(invoiceItem),
		tax_rate: options.taxRate,
		discount_amount: options.discountAmount,
		discount_percentage: options.discountPercentage,
		shipping_excl_tax: options.shippingExclTax,
		shipping_tax_rate: options.shippingTaxRate,
	});
	checkExpectedTotal(totals, options.expectedTotal, currency);
	return totals as unknown as IDataObject;
}
