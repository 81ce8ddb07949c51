import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { megabytes, readInputFile } from '../../helpers/binaryFile';
import { describeValue, OttuInputError } from '../../helpers/errors';
import {
	codeList,
	compact,
	emailList,
	optionalEmail,
	optionalInteger,
	optionalJsonObject,
	optionalText,
	requireText,
} from '../../helpers/validation';
import { ottuApiRequest } from '../../transport';
import { toItems } from '../common';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Send Template',
	value: 'sendTemplate',
	description: 'Send an Ottu template message to any recipient by email, SMS or WhatsApp',
	action: 'Send a template notification',
};
const emailOnly = { show: { '/channel': ['email'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
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
		default: 'email',
	},
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. communication-notification-email',
		description: 'The Ottu notification template to send',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. customer@example.com or +96550000000',
		description:
			'An email address for Email; an international phone number (+ and country code) for SMS and WhatsApp',
	},
	{
		displayName: 'Unit Config',
		name: 'unitConfig',
		type: 'number',
		default: 0,
		required: true,
		description:
			'The ID of the unit configuration whose WhatsApp account sends the message (Ottu requires it for WhatsApp)',
		displayOptions: { show: { channel: ['whatsapp'] } },
	},
	{
		displayName: 'Options',
		name: 'templateOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attachments (Binary Properties)',
				name: 'attachmentProperties',
				type: 'string',
				default: '',
				placeholder: 'e.g. data, invoice',
				description:
					'Input binary fields to attach, separated by commas; sent base64-encoded, at most 7.5 MB together',
				displayOptions: emailOnly,
			},
			{
				displayName: 'BCC',
				name: 'bcc',
				type: 'string',
				default: '',
				description: 'Email addresses, separated by commas',
				displayOptions: emailOnly,
			},
			{
				displayName: 'Body',
				name: 'body',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Plain text Ottu sends if the template fails to render',
			},
			{
				displayName: 'CC',
				name: 'cc',
				type: 'string',
				default: '',
				description: 'Email addresses, separated by commas',
				displayOptions: emailOnly,
			},
			{
				displayName: 'Context (JSON)',
				name: 'context',
				type: 'json',
				default: '{}',
				description:
					'Variables for the template, e.g. {"customer_name": "Sara", "amount": "12.500"}',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				options: [
					{
						name: 'English',
						value: 'en',
					},
					{
						name: 'Arabic',
						value: 'ar',
					},
				],
				default: 'en',
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: "Replaces the template's subject",
				displayOptions: emailOnly,
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				description: 'Labels for Ottu analytics, separated by commas',
			},
			{
				displayName: 'Trace ID',
				name: 'traceId',
				type: 'string',
				default: '',
				description: 'Your own ID for this message, to find it in Ottu logs (max 60 characters)',
			},
			{
				displayName: 'Unit Config',
				name: 'unitConfig',
				type: 'number',
				default: 0,
				description: 'The ID of the unit configuration to send from (optional for Email and SMS)',
				displayOptions: { show: { '/channel': ['email', 'sms'] } },
			},
		],
	},
];

const CHANNELS = ['email', 'sms', 'whatsapp'];
/** E.164: + then country code and number, 8 to 15 digits in all, no leading 0. */
const PHONE = /^\+[1-9]\d{7,14}$/;

/** The recipient as its channel needs it: an email address, or an international phone number. */
export function recipient(channel: string, value: unknown): string {
	const to = requireText(value, 'To', 255);
	if (channel === 'email') return optionalEmail(to, 'To')!;
	const phone = to.replace(/[\s\-().]/g, '');
	if (!PHONE.test(phone)) {
		throw new OttuInputError(
			'to',
			`To ${describeValue(to)} is not an international phone number`,
			`${channel === 'sms' ? 'SMS' : 'WhatsApp'} needs + and the country code, e.g. +96550000000`,
		);
	}
	return phone;
}

/**
 * All attachments of one message together, before base64 (10 MB once encoded, the smallest common email size
 * limit). Ottu documents none: an assumption, so that one item cannot build a JSON body of any size.
 */
