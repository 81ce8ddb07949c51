import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { selectTransaction } from '../../helpers/identifier';
import { optionalUrl } from '../../helpers/validation';
import { OttuInputError } from '../../helpers/errors';
import { ottuApiRequest } from '../../transport';
import { toItems, transactionSelectorProperties } from '../common';

const show = { resource: ['paymentStatus'], operation: ['check'] };

const properties: INodeProperties[] = [
	...transactionSelectorProperties(show),
	{
		displayName: 'Options',
		name: 'inquiryOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Notify Webhook URL',
				name: 'notify_webhook_url',
				type: 'boolean',
				default: false,
				description: "Whether Ottu should also POST the result to the transaction's webhook URL (or to Webhook URL below)",
			},
			{
				displayName: 'Webhook URL',
				name: 'webhook_url',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/ottu',
				description: 'Another address for that notification (max 200 characters)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const transaction = selectTransaction(
		this.getNodeParameter('identifyBy', itemIndex),
		this.getNodeParameter('session_id', itemIndex, ''),
		this.getNodeParameter('order_no', itemIndex, ''),
	);
	const options = this.getNodeParameter('inquiryOptions', itemIndex, {}) as IDataObject;
	const body: IDataObject = { ...transaction };
	if (options.notify_webhook_url === true) body.notify_webhook_url = true;
	const webhookUrl = optionalUrl(options.webhook_url, 'Webhook URL');
	if (webhookUrl !== undefined) {
		if (webhookUrl.length > 200) {
			throw new OttuInputError('webhook_url', `Webhook URL is ${webhookUrl.length} characters long; Ottu allows at most 200 here`, 'Use a shorter address');
		}
		body.webhook_url = webhookUrl;
	}
	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/pbl/v2/inquiry/',
		body,
		// Asking Ottu to notify the webhook has an effect outside this node: not repeated blindly.
		retry: body.notify_webhook_url === true ? 'once' : 'read',
		itemIndex,
	})) as IDataObject;
	return toItems(response);
}
