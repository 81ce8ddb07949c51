import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { OttuInputError } from '../../helpers/errors';
import { normalizeAmount, normalizeCurrency } from '../../helpers/money';
import { codeList, optionalText, requireText } from '../../helpers/validation';
import { apiPath, pathSegment, SESSION_ID } from '../../helpers/pathSegment';
import { ottuApiRequest } from '../../transport';
import {
	buildCheckoutFields,
	extraProperties,
	readExtra,
	updateFieldOptions,
} from '../checkoutFields';
import { toItems } from '../common';
import { currencyOptions } from '../../helpers/currencies';
import { attachmentBinaryOption, attachToBody, optionalAttachment } from './attachment';

const show = {
	resource: ['paymentTransaction'],
	operation: ['update'],
};

const properties: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 19aa7cd3c1a2a3b6e64dc0f2e3a5c7d9e1f3a5b7',
		description:
			'The session_id of the payment transaction to change. Only transactions the customer has not paid yet can be changed.',
	},
	...extraProperties(show),
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
			attachmentBinaryOption,
		]),
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = pathSegment(
		this.getNodeParameter('sessionId', itemIndex),
		'Session ID',
		SESSION_ID,
	);
	const fields = { ...(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject) };
	const path = apiPath`/b/checkout/v1/pymt-txn/${sessionId}/`;

	let currency =
		fields.currencyCode !== undefined
			? normalizeCurrency(fields.currencyCode, 'Currency')
			: undefined;
	const amountText = optionalText(fields.amount, 'Amount');
	const attachment = await optionalAttachment(this, itemIndex, fields);
	const needsCurrency = amountText !== undefined || fields.agreement !== undefined;
	// Check the remaining fields first so that a mistake there costs no request.
	buildCheckoutFields(fields, currency ?? 'KWD');
	if (needsCurrency && currency === undefined) {
		// The amount is checked against the transaction's own currency, read first (a safe read).
		const current = (await ottuApiRequest.call(this, {
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
	if (fields.pgCodes !== undefined) {
		const pgCodes = codeList(fields.pgCodes, 'Gateways (pg_codes)');
		if (pgCodes.length > 0) body.pg_codes = pgCodes;
	}
	const extra = readExtra(
		this.getNodeParameter('extraMode', itemIndex, 'none'),
		this.getNodeParameter('extraFields', itemIndex, {}),
		this.getNodeParameter('extraJson', itemIndex, '{}'),
	);
	if (extra) body.extra = extra;
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
