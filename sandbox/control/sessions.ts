import Decimal from 'decimal.js';

import { detail, fieldErrors, MSG } from '../core/drf';
import { runAutomaticInquiries } from '../core/inquiries';
import { settleRefund } from '../core/operations';
import {
	buildPaymentPayload,
	decimalsOf,
	pay,
	sendPaymentWebhook,
	signerOf,
} from '../core/payments';
import { formatMoney } from '../core/stateMachine';
import type { Outcome } from '../core/stateMachine';
import type { Transaction } from '../core/store';
import type { SandboxContext } from '../context';

/**
 * Control handlers for the sandbox's state, its clock, and a payment's life (pay, notify, settle,
 * ledger).
 */

type Body = Record<string, unknown> | undefined;

const OUTCOMES: Outcome[] = ['paid', 'failed', 'authorized', 'canceled'];

function bad(field: string, message: string) {
	return fieldErrors({ [field]: [message] });
}

function outcomeOf(body: Body): Outcome {
	const outcome = body?.outcome;
	if (!OUTCOMES.includes(outcome as Outcome))
		throw bad('outcome', `outcome must be one of ${OUTCOMES.join(', ')}.`);
	return outcome as Outcome;
}

/** A transaction by session_id; `live` leaves out hard-deleted ones. */
function transaction(ctx: SandboxContext, sessionId: string, live: boolean): Transaction {
	const txn = ctx.store.transactions.get(sessionId);
	if (!txn || (live && txn.deleted === 'hard')) throw detail(404, MSG.notFound);
	return txn;
}

/** Moves (or freezes) the sandbox clock, then runs the automatic inquiries that came due. */
export function moveClock(ctx: SandboxContext, body: Body): Record<string, unknown> {
	const { advance_seconds: advance, freeze } = body ?? {};
	if (freeze !== undefined && typeof freeze !== 'boolean')
		throw bad('freeze', 'Must be a valid boolean.');
	const seconds = advance === undefined && freeze !== undefined ? 0 : Number(advance);
	if (!Number.isFinite(seconds) || seconds < 0)
		throw bad('advance_seconds', 'A non-negative number of seconds is required.');
	if (freeze === true) ctx.store.clock.freeze();
	if (freeze === false) ctx.store.clock.unfreeze();
	ctx.store.clock.advance(seconds);
	const automaticInquiries = runAutomaticInquiries(ctx);
	return {
		now: ctx.store.clock.date().toISOString(),
		frozen: ctx.store.clock.frozen,
		automatic_inquiries: automaticInquiries,
	};
}

/**
 * The customer pays (or fails, authorizes, cancels); `wait: true` answers after the webhook's
 * delivery.
 */
export async function payAs(
	ctx: SandboxContext,
	sessionId: string,
	body: Body,
): Promise<Record<string, unknown>> {
	const outcome = outcomeOf(body);
	if (body?.pg_code !== undefined && typeof body.pg_code !== 'string')
		throw bad('pg_code', 'pg_code must be a string.');
	const txn = transaction(ctx, sessionId, true);
	const result = pay(ctx, txn, outcome, { pg_code: body?.pg_code as string | undefined });
	const webhook = body?.wait === true && result.delivery ? await result.delivery : undefined;
	return { ...result.payload, ...(webhook ? { webhook_delivery: webhook } : {}) };
}

/**
 * The gateway settled the payment but Ottu has not heard yet: the next inquiry finds this outcome.
 */
export function setPgStatus(
	ctx: SandboxContext,
	sessionId: string,
	body: Body,
): Record<string, unknown> {
	const outcome = outcomeOf(body);
	const txn = transaction(ctx, sessionId, true);
	txn.pg_pending = outcome;
	return { session_id: txn.session_id, pg_pending: outcome };
}

/**
 * Delivers the transaction's current payment webhook to any URL (default: its webhook_url),
 * unthrottled.
 */
export async function notify(
	ctx: SandboxContext,
	sessionId: string,
	body: Body,
): Promise<Record<string, unknown>> {
	const txn = transaction(ctx, sessionId, false);
	const url =
		typeof body?.url === 'string' ? body.url : (txn.fields.webhook_url as string | undefined);
	if (!url) throw bad('url', 'The transaction has no webhook_url; give a url.');
	const payload = buildPaymentPayload(ctx, txn);
	const delivery = sendPaymentWebhook(ctx, txn, payload, url)!;
	return { payload, ...(body?.wait === true ? { webhook_delivery: await delivery } : {}) };
}

/** A queued refund (an operation's child session) is settled or rejected by the gateway. */
export function settleChild(
	ctx: SandboxContext,
	childSessionId: string,
	body: Body,
): Record<string, unknown> {
	const outcome = body?.outcome;
	if (outcome !== 'refunded' && outcome !== 'refund_rejected')
		throw bad('outcome', 'outcome must be refunded or refund_rejected.');
	return settleRefund(ctx, childSessionId, outcome);
}

/** Amounts as Ottu formats them, plus every operation in order: what tests assert money movements on. */
export function ledger(ctx: SandboxContext, sessionId: string): Record<string, unknown> {
	const txn = transaction(ctx, sessionId, false);
	return {
		session_id: txn.session_id,
		order_no: txn.order_no ?? null,
		state: txn.state,
		deleted: txn.deleted ?? null,
		amount: txn.amount,
		currency_code: txn.currency_code,
		paid: formatMoney(
			new Decimal(txn.paid_amount).plus(txn.captured_amount),
			decimalsOf(txn.currency_code),
		),
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

/**
 * Webhook deliveries so far (of one session, if given); `wait` first lets running deliveries
 * finish.
 */
export async function webhookLog(
	ctx: SandboxContext,
	query: { session_id?: string; wait?: string },
): Promise<unknown[]> {
	if (query.wait === 'true' || query.wait === '1') await ctx.webhooks.idle();
	const sid = query.session_id;
	return sid ? ctx.store.webhooks.filter((w) => w.session_id === sid) : ctx.store.webhooks;
}

/**
 * How this merchant's Ottu signs from now on: `scheme` current (default) or previous, and optionally
 * `merchant_id` (default: the sandbox's host name). Reset restores the defaults.
 */
export function setSigning(ctx: SandboxContext, body: Body): Record<string, unknown> {
	const scheme = body?.scheme ?? ctx.store.signing.scheme;
	if (scheme !== 'current' && scheme !== 'previous')
		throw bad('scheme', 'scheme must be one of current, previous.');
	const merchantId = body?.merchant_id;
	if (merchantId !== undefined && (typeof merchantId !== 'string' || merchantId.trim() === ''))
		throw bad('merchant_id', 'merchant_id must be a non-empty string.');
	ctx.store.signing = {
		scheme,
		merchantId: (merchantId as string | undefined) ?? ctx.store.signing.merchantId,
	};
	const signer = signerOf(ctx);
	return { scheme: signer.scheme, merchant_id: signer.merchantId };
}
