import type { FastifyInstance } from 'fastify';

import { DrfError, MSG } from '../core/drf';
import { boundaryOf, MULTIPART, parseMultipart } from '../core/multipart';

/**
 * Request bodies as Ottu (Django) reads them: JSON, form-encoded, and multipart for file uploads.
 */
export function registerParsers(app: FastifyInstance): void {
	// Ottu (Django) answers malformed JSON with a DRF parse error, not a framework page.
	app.removeContentTypeParser('application/json');
	app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
		const text = String(body);
		if (text.trim() === '') return done(null, {});
		try {
			done(null, JSON.parse(text));
		} catch (error) {
			done(new DrfError(400, { detail: MSG.parse((error as Error).message) }), undefined);
		}
	});

	app.addContentTypeParser(
		'application/x-www-form-urlencoded',
		{ parseAs: 'string' },
		(_req, body, done) => {
			done(null, Object.fromEntries(new URLSearchParams(String(body))));
		},
	);

	// File uploads (Ottu's upload-attachment endpoint takes multipart only).
	app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
		const boundary = boundaryOf(String(req.headers['content-type'] ?? ''));
		done(null, boundary ? { [MULTIPART]: parseMultipart(body as Buffer, boundary) } : {});
	});
}
