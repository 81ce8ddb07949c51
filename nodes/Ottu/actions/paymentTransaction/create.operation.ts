import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { normalizeAmount, normalizeCurrency } from '../../helpers/money';
import { compact, optionalText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import {
	additionalFieldsProperty,
	buildCheckoutFields,
	checkNewCheckout,
	extraDataProperties,
	ORDER_NO_REFERENCE,
	preloadCheckoutPageOption,
	readExtraData,
	requireGateways,
	typeProperty,
} from '../checkoutFields';
import {
	amountProperty,
	currencyProperty,
	gatewaysProperty,
	orderNoProperty,
	toItems,
} from '../common';
import type { OperationOption } from '../types';
import { attachmentBinaryOption, attachToBody, optionalAttachment } from './attachment';

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	description: 'Create a payment transaction and get its checkout link',
	action: 'Create a payment link',
};

export const description: INodeProperties[] = [
	typeProperty(),
	amountProperty(
		'Amount to collect, excluding gateway fees, e.g. 20.500 for KWD (3 decimals) or 20.50 for USD. Use 0 with Payment Type Save Card.',
	),
	currencyProperty(),
	gatewaysProperty(),
	orderNoProperty(ORDER_NO_REFERENCE, false),
	...extraDataProperties,
	additionalFieldsProperty([attachmentBinaryOption, preloadCheckoutPageOption]),
];

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
	const extra = readExtraData(this, itemIndex);
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
