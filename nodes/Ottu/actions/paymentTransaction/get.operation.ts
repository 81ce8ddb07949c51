import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiPath, pathSegment, SESSION_ID } from '../../helpers/pathSegment';
import { ottuApiRequest } from '../../transport';
import { toItems } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 19aa7cd3c1a2a3b6e64dc0f2e3a5c7d9e1f3a5b7',
		description: 'The session_id Ottu returned when the payment transaction was created',
	},
];

export const description = updateDisplayOptions(
	{
		show: {
			resource: ['paymentTransaction'],
			operation: ['get'],
		},
	},
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = pathSegment(
		this.getNodeParameter('sessionId', itemIndex),
		'Session ID',
		SESSION_ID,
	);
	const response = (await ottuApiRequest.call(this, {
		method: 'GET',
		path: apiPath`/b/checkout/v1/pymt-txn/${sessionId}/`,
		itemIndex,
	})) as IDataObject;
	return toItems(response);
}
