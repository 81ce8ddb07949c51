import type { FastifyInstance } from 'fastify';

import { detail, fieldErrors, MSG } from '../core/drf';
import { ANSWERED_AT_ONCE, RECHECK } from '../core/inquiries';
import { buildPaymentPayload, pay, sendPaymentWebhook, transactionOr404 } from '../core/payments';
import { take } from '../core/rateLimit';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { Transaction } from '../core/store';
import type { SandboxContext } from '../context';

const schema: Schema = {
	session_id: { kind: 'string', max: 128 },
	order_no: { kind: 'string', max: 128 },
	notify_webhook_url: { kind: 'bool' },
	webhook_url: { kind: 'string', max: 200, format: 'url' },
};

const MINUTE = 60_000;
const GRACE_MS = 10 * MINUTE;
const WINDOW_MS = 30 * MINUTE;
const DAY_MS = 24 * 60 * MINUTE;
const MAX_PER_DAY = 3;

function throttled(seconds: number) {
	const s = Math.max(1, Math.ceil(seconds));
	return detail(429, MSG.throttled(s), {}, { 'Retry-After': String(s) });
}

/**
 * Ottu's per-transaction inquiry throttle (digest §2.7): nothing in the first 10 minutes after creation, then one
 * call per 30 minutes, at most 3 a day. Measured on the sandbox clock.
 */
export function checkThrottle(txn: Transaction, now: number): number | undefined {
	const graceEnds = txn.created_at + GRACE_MS;
	if (now < graceEnds) return (graceEnds - now) / 1000;
	const today = txn.inquiries.filter((t) => t > now - DAY_MS);
	if (today.length >= MAX_PER_DAY) return (today[0] + DAY_MS - now) / 1000;
	const last = today[today.length - 1];
	if (last !== undefined && now < last + WINDOW_MS) return (last + WINDOW_MS - now) / 1000;
	return undefined;
}

/**
 * OpenAPI `inquiry`: only pending, attempted, failed and expired are inquired; paid and authorized are
 * answered at once. Any other state (created, canceled, cod…) is refused with the documented
 * `InquiryFailure` shape, after the per-transaction throttle (which runs from creation); the wording, the order
 * and that a refusal does not count against the throttles are assumptions.
 */
function refuseUninquirable(txn: Transaction): void {
	if (RECHECK.includes(txn.state) || ANSWERED_AT_ONCE.includes(txn.state)) return;
	throw detail(
		400,
		`An inquiry can only be made for a payment transaction that is pending, attempted, failed or expired (paid and authorized are answered at once); this one is ${txn.state}.`,
		{ result: 'failed' },
	);
}

export function registerInquiry(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/pbl/v2/inquiry/', async (request) => {
		ctx.requirePermission(request, 'payment.inquiry');
		const { data, errors } = validate(schema, (request.body ?? {}) as Record<string, unknown>);
		if (Object.keys(errors).length > 0) throw fieldErrors(errors);
		if (!data.session_id && !data.order_no)
			throw detail(400, 'Either session_id or order_no must be provided.', { result: 'failed' });
		const txn = transactionOr404(ctx, data);
		const now = ctx.store.clock.now();
		if (ctx.config.inquiryThrottling) {
			const wait = checkThrottle(txn, now);
			if (wait !== undefined) throw throttled(wait);
		}
		refuseUninquirable(txn);
		const global = take(ctx.store.hits, 'inquiry', ctx.config.limits.inquiryPerMinute, MINUTE, now);
		if (!global.ok) throw throttled(global.retryAfter);
		txn.inquiries.push(now);
		if (txn.pg_pending && RECHECK.includes(txn.state)) {
			const outcome = txn.pg_pending;
			txn.pg_pending = undefined;
			try {
				pay(ctx, txn, outcome, { webhook: false });
			} catch {
				// The gateway's late answer no longer applies (e.g. a failure on a failed transaction).
			}
		}
		const payload = buildPaymentPayload(ctx, txn);
		if (data.notify_webhook_url === true)
			sendPaymentWebhook(ctx, txn, payload, data.webhook_url as string | undefined);
		return payload;
	});
}
