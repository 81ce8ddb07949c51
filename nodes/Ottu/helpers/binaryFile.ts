import type { IExecuteFunctions } from 'n8n-workflow';

import { describeValue, OttuInputError } from './errors';

export interface InputFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * The file in an input item's binary property, read through n8n (any binary data mode). A missing property
 * is refused naming the field and the properties the item does have, before anything is sent.
 */
export async function readInputFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: unknown,
	field: string,
): Promise<InputFile> {
	const name = typeof property === 'string' ? property.trim() : '';
	if (name === '') {
		throw new OttuInputError(
			field,
			`${field} is empty`,
			'Enter the name of the input binary property that holds the file, e.g. data',
		);
	}
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	const meta = binary[name];
	if (!meta) {
		const present = Object.keys(binary);
		throw new OttuInputError(
			field,
			`${field}: the input item has no binary property ${describeValue(name)}`,
			present.length > 0
				? `The item's binary properties are: ${present.join(', ')}`
				: 'The input item carries no file: read one first (e.g. HTTP Request, Read/Write Files, a form upload)',
		);
	}
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	const fileName = meta.fileName ?? (meta.fileExtension ? `${name}.${meta.fileExtension}` : name);
	return {
		data,
		fileName,
		mimeType: meta.mimeType || 'application/octet-stream',
	};
}
