import type { FastifyInstance } from 'fastify';

import { DrfError, fieldErrors } from '../core/drf';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { SandboxContext } from '../context';
import { transactionOr404 } from './payments';

const CHANNELS = ['sms', 'email', 'whatsapp'] as const;

const schema: Schema = {
	session_id: { kind: 'string', max: 128 },
	order_no: { kind: 'string', max: 128 },
	channels: { kind: 'list', required: true, of: { kind: 'string', choices: CHANNELS } },
};

/**
 * Resend a transaction's customer notification. Ottu sends only on channels the transaction can use (an
 * address for it) whose `notifications` list the event of its current state; the sandbox records what it "sent".
 */
export function registerNotifications(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/pbl/v2/message-notification/', async (request) => {
		const { data, errors } = validate(schema, (request.body ?? {}) as Record<string, unknown>);
		if (Object.keys(errors).length > 0) throw fieldErrors(errors);
		const ids = { ...(data.session_id ? { session_id: data.session_id } : {}), ...(data.order_no ? { order_no: data.order_no } : {}) };
		if (!data.session_id && !data.order_no) {
			throw new DrfError(400, { channels: 'Either session_id or order_no must be provided.', result: 'failed' });
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
			session_id: txn.session_id,
			order_no: txn.order_no ?? null,
			channels,
			state: txn.state,
			at: ctx.store.clock.date().toISOString(),
		});
		return { message: 'Customer notified.' };
	});

	app.get('/__sandbox/notifications', async () => ctx.store.notifications);
}
