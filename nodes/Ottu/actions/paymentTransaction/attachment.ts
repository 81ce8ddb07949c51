import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readInputFile } from '../../helpers/binaryFile';
import { ATTACHMENT_EXTENSIONS } from '../../helpers/checkoutFormats';
import { OttuInputError } from '../../helpers/errors';
import { multipartBody } from '../../helpers/multipart';
import type { FormPart } from '../../helpers/multipart';
import { ottuApiRequest } from '../../transport';

/** Ottu's upload limit, 2.5 MB (Checkout API guide); read as 2,500,000 bytes, the smaller of its two readings. */
export const ATTACHMENT_MAX_BYTES = 2_500_000;
/** Ottu's longest attachment file name (Checkout API: filename up to 100 characters). */
const MAX_NAME = 100;

export const attachmentBinaryOption: INodeProperties = {
	displayName: 'Attachment (Binary Property)',
	name: 'attachmentBinaryProperty',
	type: 'string',
	default: '',
	placeholder: 'e.g. data',
	description:
		'Name of the input binary property holding a file to attach (pdf, jpeg, jpg, png, doc, docx, xls, xlsx or txt, up to 2.5 MB). It is uploaded to Ottu first and its file_url used as the attachment.',
};

/** The file name as sent: extension lower-cased (Ottu matches it case-sensitively), at most 100 characters. */
function uploadName(fileName: string, field: string): string {
	const dot = fileName.lastIndexOf('.');
	const ext = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
	if (!ATTACHMENT_EXTENSIONS.includes(ext)) {
		throw new OttuInputError(
			field,
			`${field}: Ottu does not accept the file "${fileName}" (${ext ? `.${ext}` : 'no extension'})`,
			`Attach a ${ATTACHMENT_EXTENSIONS.join(', ')} file`,
		);
	}
	const stem = fileName.slice(0, dot).slice(0, MAX_NAME - ext.length - 1);
	return `${stem}.${ext}`;
}

const UPLOAD_UNSURE =
	"The file may or may not have been uploaded (and attached): check the transaction's attachment in Ottu before running it again, or a second copy may be stored.";

export interface UploadTarget {
	session_id?: string;
	order_no?: string;
	shortify_attachment_url?: boolean;
}

/** The file in an input binary property, checked against Ottu's types and size: nothing is sent yet. */
export async function prepareAttachment(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: unknown,
	field: string,
): Promise<FormPart> {
	const file = await readInputFile(ctx, itemIndex, property, field, {
		maxBytes: ATTACHMENT_MAX_BYTES,
		limit: 'Ottu accepts at most 2.5 MB',
	});
	return {
		name: 'file',
		fileName: uploadName(file.fileName, field),
		contentType: file.mimeType,
		data: file.data,
	};
}

/**
 * Uploads a prepared file (POST /b/checkout/v1/upload-attachment/), once: Ottu documents no idempotency for it,
 * and a repeat after a lost answer stores a second copy (attached again, the customer may see it twice).
 */
export async function uploadAttachment(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: FormPart,
	target: UploadTarget = {},
): Promise<IDataObject> {
	const parts: FormPart[] = [file];
	if (target.session_id)
		parts.push({
			name: 'session_id',
			value: target.session_id,
		});
	if (target.order_no)
		parts.push({
			name: 'order_no',
			value: target.order_no,
		});
	if (target.shortify_attachment_url)
		parts.push({
			name: 'shortify_attachment_url',
			value: 'true',
		});
	return (await ottuApiRequest.call(ctx, {
		method: 'POST',
		path: '/b/checkout/v1/upload-attachment/',
		multipart: multipartBody(parts),
		retry: 'once',
		unknownOutcome: UPLOAD_UNSURE,
		itemIndex,
	})) as IDataObject;
}

/** The Attachment (Binary Property) option of Create/Update, read and checked; refused together with an Attachment Upload URL. */
export async function optionalAttachment(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
): Promise<FormPart | undefined> {
	const property =
		typeof fields.attachmentBinaryProperty === 'string'
			? fields.attachmentBinaryProperty.trim()
			: '';
	if (property === '') return undefined;
	if (typeof fields.attachmentUploadUrl === 'string' && fields.attachmentUploadUrl.trim() !== '') {
		throw new OttuInputError(
			'attachmentBinaryProperty',
			'Both Attachment (Binary Property) and Attachment Upload URL are set',
			'Keep one: the binary property uploads a file, the URL reuses one already uploaded',
		);
	}
	return await prepareAttachment(ctx, itemIndex, property, 'Attachment (Binary Property)');
}

/** Uploads the option's file (attached to nothing yet) and points the checkout body at its file_url. */
export async function attachToBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: FormPart | undefined,
	body: IDataObject,
): Promise<void> {
	if (file === undefined) return;
	const uploaded = await uploadAttachment(ctx, itemIndex, file);
	if (typeof uploaded.file_url !== 'string' || uploaded.file_url === '') {
		throw new OttuInputError(
			'attachmentBinaryProperty',
			'Ottu accepted the file but answered without a file_url',
			'Upload it with Upload Attachment and set Attachment Upload URL to its file_url',
		);
	}
	body.attachment_upload_url = uploaded.file_url;
}
