import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { OttuInputError } from '../../helpers/errors';
import { normalizeAmount, normalizeCurrency } from '../../helpers/money';
import { codeList, optionalText, requireText } from '../../helpers/validation';
import { apiPath, pathSegment, SESSION_ID } from '../../helpers/pathSegment';
import { ottuApiRequest } from '../../transport';
import {
	buildCheckoutFields,
	extraDataProperties,
	orderNoOption,
	readExtraData,
	updateFieldOptions,
} from '../checkoutFields';
import { sessionIdProperty, toItems } from '../common';
import type { OperationOption } from '../types';
import { currencyOptions } from '../../helpers/currencies';
import { attachmentBinaryOption, attachToBody, optionalAttachment } from './attachment';

export const option: OperationOption = {
	name: 'Update',
	value: 'update',
	description:
		'Change a payment transaction the customer has not paid yet (amount, gateways, customer, ...)',
	action: 'Update a payment transaction',
};

export const description: INodeProperties[] = [
	sessionIdProperty('Only transactions the customer has not paid yet can be changed'),
	...extraDataProperties,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: updateFieldOptions([
			{
				displayName: 'Amount',
				name: 'amount',
				type: 'string',
				default: '',
				placeholder: 'e.g. 25.000',
				description: "New amount, in the transaction's currency unless Currency is changed too",
			},
			{
				displayName: 'Currency',
				name: 'currencyCode',
				type: 'options',
				options: currencyOptions(),
				default: 'KWD',
				description: 'New ISO 4217 currency',
			},
			{
				displayName: 'Gateway Names or IDs',
				name: 'pgCodes',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getGateways' },
				default: [],
				description:
					'New list of gateway codes (pg_codes). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Transaction Type',
				name: 'type',
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
			},
			orderNoOption,
			attachmentBinaryOption,
		]),
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = pathSegment(
		this.getNodeParameter('sessionId', itemIndex),
		'Session ID',
		SESSION_ID,
	);
	const fields = {
		...(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject),
	};
	const path = apiPath`/b/checkout/v1/pymt-txn/${sessionId}/`;
	const currency =
		fields.currencyCode !== undefined
			? normalizeCurrency(fields.currencyCode, 'Currency')
			: undefined;
	const amountText = optionalText(fields.amount, 'Amount');
	const attachment = await optionalAttachment(this, itemIndex, fields);
	const body = await updateBody(this, itemIndex, path, fields, {
		currency,
		amountText,
	});
	if (Object.keys(body).length === 0 && attachment === undefined) {
		throw new OttuInputError(
			'updateFields',
			'There is nothing to update',
			'Add at least one field under Update Fields (or Extra Data)',
		);
	}
	await attachToBody(this, itemIndex, attachment, body);
	const response = (await ottuApiRequest.call(this, {
		method: 'PATCH',
		path,
		body,
		retry: 'once',
		itemIndex,
	})) as IDataObject;
	return toItems(response);
}

/**
 * The PATCH body: the checkout fields and Update's own (amount, currency, type, gateways, extra). An amount
 * is checked against the transaction's own currency, read first (a safe read) when Currency is not changed.
 */
async function updateBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	fields: IDataObject,
	given: { currency?: string; amountText?: string },
): Promise<IDataObject> {
	let currency = given.currency;
	const amountText = given.amountText;
	// Check the remaining fields first so that a mistake there costs no request.
	buildCheckoutFields(fields, currency ?? 'KWD');
	if ((amountText !== undefined || fields.agreement !== undefined) && currency === undefined) {
		const current = (await ottuApiRequest.call(ctx, {
			method: 'GET',
			path,
			retry: 'read',
			itemIndex,
		})) as IDataObject;
		currency = normalizeCurrency(current.currency_code, 'Currency');
	}
	const body: IDataObject = buildCheckoutFields(fields, currency);
	if (currency !== undefined && fields.currencyCode !== undefined) body.currency_code = currency;
	if (amountText !== undefined)
		body.amount = normalizeAmount(amountText, currency!, {
			allowZero: fields.paymentType === 'save_card',
		});
	if (fields.type !== undefined) body.type = requireText(fields.type, 'Type');
	const pgCodes = codeList(fields.pgCodes, 'Gateways (pg_codes)');
	if (pgCodes.length > 0) body.pg_codes = pgCodes;
	const extra = readExtraData(ctx, itemIndex);
	if (extra) body.extra = extra;
	return body;
}
