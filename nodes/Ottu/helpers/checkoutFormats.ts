import type { IDataObject } from 'n8n-workflow';

import { describeValue, OttuInputError } from './errors';
import { optionalJsonObject, optionalText } from './validation';

/** Ottu's pattern for `attachment_upload_url` and uploads: (?:pdf|jpeg|png|doc|docx|jpg|xls|xlsx|txt)$. */
export const ATTACHMENT_EXTENSIONS = [
	'pdf',
	'jpeg',
	'png',
	'doc',
	'docx',
	'jpg',
	'xls',
	'xlsx',
	'txt',
];
const ATTACHMENT = new RegExp(`(?:${ATTACHMENT_EXTENSIONS.join('|')})$`);

/** The file_url of an uploaded attachment; Ottu refuses a name that does not end in one of its types. */
export function attachmentUploadUrl(value: unknown, field: string): string | undefined {
	const text = optionalText(value, field);
	if (text !== undefined && !ATTACHMENT.test(text)) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(text)} does not end in a file type Ottu accepts`,
			`Use the file_url of an uploaded ${ATTACHMENT_EXTENSIONS.join(', ')} file (lower-case extension, as Ottu matches it)`,
		);
	}
	return text;
}

/** Ottu's `BrandingItem.color`: # and 3 or 6 hex digits. */
const COLOR = /^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$/;
const BRANDING_EXAMPLE =
	'e.g. {"payment_methods": {"knet": {"text": "Pay with KNET", "color": "#00AA77"}}}';

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One gateway's branding: `text` and `color` required, `font_weight` a whole number (Ottu's `BrandingItem`). */
function checkBrandingItem(item: unknown, field: string, pgCode: string): void {
	const where = `${field} payment_methods.${pgCode}`;
	if (!isObject(item))
		throw new OttuInputError(
			field,
			`${where} must be an object, got ${describeValue(item)}`,
			BRANDING_EXAMPLE,
		);
	if (typeof item.text !== 'string' || item.text.trim() === '') {
		throw new OttuInputError(
			field,
			`${where}.text is required, got ${describeValue(item.text)}`,
			'Give the text shown with the gateway, e.g. "Pay with KNET"',
		);
	}
	if (typeof item.color !== 'string' || !COLOR.test(item.color)) {
		throw new OttuInputError(
			field,
			`${where}.color ${describeValue(item.color)} is not a colour Ottu accepts`,
			'Use a hex colour: # and 3 or 6 hex digits, e.g. #0A7 or #00AA77',
		);
	}
	if (item.font_weight !== undefined && !Number.isInteger(item.font_weight)) {
		throw new OttuInputError(
			field,
			`${where}.font_weight must be a whole number, got ${describeValue(item.font_weight)}`,
			'e.g. 400 for regular or 700 for bold',
		);
	}
}

/** `branding_options` as Ottu's `BrandingOptions`: {payment_methods: {<pg_code>: BrandingItem}}. */
export function brandingOptions(value: unknown, field: string): IDataObject | undefined {
	const branding = optionalJsonObject(value, field);
	if (!branding || Object.keys(branding).length === 0) return undefined;
	if (!isObject(branding.payment_methods)) {
		throw new OttuInputError(
			field,
			`${field} needs "payment_methods", an object keyed by pg_code`,
			BRANDING_EXAMPLE,
		);
	}
	for (const [pgCode, item] of Object.entries(branding.payment_methods))
		checkBrandingItem(item, field, pgCode);
	return branding;
}
