import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normalizeAmount, normalizeCurrency } from '../../helpers/money';
import { OttuInputError } from '../../helpers/errors';
import { codeList, compact, optionalText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import {
	additionalFieldsProperty,
	buildCheckoutFields,
	checkNewCheckout,
	extraProperties,
	readExtra,
} from '../checkoutFields';
import { amountProperty, currencyProperty, gatewaysProperty, toItems } from '../common';
import { attachmentBinaryOption, attachToBody, optionalAttachment } from './attachment';

const show = {
	resource: ['paymentTransaction'],
	operation: ['create'],
};

export const typeProperty = (s: Record<string, string[]>): INodeProperties => ({
	displayName: 'Transaction Type',
	name: 'type',
	type: 'options',
	options: [
		{
			name: 'E-Commerce',
			value: 'e_commerce',
			description: 'A checkout started from your online shop',
		},
		{
			name: 'Payment Request',
			value: 'payment_request',
			description: 'A payment link to send to a customer',
		},
	],
	default: 'payment_request',
	description:
		'Payment Request for a link you send to a customer, E-Commerce for a checkout from your shop (Ottu calls this the plugin); gateways are enabled per type',
	displayOptions: { show: s },
});

const properties: INodeProperties[] = [
	typeProperty(show),
	amountProperty(
		show,
		'Amount to collect, excluding gateway fees, e.g. 20.500 for KWD (3 decimals) or 20.50 for USD. Use 0 with Payment Type Save Card.',
	),
	currencyProperty(show),
	gatewaysProperty(show),
	{
		displayName: 'Order No',
		name: 'orderNo',
		type: 'string',
		default: '',
		placeholder: 'e.g. ORD-10045',
		description: 'Your own reference for this payment (max 128 characters, 37 for MPGS gateways)',
	},
	...extraProperties(show),
	additionalFieldsProperty('create', [attachmentBinaryOption]),
];

export const description = updateDisplayOptions({ show }, properties);

export function requireGateways(value: unknown): string[] {
	const pgCodes = codeList(value, 'Gateways (pg_codes)');
	if (pgCodes.length === 0) {
		throw new OttuInputError(
			'pgCodes',
			'Choose at least one gateway (pg_codes)',
			'Pick the gateways from the list; it shows the codes configured on your Ottu instance',
		);
	}
	return pgCodes;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const currency = normalizeCurrency(this.getNodeParameter('currencyCode', itemIndex), 'Currency');
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const amount = normalizeAmount(this.getNodeParameter('amount', itemIndex), currency, {
		allowZero: fields.paymentType === 'save_card',
	});
	const pgCodes = requireGateways(this.getNodeParameter('pgCodes', itemIndex));

	const body: IDataObject = {
		...compact({
			type: this.getNodeParameter('type', itemIndex) as string,
			amount,
			currency_code: currency,
			pg_codes: pgCodes,
			order_no: optionalText(this.getNodeParameter('orderNo', itemIndex, ''), 'Order No', 128),
		}),
		...buildCheckoutFields(fields, currency),
	};
	const extra = readExtra(
		this.getNodeParameter('extraMode', itemIndex, 'none'),
		this.getNodeParameter('extraFields', itemIndex, {}),
		this.getNodeParameter('extraJson', itemIndex, '{}'),
	);
	if (extra) body.extra = extra;
	checkNewCheckout(body);
	// Checked with the rest before anything is sent: a bad file costs no request.
	await attachToBody(this, itemIndex, await optionalAttachment(this, itemIndex, fields), body);

	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/checkout/v1/pymt-txn/',
		body,
		retry: 'once',
		itemIndex,
	})) as IDataObject;
	return toItems(response);
}
