import { randomBytes } from 'node:crypto';

/** One part of a multipart/form-data body: a text field or a file. */
export type FormPart =
	| { name: string; value: string }
	| { name: string; fileName: string; contentType: string; data: Buffer };

export interface MultipartBody {
	data: Buffer;
	contentType: string;
}

/** Control characters (line breaks above all) would end a part header and start another. */
function noControl(text: string): string {
	return text
		.split('')
		.filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
		.join('');
}

/**
 * Quotes a name for a Content-Disposition parameter (RFC 7578: escape quotes, no line breaks). Callers refuse
 * such names first (readInputFile); this is the last guard, so no input can write a header of its own.
 */
function quoted(text: string): string {
	return `"${noControl(text).replace(/"/g, '%22')}"`;
}

/**
 * A multipart/form-data body (RFC 7578) as one Buffer. n8n's request helper takes a Buffer body as is, and
 * the `form-data` package it also accepts is not importable by a community node; a Buffer can be re-sent.
 */
export function multipartBody(parts: FormPart[]): MultipartBody {
	const boundary = `----OttuN8nBoundary${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const part of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(part.name)}`;
		if ('data' in part)
			head += `; filename=${quoted(part.fileName)}\r\nContent-Type: ${noControl(part.contentType)}`;
		chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'));
		chunks.push('data' in part ? part.data : Buffer.from(part.value, 'utf8'));
		chunks.push(Buffer.from('\r\n', 'utf8'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return {
		data: Buffer.concat(chunks),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}
