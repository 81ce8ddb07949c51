import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { selectTransaction } from '../../helpers/identifier';
import { optionalBoolean } from '../../helpers/validation';
import { orderNoProperty, sessionIdProperty, toItems } from '../common';
import type { OperationOption } from '../types';
import { prepareAttachment, uploadAttachment } from './attachment';

export const option: OperationOption = {
	name: 'Upload Attachment',
	value: 'uploadAttachment',
	description:
		'Upload a file from an input binary field, optionally attached to a transaction. Sent once: a lost answer is not repeated.',
	action: 'Upload an attachment',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the file (pdf, jpeg, jpg, png, doc, docx, xls, xlsx or txt, up to 2.5 MB)',
	},
	{
		displayName: 'Attach To',
		name: 'attachTo',
		type: 'options',
		options: [
			{
				name: 'Nothing (Upload Only)',
				value: 'none',
				description: 'Upload the file; use its file_url later as Attachment Upload URL',
			},
			{
				name: 'Transaction by Session ID',
				value: 'sessionId',
			},
			{
				name: 'Transaction by Order No',
				value: 'orderNo',
			},
		],
		default: 'none',
		description:
			'The payment transaction the file belongs to: Ottu shows it on the checkout page and in its emails',
	},
	{
		...sessionIdProperty(),
		displayOptions: { show: { attachTo: ['sessionId'] } },
	},
	{
		...orderNoProperty(),
		displayOptions: { show: { attachTo: ['orderNo'] } },
	},
	{
		displayName: 'Shortify Attachment URL',
		name: 'shortifyAttachmentUrl',
		type: 'boolean',
		default: false,
		description:
			'Whether Ottu should also return a short attachment_short_url (for SMS and WhatsApp)',
		displayOptions: { show: { attachTo: ['sessionId', 'orderNo'] } },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const attachTo = this.getNodeParameter('attachTo', itemIndex, 'none');
	const target: IDataObject = {};
	// Short URL is offered only with a transaction: Ottu refuses it for a file attached to nothing.
	if (attachTo !== 'none') {
		Object.assign(
			target,
			selectTransaction(
				attachTo,
				this.getNodeParameter('sessionId', itemIndex, ''),
				this.getNodeParameter('orderNo', itemIndex, ''),
			),
		);
		if (
			optionalBoolean(
				this.getNodeParameter('shortifyAttachmentUrl', itemIndex, false),
				'Shortify Attachment URL',
			)
		)
			target.shortify_attachment_url = true;
	}
	const file = await prepareAttachment(
		this,
		itemIndex,
		this.getNodeParameter('binaryPropertyName', itemIndex),
		'Input Binary Field',
	);
	const response = await uploadAttachment(this, itemIndex, file, target);
	return toItems(response);
}
