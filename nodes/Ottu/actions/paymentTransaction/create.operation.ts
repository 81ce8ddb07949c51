import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normalizeAmount, normalizeCurrency } from '../../helpers/money';
import { OttuInputError } from '../../helpers/errors';
import {
	codeList,
	compact,
	optionalEmail,
	optionalJsonObject,
	optionalText,
	optionalUrl,
} from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { amountProperty, currencyProperty, gatewaysProperty, toItems } from '../common';

const show = { resource: ['paymentTransaction'], operation: ['create'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Payment Request', value: 'payment_request', description: 'A payment link to send to a customer' },
			{ name: 'E-Commerce', value: 'e_commerce', description: 'A checkout started from your online shop' },
		],
		default: 'payment_request',
		description: 'The Ottu plugin the transaction belongs to',
	},
	amountProperty(show, 'Amount to collect, excluding gateway fees, e.g. 20.500 for KWD (3 decimals) or 20.50 for USD'),
	currencyProperty(show),
	gatewaysProperty(show),
	{
		displayName: 'Order No',
		name: 'order_no',
		type: 'string',
		default: '',
		placeholder: 'e.g. ORD-10045',
		description: 'Your own reference for this payment (max 128 characters, 37 for MPGS gateways)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Customer Email',
				name: 'customer_email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{
				displayName: 'Customer First Name',
				name: 'customer_first_name',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Customer ID',
				name: 'customer_id',
				type: 'string',
				default: '',
				description: 'Your identifier for the customer; needed to save cards and for auto-debit',
			},
			{
				displayName: 'Customer Last Name',
				name: 'customer_last_name',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Customer Phone',
				name: 'customer_phone',
				type: 'string',
				default: '',
				placeholder: 'e.g. +96599999999',
			},
			{
				displayName: 'Expiration Time',
				name: 'expiration_time',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1 00:00:00',
				description: 'How long the payment link stays payable, as DD HH:MM:SS (default 24 hours)',
			},
			{
				displayName: 'Extra (JSON)',
				name: 'extra',
				type: 'json',
				default: '{}',
				description: 'Your own key-value data, echoed back in responses and webhooks',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				options: [
					{ name: 'English', value: 'en' },
					{ name: 'Arabic', value: 'ar' },
				],
				default: 'en',
			},
			{
				displayName: 'Redirect URL',
				name: 'redirect_url',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://shop.example.com/thank-you',
				description: 'Where Ottu sends the customer after paying (only when the webhook answers 200)',
			},
			{
				displayName: 'Webhook URL',
				name: 'webhook_url',
				type: 'string',
				default: '',
				placeholder: 'e.g. the production URL of an Ottu Trigger node',
				description: 'Where Ottu POSTs the signed payment result. Paste the URL of an Ottu Trigger node here.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const currency = normalizeCurrency(this.getNodeParameter('currency_code', itemIndex), 'Currency');
	const amount = normalizeAmount(this.getNodeParameter('amount', itemIndex), currency);
	const pgCodes = codeList(this.getNodeParameter('pg_codes', itemIndex), 'Gateways (pg_codes)');
	if (pgCodes.length === 0) {
		throw new OttuInputError('pg_codes', 'Choose at least one gateway (pg_codes)', 'Pick the gateways from the list; it shows the codes configured on your Ottu instance');
	}
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const body: IDataObject = compact({
		type: this.getNodeParameter('type', itemIndex) as string,
		amount,
		currency_code: currency,
		pg_codes: pgCodes,
		order_no: optionalText(this.getNodeParameter('order_no', itemIndex, ''), 'Order No', 128),
		customer_email: optionalEmail(fields.customer_email, 'Customer Email'),
		customer_phone: optionalText(fields.customer_phone, 'Customer Phone', 16),
		customer_first_name: optionalText(fields.customer_first_name, 'Customer First Name', 64),
		customer_last_name: optionalText(fields.customer_last_name, 'Customer Last Name', 64),
		customer_id: optionalText(fields.customer_id, 'Customer ID', 64),
		webhook_url: optionalUrl(fields.webhook_url, 'Webhook URL'),
		redirect_url: optionalUrl(fields.redirect_url, 'Redirect URL'),
		expiration_time: optionalText(fields.expiration_time, 'Expiration Time'),
		language: optionalText(fields.language, 'Language'),
	});
	const extra = optionalJsonObject(fields.extra, 'Extra (JSON)');
	if (extra && Object.keys(extra).length > 0) body.extra = extra;

	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/checkout/v1/pymt-txn/',
		body,
		itemIndex,
	})) as IDataObject;
	return toItems(response);
}
