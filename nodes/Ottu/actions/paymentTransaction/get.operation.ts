import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { apiPath, pathSegment, SESSION_ID } from '../../helpers/pathSegment';
import { ottuApiRequest } from '../../transport';
import { sessionIdProperty, toItems } from '../common';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: 'Retrieve a payment transaction by session_id',
	action: 'Get a payment transaction',
};

export const description: INodeProperties[] = [sessionIdProperty()];

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
