import { randomBytes } from 'node:crypto';

import type { FastifyInstance } from 'fastify';

import { attachmentUrl } from '../core/attachments';
import { DrfError, MSG } from '../core/drf';
import type { MultipartForm } from '../core/multipart';
import { MULTIPART } from '../core/multipart';
import type { Transaction } from '../core/store';
import type { SandboxContext } from '../context';

/** Ottu OpenAPI `AttachmentUpload.file` pattern: (?:pdf|jpeg|png|doc|docx|jpg|xls|xlsx|txt)$. */
const EXTENSIONS = ['pdf', 'jpeg', 'png', 'doc', 'docx', 'jpg', 'xls', 'xlsx', 'txt'];
/** Ottu's Checkout API guide: at most 2.5 MB (read as 2,500,000 bytes: assumption). */
const MAX_ATTACHMENT_BYTES = 2_500_000;
/** Ottu's Checkout API guide: attachment file name up to 100 characters. */
const MAX_NAME = 100;

/** A 400 in Ottu's upload shape: the field keyed to a string, not a list (OpenAPI AttachmentUpload* schemas). */
function refuse(body: Record<string, string>): DrfError {
	return new DrfError(400, body);
}

function target(ctx: SandboxContext, fields: Record<string, string>): Transaction | undefined {
	const sessionId = fields.session_id?.trim() || undefined;
	const orderNo = fields.order_no?.trim() || undefined;
	if (sessionId && orderNo) {
		const both = 'Please provide only `order_no` or `session_id`, not both.';
		throw refuse({ session_id: both, order_no: both });
	}
	if (sessionId) {
		const txn = ctx.store.transactions.get(sessionId);
		if (!txn || txn.deleted === 'hard')
			throw refuse({
				session_id: `No PaymentTransaction found with \`session_id\` of ${sessionId}.`,
			});
		return txn;
	}
	if (orderNo) {
		const txn = ctx.store.findByOrderNo(orderNo);
		if (!txn)
			throw refuse({ order_no: `No PaymentTransaction found with \`order_no\` of ${orderNo}.` });
		return txn;
	}
	return undefined;
}

/** Checks the file as Ottu does (Django's FileExtensionValidator lower-cases the extension). */
function checkFile(form: MultipartForm): { name: string; ext: string } {
	const file = form.files.file;
	if (!file || file.data.length === 0) throw refuse({ file: 'No file was submitted.' });
	const name = file.filename.replace(/^.*[\\/]/, '');
	const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
	if (!EXTENSIONS.includes(ext))
		throw refuse({
			file: `File extension '${ext}' is not allowed. Allowed extensions are: ${EXTENSIONS.join(', ')}.`,
		});
	// Assumption: Ottu's wording for these two is not published; Django's messages are used.
	if (name.length > MAX_NAME)
		throw refuse({
			file: `Ensure this filename has at most ${MAX_NAME} characters (it has ${name.length}).`,
		});
	if (file.data.length > MAX_ATTACHMENT_BYTES)
		throw refuse({ file: 'The file is larger than 2.5 MB.' });
	return { name, ext };
}

/** Where the file is stored; a name already taken gets a random string before the extension (OpenAPI file_url). */
function storagePath(ctx: SandboxContext, name: string, ext: string): string {
	const stem = name.slice(0, name.length - ext.length - 1);
	let path = `attachments/${name}`;
	while (ctx.store.attachments.has(path))
		path = `attachments/${stem}_${randomBytes(4).toString('hex')}.${ext}`;
	return path;
}

export function registerAttachments(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/checkout/v1/upload-attachment/', async (request) => {
		const form = ((request.body ?? {}) as { [MULTIPART]?: MultipartForm })[MULTIPART];
		// Ottu's endpoint is multipart only; JSON is refused as DRF refuses an unsupported media type.
		if (!form)
			throw new DrfError(415, {
				detail: `Unsupported media type "${String(request.headers['content-type'] ?? '')}" in request.`,
			});
		const { name, ext } = checkFile(form);
		const txn = target(ctx, form.fields);
		const shortify = ['true', 'True', '1'].includes(form.fields.shortify_attachment_url ?? '');
		if (shortify && !txn)
			throw refuse({
				attachment_short_url:
					'You must provide either `session_id` or `order_no` to identify the PaymentTransaction.',
			});
		const fileUrl = storagePath(ctx, name, ext);
		const file = form.files.file;
		ctx.store.attachments.set(fileUrl, {
			file_url: fileUrl,
			original_filename: name,
			content_type: file.contentType,
			data: file.data,
			session_id: txn?.session_id,
		});
		const answer: Record<string, unknown> = { file_url: fileUrl, original_filename: name };
		if (txn) txn.fields.attachment_upload_url = fileUrl;
		if (shortify) {
			const code = randomBytes(5).toString('hex');
			ctx.store.shortLinks.set(code, fileUrl);
			answer.attachment_short_url = `${ctx.baseUrl()}/media/s/${code}/`;
			if (txn) txn.fields.attachment_short_url = answer.attachment_short_url;
		}
		return answer;
	});

	// The stored files and their short links, public as Ottu's media links are.
	app.get<{ Params: { code: string } }>('/media/s/:code/', async (request, reply) => {
		const fileUrl = ctx.store.shortLinks.get(request.params.code);
		if (!fileUrl) throw new DrfError(404, { detail: MSG.notFound });
		return reply.redirect(attachmentUrl(ctx, fileUrl), 302);
	});
	app.get<{ Params: { '*': string } }>('/media/attachments/*', async (request, reply) => {
		const stored = ctx.store.attachments.get(`attachments/${request.params['*']}`);
		if (!stored) throw new DrfError(404, { detail: MSG.notFound });
		return reply
			.header('Content-Type', stored.content_type)
			.header(
				'Content-Disposition',
				`inline; filename="${stored.original_filename.replace(/"/g, '')}"`,
			)
			.send(stored.data);
	});
}