export const TEMPLATE_ATTACHMENTS_MAX_BYTES = 7_500_000;

/** Email attachments from input binary fields, base64-encoded as Ottu's `Attachment.content`. */
async function attachments(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): Promise<IDataObject[] | undefined> {
	const field = 'Attachments (Binary Properties)';
	const names = codeList(value, field);
	if (names.length === 0) return undefined;
	const out: IDataObject[] = [];
	let left = TEMPLATE_ATTACHMENTS_MAX_BYTES;
	for (const name of names) {
		// Each file is checked against what the files before it left of the allowance, before it is read.
		const file = await readInputFile(ctx, itemIndex, name, field, {
			maxBytes: left,
			limit: `the attachments of one message may take at most ${megabytes(TEMPLATE_ATTACHMENTS_MAX_BYTES)} together${left < TEMPLATE_ATTACHMENTS_MAX_BYTES ? ` (${megabytes(left)} left after the files before it)` : ''}`,
		});
		left -= file.data.length;
		out.push({
			content: file.data.toString('base64'),
			filename: file.fileName,
			content_type: file.mimeType,
		});
	}
	return out;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const channel = this.getNodeParameter('channel', itemIndex) as string;
	if (!CHANNELS.includes(channel))
		throw new OttuInputError(
			'channel',
			`Channel must be email, sms or whatsapp, got ${describeValue(channel)}`,
			'Choose Email, SMS or WhatsApp',
		);
	const options = this.getNodeParameter('templateOptions', itemIndex, {}) as IDataObject;
	const body = templateBody(this, itemIndex, channel, options);
	const files =
		channel === 'email'
			? await attachments(this, itemIndex, options.attachmentProperties)
			: undefined;
	if (files) body.attachments = files;

	// Sends a message: a repeat would send it twice, so it is never repeated (outcome unknown is said so).
	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/pbl/v2/send-notification/',
		body,
		retry: 'once',
		itemIndex,
	})) as IDataObject;
	return toItems({
		...response,
		channel,
		template_id: body.template_id,
		to: body.to,
	});
}

/** An empty list or object is left out of the body. */
function nonEmpty<T extends object>(value: T | undefined): T | undefined {
	return value !== undefined && Object.keys(value).length > 0 ? value : undefined;
}

/** Ottu's send-notification body (without attachments), checked. */
function templateBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	channel: string,
	options: IDataObject,
): IDataObject {
	const unitConfig =
		channel === 'whatsapp' ? ctx.getNodeParameter('unitConfig', itemIndex, 0) : options.unitConfig;
	const body: IDataObject = compact({
		channel,
		template_id: requireText(ctx.getNodeParameter('templateId', itemIndex), 'Template ID', 255),
		to: recipient(channel, ctx.getNodeParameter('to', itemIndex)),
		// 0 is n8n's empty number; Ottu's OpenAPI types unit_config as an integer id.
		unit_config: unitConfig === 0 ? undefined : optionalInteger(unitConfig, 'Unit Config', 1),
		language: optionalText(options.language, 'Language'),
		cc: emailList(options.cc, 'CC'),
		bcc: emailList(options.bcc, 'BCC'),
		subject: optionalText(options.subject, 'Subject', 255),
		body: optionalText(options.body, 'Body'),
		context: nonEmpty(optionalJsonObject(options.context, 'Context (JSON)')),
		trace_id: optionalText(options.traceId, 'Trace ID', 60),
		tags: nonEmpty(codeList(options.tags, 'Tags')),
	});
	if (channel === 'whatsapp' && body.unit_config === undefined) {
		throw new OttuInputError(
			'unitConfig',
			'WhatsApp needs a Unit Config',
			'Enter the ID of the unit configuration whose WhatsApp account sends the message (Ottu requires it for WhatsApp)',
		);
	}
	if (body.language !== undefined && !['en', 'ar'].includes(body.language as string)) {
		throw new OttuInputError(
			'language',
			`Language must be en or ar, got ${describeValue(body.language)}`,
			'Choose English or Arabic',
		);
	}
	return body;
}
