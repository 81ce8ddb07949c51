import type { FastifyInstance, FastifyRequest } from 'fastify';

import { DrfError, fieldErrors } from '../core/drf';
import { transactionOr404 } from '../core/payments';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { SandboxContext } from '../context';

const CHANNELS = ['sms', 'email', 'whatsapp'] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?\d{8,15}$/;

const templateSchema: Schema = {
	channel: { kind: 'string', required: true, choices: CHANNELS },
	template_id: { kind: 'string', required: true, max: 255 },
	to: { kind: 'string', required: true, max: 255 },
	unit_config: { kind: 'int' },
	language: { kind: 'string', choices: ['en', 'ar'] },
	cc: { kind: 'list', of: { kind: 'string', format: 'email' }, allowEmpty: true },
	bcc: { kind: 'list', of: { kind: 'string', format: 'email' }, allowEmpty: true },
	subject: { kind: 'string', max: 255, allowBlank: true },
	body: { kind: 'string', allowBlank: true },
	context: { kind: 'dict' },
	attachments: {
		kind: 'list',
		allowEmpty: true,
		of: {
			kind: 'object',
			fields: {
				content: { kind: 'string' },
				url: { kind: 'string', format: 'url' },
				filename: { kind: 'string', max: 255 },
				content_type: { kind: 'string', max: 255 },
				// Ottu OpenAPI `Attachment.size`: a string.
				size: { kind: 'string' },
			},
		},
	},
	trace_id: { kind: 'string', max: 60 },
	tags: { kind: 'list', of: { kind: 'string' }, allowEmpty: true },
};

const schema: Schema = {
	session_id: { kind: 'string', max: 128 },
	order_no: { kind: 'string', max: 128 },
	channels: { kind: 'list', required: true, of: { kind: 'string', choices: CHANNELS } },
};

type Row = Record<string, unknown>;

/**
 * Resend a transaction's customer notification. Ottu sends only on channels the transaction can use (an
 * address for it) whose `notifications` list the event of its current state; the sandbox records what it "sent".
 */
function resend(ctx: SandboxContext, request: FastifyRequest): Row {
	const { data, errors } = validate(schema, (request.body ?? {}) as Row);
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const ids = {
		...(data.session_id ? { session_id: data.session_id } : {}),
		...(data.order_no ? { order_no: data.order_no } : {}),
	};
	if (!data.session_id && !data.order_no) {
		throw new DrfError(400, {
			channels: 'Either session_id or order_no must be provided.',
			result: 'failed',
		});
	}
	const txn = transactionOr404(ctx, ids);
	ctx.requirePermission(request, `view_${txn.type}`);
	const events = (txn.fields.notifications ?? {}) as Record<string, string[] | undefined>;
	const channels = [...new Set(data.channels as string[])];
	const refused = channels.filter((channel) => {
		const address = channel === 'email' ? txn.fields.customer_email : txn.fields.customer_phone;
		return !address || !(events[channel] ?? []).includes(txn.state);
	});
	if (refused.length > 0) {
		throw new DrfError(400, {
			...ids,
			channels: `No ${refused.join(', ')} notification is configured for the "${txn.state}" state of this transaction.`,
			result: 'failed',
		});
	}
	ctx.store.notifications.push({
		kind: 'resend',
		session_id: txn.session_id,
		order_no: txn.order_no ?? null,
		channels,
		state: txn.state,
		at: ctx.store.clock.date().toISOString(),
	});
	return { message: 'Customer notified.' };
}

/** A template message's fields, checked as Ottu checks them for its channel. */
function checkTemplate(channel: unknown, body: Row): { data: Row; attachments: Row[] } {
	const { data, errors } = validate(templateSchema, { ...body, channel });
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const to = data.to as string;
	if (data.channel === 'email' ? !EMAIL.test(to) : !PHONE.test(to)) {
		throw fieldErrors({
			to: [
				data.channel === 'email'
					? 'Enter a valid email address.'
					: 'Enter a valid phone number in international format.',
			],
		});
	}
	if (data.channel !== 'email' && (data.cc || data.bcc || data.attachments)) {
		throw new DrfError(400, {
			detail: 'cc, bcc and attachments are only for the email channel.',
			result: 'failed',
		});
	}
	if (data.channel === 'whatsapp' && data.unit_config === undefined)
		throw fieldErrors({ unit_config: ['This field is required for WhatsApp.'] });
	return { data, attachments: checkAttachments(data.attachments as Row[] | undefined) };
}

function checkAttachments(attachments: Row[] = []): Row[] {
	const bare = attachments.findIndex((a) => !a.content && !a.url);
	if (bare >= 0)
		throw new DrfError(400, {
			detail: `Attachment ${bare + 1} needs content (base64) or a url.`,
			result: 'failed',
		});
	// Assumption: content that is not base64 is refused (Ottu documents it as "a base64 encoded
	// string").
	const garbled = attachments.findIndex(
		(a) => typeof a.content === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(a.content),
	);
	if (garbled >= 0)
		throw fieldErrors({ attachments: [`Attachment ${garbled + 1}: content is not base64.`] });
	return attachments;
}

/** Sends a template message on one channel; the sandbox records what it "sent". */
function sendTemplate(ctx: SandboxContext, channel: unknown, body: Row): Row {
	const { data, attachments } = checkTemplate(channel, body);
	ctx.store.notifications.push({
		kind: 'template',
		channels: [data.channel as string],
		template_id: data.template_id as string,
		to: data.to as string,
		language: (data.language as string | undefined) ?? 'en',
		context: (data.context as Row | undefined) ?? {},
		unit_config: data.unit_config as number | undefined,
		cc: data.cc as string[] | undefined,
		bcc: data.bcc as string[] | undefined,
		subject: data.subject as string | undefined,
		attachments: attachments.map((a) => ({
			filename: a.filename as string | undefined,
			content_type: a.content_type as string | undefined,
			bytes: typeof a.content === 'string' ? Buffer.from(a.content, 'base64').length : undefined,
			url: a.url as string | undefined,
		})),
		at: ctx.store.clock.date().toISOString(),
	});
	return { message: 'Notification sent.', result: 'success' };
}

/** Notifications API: resend a transaction's notification; send a template message (two paths). */
export function registerNotifications(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/pbl/v2/message-notification/', async (request) => resend(ctx, request));
	app.post('/b/pbl/v2/send-notification/', async (request) => {
		const body = (request.body ?? {}) as Row;
		return sendTemplate(ctx, body.channel, body);
	});
	app.post<{ Params: { channel: string } }>(
		'/b/pbl/v2/notifications/send/:channel/',
		async (request) => sendTemplate(ctx, request.params.channel, (request.body ?? {}) as Row),
	);
}
