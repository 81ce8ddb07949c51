import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { codeList, optionalText, requireText } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { returnAllProperties, toItems } from '../common';
import type { OperationOption } from '../types';
import { cardCustomerProperties, cardEnvironment } from './common';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getAll',
	description: "List a customer's saved cards (masked number, brand, expiry, token)",
	action: 'Get many saved cards',
};

export const description: INodeProperties[] = [
	...cardCustomerProperties(),
	...returnAllProperties(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Agreement ID',
				name: 'agreementId',
				type: 'string',
				default: '',
				description: 'Only the card last used for this auto-debit agreement (at most one card)',
			},
			{
				displayName: 'Gateway Names or IDs',
				name: 'pgCodes',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getGateways' },
				default: [],
				description:
					'Only cards saved on these gateways. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		customer_id: requireText(
			this.getNodeParameter('customerId', itemIndex),
			'Customer ID',
			64,
			'Use the customer_id the cards were saved under',
		),
		type: cardEnvironment(this.getNodeParameter('environment', itemIndex)),
	};
	const pgCodes = codeList(filters.pgCodes, 'Gateways (pg_codes)');
	if (pgCodes.length > 0) body.pg_codes = pgCodes;
	const agreementId = optionalText(filters.agreementId, 'Agreement ID', 128);
	if (agreementId) body.agreement_id = agreementId;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;

	const response = await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/pbl/v2/card/',
		body,
		retry: 'read',
		itemIndex,
	});
	// Ottu documents a list; a single object (as its schema says) is treated as a list of one.
	let cards = (
		Array.isArray(response)
			? response
			: response && typeof response === 'object' && Object.keys(response).length > 0
				? [response]
				: []
	) as IDataObject[];
	if (!returnAll) cards = cards.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
	if (cards.length === 0) {
		const other = body.type === 'production' ? 'Sandbox' : 'Production';
		this.addExecutionHints({
			message: `No ${body.type} cards for this customer. Cards saved on ${other.toLowerCase()} gateways are listed with Environment: ${other}.`,
			location: 'outputPane',
		});
	}
	return toItems(cards);
}
