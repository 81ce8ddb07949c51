import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { describeValue, OttuInputError } from './errors';

export interface InputFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/** The largest file accepted, and how the refusal says so (e.g. "Ottu accepts at most 2.5 MB"). */
export interface FileLimit {
	maxBytes: number;
	limit: string;
}

/** type/subtype with RFC 9110 token characters, then optional `; name=value` parameters, nothing else. */
const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const MIME_TYPE = new RegExp(
	`^${TOKEN}/${TOKEN}([ \\t]*;[ \\t]*${TOKEN}=(${TOKEN}|"[^"\\\\\\x00-\\x1f\\x7f]*"))*$`,
);

/** A value shown in a message with its line breaks and control characters escaped, at most 80 characters. */
function shown(text: string): string {
	const escaped = JSON.stringify(text);
	return escaped.length > 80 ? `${escaped.slice(0, 76)}..."` : escaped;
}

export function megabytes(bytes: number): string {
	return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/**
 * The file's MIME type as it will be sent in a part header or a JSON field: one that is not a plain
 * `type/subtype` (a line break could add headers of its own) is refused, never cleaned up and sent.
 */
function checkedMimeType(meta: IBinaryData, field: string, fileName: string): string {
	const type = typeof meta.mimeType === 'string' ? meta.mimeType.trim() : '';
	if (type === '') return 'application/octet-stream';
	if (!MIME_TYPE.test(type)) {
		throw new OttuInputError(
			field,
			`${field}: the file "${fileName}" has the MIME type ${shown(type)}, which is not a valid MIME type`,
			'Set a plain MIME type such as application/pdf on the binary data (e.g. with the node that produced the file); line breaks and other control characters are not allowed',
		);
	}
	return type;
}

/** The file name as given, refused (not rewritten) when it is a path or holds line breaks or other control characters. */
function checkedFileName(meta: IBinaryData, property: string, field: string): string {
	const fileName =
		meta.fileName ?? (meta.fileExtension ? `${property}.${meta.fileExtension}` : property);
	const control = fileName
		.split('')
		.some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
	if (control || /[\\/]/.test(fileName) || fileName.trim() === '') {
		throw new OttuInputError(
			field,
			`${field}: the file name ${shown(fileName)} is not a plain file name (${control ? 'it holds a line break or another control character' : fileName.trim() === '' ? 'it is empty' : 'it holds a folder path'})`,
			'Give the file a plain name such as invoice.pdf (for example with the Edit Fields or Code node, or the node that produced the file)',
		);
	}
	return fileName;
}

/**
 * The file's size without reading it: from n8n's binary data store for a stored file, else from the length of
 * its base64 text. Undefined when neither can tell (then the read itself is bounded).
 */
async function knownSize(ctx: IExecuteFunctions, meta: IBinaryData): Promise<number | undefined> {
	if (meta.id) {
		// A store that cannot say leaves the bound to the read itself.
		const stored = await ctx.helpers.getBinaryMetadata(meta.id).catch(() => undefined);
		return stored && Number.isFinite(stored.fileSize) ? stored.fileSize : undefined;
	}
	if (typeof meta.data !== 'string') return undefined;
	const text = meta.data.replace(/\s/g, '');
	const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
	return Math.max(0, Math.floor((text.length * 3) / 4) - padding);
}

function tooLarge(field: string, fileName: string, bytes: number, limit: FileLimit) {
	return new OttuInputError(
		field,
		`${field}: the file "${fileName}" is ${Number.isFinite(bytes) ? megabytes(bytes) : `more than ${megabytes(limit.maxBytes)}`}; ${limit.limit}`,
		'Compress or split the file',
	);
}

/** A stored file read as a stream, stopped as soon as it passes the limit (its metadata may be wrong). */
async function readBounded(
	ctx: IExecuteFunctions,
	id: string,
	onTooLarge: () => OttuInputError,
	maxBytes: number,
): Promise<Buffer> {
	const stream = await ctx.helpers.getBinaryStream(id);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBytes) {
			stream.destroy();
			throw onTooLarge();
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

/**
 * The file in an input item's binary property, read through n8n (any binary data mode), checked before anything
 * is sent: the property exists, the file is not empty and within `limit` (checked before it is read), its name
 * is a plain file name and its MIME type a valid one. Each refusal names the field and what would be valid.
 */
export async function readInputFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: unknown,
	field: string,
	limit: FileLimit,
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
	const fileName = checkedFileName(meta, name, field);
	const mimeType = checkedMimeType(meta, field, fileName);
	const size = await knownSize(ctx, meta);
	if (size !== undefined && size > limit.maxBytes) throw tooLarge(field, fileName, size, limit);
	const data = meta.id
		? await readBounded(
				ctx,
				meta.id,
				() => tooLarge(field, fileName, Infinity, limit),
				limit.maxBytes,
			)
		: await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	if (data.length > limit.maxBytes) throw tooLarge(field, fileName, data.length, limit);
	if (data.length === 0) {
		throw new OttuInputError(
			field,
			`${field}: the file "${fileName}" is empty (0 bytes)`,
			'Check the node that produced the file: it gave no content',
		);
	}
	return { data, fileName, mimeType };
}
