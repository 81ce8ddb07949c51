import Decimal from 'decimal.js';
import type { FastifyInstance } from 'fastify';

import { detail, fieldErrors, MSG } from '../core/drf';
import { formatMoney } from '../core/stateMachine';
import type { Outcome } from '../core/stateMachine';
import type { Transaction } from '../core/store';
import type { SandboxContext } from '../context';
import { runAutomaticInquiries } from './inquiry';
import { settleRefund } from './operations';
import { buildPaymentPayload, decimalsOf, pay, sendPaymentWebhook } from './payments';

const OUTCOMES: Outcome[] = ['paid', 'failed', 'authorized', 'canceled'];

function bad(field: string, message: string) {
	return fieldErrors({ [field]: [message] });
}

/** Amounts as Ottu formats them, plus every operation in order: what tests assert money movements on. */
export function ledgerJson(txn: Transaction): Record<string, unknown> {
	const decimals = decimalsOf(txn.currency_code);
	return {
		session_id: txn.session_id,
		order_no: txn.order_no ?? null,
		state: txn.state,
		deleted: txn.deleted ?? null,
		amount: txn.amount,
		currency_code: txn.currency_code,
		paid: formatMoney(new Decimal(txn.paid_amount).plus(txn.captured_amount), decimals),
		authorized: txn.authorized_amount,
		captured: txn.captured_amount,
		refunded: txn.refunded_amount,
		voided: txn.voided_amount,
		settled_pg_code: txn.settled_pg_code,
		card_token: txn.token ?? null,
		attempts: txn.attempts.map((a) => ({
			reference_number: a.reference_number,
			pg_code: a.pg_code,
			result: a.result,
		})),
		operations: txn.operations.map((o) => ({
			operation: o.operation,
			amount: o.amount,
			result: o.result,
			child_session_id: o.child_session_id ?? null,
			state: txn.children.find((c) => c.session_id === o.child_session_id)?.state ?? null,
			reference_number: o.reference_number ?? null,
			tracking_key: o.tracking_key ?? null,
		})),
	};
}

/** The test-only control API under /__sandbox/: never part of Ottu, never authenticated. */
export function registerControl(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/__sandbox/reset', async () => {
		ctx.store.reset();
		return { reset: true };
	});

	app.post('/__sandbox/clock', async (request, reply) => {
		const body = (request.body ?? {}) as { advance_seconds?: unknown; freeze?: unknown };
		if (body.freeze !== undefined && typeof body.freeze !== 'boolean')
			return reply.status(400).send({ freeze: ['Must be a valid boolean.'] });
		const seconds =
			body.advance_seconds === undefined && body.freeze !== undefined
				? 0
				: Number(body.advance_seconds);
		if (!Number.isFinite(seconds) || seconds < 0) {
			return reply
				.status(400)
				.send({ advance_seconds: ['A non-negative number of seconds is required.'] });
		}
		if (body.freeze === true) ctx.store.clock.freeze();
		if (body.freeze === false) ctx.store.clock.unfreeze();
		ctx.store.clock.advance(seconds);
		const automaticInquiries = runAutomaticInquiries(ctx);
		return {
			now: ctx.store.clock.date().toISOString(),
			frozen: ctx.store.clock.frozen,
			automatic_inquiries: automaticInquiries,
		};
	});

	app.get('/__sandbox/requests', async () => ctx.store.requests);

	app.post<{ Params: { session_id: string } }>(
		'/__sandbox/sessions/:session_id/pay',
		async (request) => {
			const body = (request.body ?? {}) as { outcome?: unknown; pg_code?: unknown; wait?: unknown };
			if (!OUTCOMES.includes(body.outcome as Outcome))
				throw bad('outcome', `outcome must be one of ${OUTCOMES.join(', ')}.`);
			if (body.pg_code !== undefined && typeof body.pg_code !== 'string')
				throw bad('pg_code', 'pg_code must be a string.');
			const txn = ctx.store.transactions.get(request.params.session_id);
			if (!txn || txn.deleted === 'hard') throw detail(404, MSG.notFound);
			const result = pay(ctx, txn, body.outcome as Outcome, {
				pg_code: body.pg_code as string | undefined,
			});
			// wait: true answers only after the webhook delivery finished (its last attempt is included).
			const webhook = body.wait === true && result.delivery ? await result.delivery : undefined;
			return { ...result.payload, ...(webhook ? { webhook_delivery: webhook } : {}) };
		},
	);

	// The gateway settled the payment but Ottu has not heard yet: the next inquiry finds this outcome.
	app.post<{ Params: { session_id: string } }>(
		'/__sandbox/sessions/:session_id/pg-status',
		async (request) => {
			const outcome = (request.body as { outcome?: unknown } | undefined)?.outcome;
			if (!OUTCOMES.includes(outcome as Outcome))
				throw bad('outcome', `outcome must be one of ${OUTCOMES.join(', ')}.`);
			const txn = ctx.store.transactions.get(request.params.session_id);
			if (!txn || txn.deleted === 'hard') throw detail(404, MSG.notFound);
			txn.pg_pending = outcome as Outcome;
			return { session_id: txn.session_id, pg_pending: outcome };
		},
	);

	// Deliver the transaction's current payment webhook to any URL (default: its webhook_url), unthrottled.
	app.post<{ Params: { session_id: string } }>(
		'/__sandbox/sessions/:session_id/notify',
		async (request) => {
			const body = (request.body ?? {}) as { url?: unknown; wait?: unknown };
			const txn = ctx.store.transactions.get(request.params.session_id);
			if (!txn) throw detail(404, MSG.notFound);
			const url =
				typeof body.url === 'string' ? body.url : (txn.fields.webhook_url as string | undefined);
			if (!url) throw bad('url', 'The transaction has no webhook_url; give a url.');
			const payload = buildPaymentPayload(ctx, txn);
			const delivery = sendPaymentWebhook(ctx, txn, payload, url)!;
			return { payload, ...(body.wait === true ? { webhook_delivery: await delivery } : {}) };
		},
	);

	app.get<{ Params: { session_id: string } }>(
		'/__sandbox/sessions/:session_id/ledger',
		async (request) => {
			const txn = ctx.store.transactions.get(request.params.session_id);
			if (!txn) throw detail(404, MSG.notFound);
			return ledgerJson(txn);
		},
	);

	app.post<{ Params: { session_id: string } }>(
		'/__sandbox/children/:session_id/settle',
		async (request) => {
			const outcome = (request.body as { outcome?: unknown } | undefined)?.outcome;
			if (outcome !== 'refunded' && outcome !== 'refund_rejected')
				throw bad('outcome', 'outcome must be refunded or refund_rejected.');
			return settleRefund(ctx, request.params.session_id, outcome);
		},
	);

	app.get<{ Querystring: { session_id?: string; wait?: string } }>(
		'/__sandbox/webhooks',
		async (request) => {
			if (request.query.wait === 'true' || request.query.wait === '1') await ctx.webhooks.idle();
			const sid = request.query.session_id;
			return sid ? ctx.store.webhooks.filter((w) => w.session_id === sid) : ctx.store.webhooks;
		},
	);
}
