import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { OttuInputError } from '../../helpers/errors';
import { codeList } from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { readTransaction, toItems, transactionSelectorProperties } from '../common';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Resend',
	value: 'resend',
	description:
		"Send the customer the transaction's notification again (payment link or receipt) by email, SMS or WhatsApp",
	action: 'Resend a payment notification',
};
const CHANNELS = ['email', 'sms', 'whatsapp'];

export const description: INodeProperties[] = [
	...transactionSelectorProperties(),
	{
		displayName: 'Channels',
		name: 'channels',
		type: 'multiOptions',
		options: [
			{
				name: 'Email',
				value: 'email',
			},
			{
				name: 'SMS',
				value: 'sms',
			},
			{
				name: 'WhatsApp',
				value: 'whatsapp',
			},
		],
		default: ['email'],
		required: true,
		description:
			"Where to send the message again. Ottu only sends on a channel configured for your instance, and only if the transaction's notifications include its current state.",
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const transaction = readTransaction(this, itemIndex);
	const channels = codeList(this.getNodeParameter('channels', itemIndex, []), 'Channels');
	if (channels.length === 0) {
		throw new OttuInputError(
			'channels',
			'Choose at least one channel',
			'Pick Email, SMS and/or WhatsApp',
		);
	}
	const wrong = channels.filter((c) => !CHANNELS.includes(c));
	if (wrong.length > 0) {
		throw new OttuInputError(
			'channels',
			`Channels cannot include "${wrong.join('", "')}"`,
			'Use email, sms or whatsapp',
		);
	}
	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/pbl/v2/message-notification/',
		body: {
			...transaction,
			channels,
		} as IDataObject,
		retry: 'once',
		itemIndex,
	})) as IDataObject;
	return toItems({
		...response,
		...transaction,
		channels,
	});
}
