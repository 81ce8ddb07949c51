/** A minimal multipart/form-data reader (RFC 7578) for the sandbox's upload endpoint. */

export interface UploadedFile {
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface MultipartForm {
	fields: Record<string, string>;
	files: Record<string, UploadedFile>;
}

/** Marks a parsed multipart body, so handlers can tell it from JSON. */
export const MULTIPART = Symbol('multipart');

function param(header: string, name: string): string | undefined {
	const match =
		new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header) ??
		new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
	return match?.[1];
}

export function boundaryOf(contentType: string): string | undefined {
	return param(contentType, 'boundary');
}

/** Splits the body on the boundary; a malformed body gives what could be read (Django is as lenient). */
export function parseMultipart(body: Buffer, boundary: string): MultipartForm {
	const form: MultipartForm = { fields: {}, files: {} };
	const delimiter = Buffer.from(`--${boundary}`);
	let start = body.indexOf(delimiter);
	while (start !== -1) {
		const headStart = start + delimiter.length;
		if (body.subarray(headStart, headStart + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, headStart);
		if (next === -1) break;
		const part = body.subarray(headStart + 2, next - 2);
		const split = part.indexOf('\r\n\r\n');
		if (split !== -1) {
			const headers = part.subarray(0, split).toString('utf8');
			const data = part.subarray(split + 4);
			const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
			const name = param(disposition, 'name');
			const filename = param(disposition, 'filename');
			if (name !== undefined && filename !== undefined) {
				const contentType =
					/content-type:\s*([^\r\n]*)/i.exec(headers)?.[1].trim() ?? 'application/octet-stream';
				form.files[name] = { filename, contentType, data: Buffer.from(data) };
			} else if (name !== undefined) {
				form.fields[name] = data.toString('utf8');
			}
		}
		start = next;
	}
	return form;
}
