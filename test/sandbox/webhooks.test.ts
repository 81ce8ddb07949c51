import { createHmac } from 'node:crypto';

import { CURRENT_SIGNED_PATHS, PREVIOUS_SIGNED_FIELDS } from '../../sandbox/core/signature';

import {
	createTxn,
	HMAC_KEY,
	operation,
	payTxn,
	useHarnessAndReceiver,
	webhookAttempts,
} from './helpers';
import type { Harness, Json, Receiver } from './helpers';

/**
 * Ottu's current scheme, computed independently of the sandbox's signer from the sandbox's list of
 * signed paths (checked against the node's own copy in test/unit/signature.test.ts): dot paths, falsy
 * values left out, `path=value` lines.
 */
function verifyCurrent(body: Record<string, Json>, key: string): boolean {
	const at = (path: string): Json =>
		path.split('.').reduce<Json>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), body);
	const msg = CURRENT_SIGNED_PATHS.filter((p) => {
		const v = at(p);
		return v !== undefined && v !== null && v !== '' && v !== 0 && v !== false;
	})
		.map((p) => `${p}=${at(p)}`)
		.join('\n');
	return createHmac('sha256', key).update(msg).digest('hex') === body.signature;
}

/** The previous scheme, the same way: 18 top-level fields, `key` + `value`. */
function verifyPrevious(body: Record<string, Json>, key: string): boolean {
	const fields = [...PREVIOUS_SIGNED_FIELDS].sort();
	const msg = fields
		.filter((f) => body[f] !== undefined && body[f] !== null && body[f] !== '')
		.map((f) => `${f}${body[f]}`)
		.join('');
	return createHmac('sha256', key).update(msg).digest('hex') === body.signature;
}

describe('webhook delivery', () => {
	let h: Harness;
	let rx: Receiver;
	useHarnessAndReceiver(
		{ webhooks: { timeoutMs: 300, attempts: 3, backoffMs: 20 } },
		(harness, receiver) => {
			h = harness;
			rx = receiver;
		},
	);

	it('POSTs the signed payment webhook with the documented shape when a payment completes', async () => {
		const txn = await createTxn(h, {
			webhook_url: rx.url,
			customer_email: 'buyer@example.com',
			customer_first_name: 'Fatima',
			billing_address: { line1: 'Block 1', city: 'Kuwait City', country: 'KW' },
			extra: { cart: 'c-1' },
		});
		const answer = await payTxn(h, txn.session_id, 'paid');
		const attempts = await webhookAttempts(h, txn.session_id);
		expect(attempts).toHaveLength(1);
		expect(attempts[0]).toMatchObject({ url: rx.url, status: 200, attempt: 1, kind: 'payment' });
		expect(rx.received).toHaveLength(1);
		const body = rx.received[0].body;
		expect(body).toEqual(answer);
		expect(body).toMatchObject({
			session_id: txn.session_id,
			order_no: txn.order_no,
			state: 'paid',
			result: 'success',
			amount: '20.000',
			currency_code: 'KWD',
			amount_details: { currency_code: 'KWD', amount: '20.000', total: '20.000', fee: '0.000' },
			fee: '0.000 KWD',
			paid_amount: '20.000',
			settled_amount: '20.000',
			payment_type: 'one_off',
			gateway_name: 'mpgs',
			gateway_account: 'credit-card',
			customer_email: 'buyer@example.com',
			customer_first_name: 'Fatima',
			customer_address_line1: 'Block 1',
			customer_address_city: 'Kuwait City',
			customer_address_country: 'KW',
			extra: { cart: 'c-1' },
			is_sandbox: true,
			transactions: [],
		});
		expect(body.reference_number).toMatch(/^sbx\d+$/);
		expect(body.timestamp_utc).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect(body.pg_params.card_number.value).toBeDefined();
		expect(verifyCurrent(body, HMAC_KEY)).toBe(true);
		expect(verifyCurrent({ ...body, amount: '2.000' }, HMAC_KEY)).toBe(false);
		expect(verifyCurrent({ ...body, session_id: 'another' }, HMAC_KEY)).toBe(false);
		expect(body.extra).toMatchObject({ merchant_id: '127.0.0.1' });
		expect(body).toMatchObject({ settled_amount: body.amount, remaining_amount: '0.000' });
		expect(rx.received[0].headers['user-agent']).toContain('Chrome');
	});

	it('sends a failed attempt too, with result failed and state attempted', async () => {
		const txn = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, txn.session_id, 'failed');
		await webhookAttempts(h);
		expect(rx.received[0].body).toMatchObject({ state: 'attempted', result: 'failed' });
		expect(verifyCurrent(rx.received[0].body, HMAC_KEY)).toBe(true);
	});

	it('sends the operation webhook with txn after a refund, and lists children in later payment payloads', async () => {
		const txn = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, txn.session_id, 'paid');
		const refund = await operation(h, {
			operation: 'refund',
			session_id: txn.session_id,
			amount: '4',
		});
		const attempts = await webhookAttempts(h, txn.session_id);
		expect(attempts.map((a: Json) => a.kind)).toEqual(['payment', 'operation']);
		const op = rx.received[1].body;
		expect(op).toEqual(refund.data);
		expect(op).toMatchObject({
			operation: 'refund',
			amount: '4.000',
			result: 'success',
			success: true,
			source: 'input',
			txn: { state: 'refunded', amount: '4.000' },
		});
		expect(op.gateway_name).toBeUndefined();
		expect(verifyCurrent(op, HMAC_KEY)).toBe(true);
		const notify = await h.client.notify(txn.session_id, { wait: true });
		expect(notify.payload.transactions).toEqual([
			{
				amount: '4.000',
				currency_code: 'KWD',
				order_no: txn.order_no,
				session_id: refund.data.txn.session_id,
				state: 'refunded',
			},
		]);
		expect(notify.payload.refunded_amount).toBe('4.000');
	});

	it('treats 201 as delivered and does not retry a non-2xx answer', async () => {
		rx.respond(201);
		const a = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, a.session_id, 'paid');
		expect((await webhookAttempts(h, a.session_id)).map((w: Json) => w.status)).toEqual([201]);
		rx.respond(500);
		const b = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, b.session_id, 'paid');
		expect((await webhookAttempts(h, b.session_id)).map((w: Json) => w.status)).toEqual([500]);
	});

	it('retries only on timeout, up to the configured count', async () => {
		rx.respond(200, 1000);
		const txn = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, txn.session_id, 'paid');
		const attempts = await webhookAttempts(h, txn.session_id);
		expect(attempts.map((w: Json) => [w.attempt, w.status, w.error])).toEqual([
			[1, null, 'timeout'],
			[2, null, 'timeout'],
			[3, null, 'timeout'],
		]);
	});

	it('a reset stops retries of deliveries started before it', async () => {
		rx.respond(200, 1000);
		const txn = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, txn.session_id, 'paid');
		await h.client.reset();
		await new Promise((r) => setTimeout(r, 400));
		expect(await webhookAttempts(h)).toEqual([]);
		expect(rx.received.length).toBeLessThanOrEqual(2);
	});

	it('does not retry when the receiver is unreachable', async () => {
		const txn = await createTxn(h, { webhook_url: 'http://127.0.0.1:1/hook' });
		await payTxn(h, txn.session_id, 'paid');
		const attempts = await webhookAttempts(h, txn.session_id);
		expect(attempts).toHaveLength(1);
		expect(attempts[0].status).toBeNull();
		expect(attempts[0].error).toBe('ECONNREFUSED');
	});

	it('announces a cancel with a payment webhook, and a rejected queued refund with a failed operation webhook', async () => {
		const a = await createTxn(h, { webhook_url: rx.url });
		await operation(h, { operation: 'cancel', session_id: a.session_id });
		const cancel = await webhookAttempts(h, a.session_id);
		expect(cancel.map((w: Json) => [w.kind, w.payload.state, w.payload.result])).toEqual([
			['payment', 'canceled', 'canceled'],
		]);
		expect(verifyCurrent(cancel[0].payload, HMAC_KEY)).toBe(true);
		const b = await createTxn(h, {
			webhook_url: rx.url,
			pg_codes: ['stcpay'],
			currency_code: 'SAR',
			amount: '30.00',
		});
		await payTxn(h, b.session_id, 'paid');
		const refund = await operation(h, { operation: 'refund', session_id: b.session_id });
		await h.client.settleRefund(refund.data.txn.session_id, 'refund_rejected');
		const hooks = await webhookAttempts(h, b.session_id);
		expect(
			hooks.map((w: Json) => [w.kind, w.payload.result, w.payload.txn?.state ?? w.payload.state]),
		).toEqual([
			['payment', 'success', 'paid'],
			['operation', 'success', 'refund_queued'],
			['operation', 'failed', 'refund_rejected'],
		]);
		expect(hooks[2].payload.success).toBe(false);
		expect((await h.client.ledger(b.session_id)).refunded).toBe('0.00');
	});

	it('pay with wait:true answers after delivery, including the delivery result', async () => {
		const txn = await createTxn(h, { webhook_url: rx.url });
		const res = await h.client.pay(txn.session_id, 'authorized', {
			pg_code: 'credit-card',
			wait: true,
		});
		expect(res.webhook_delivery).toMatchObject({ status: 200, attempt: 1 });
		expect(res.state).toBe('authorized');
	});

	it('signs with the previous scheme and another merchant ID when the merchant is set so, until reset', async () => {
		expect(await h.client.setSigning({ scheme: 'previous', merchant_id: 'shop.ottu.net' })).toEqual(
			{
				scheme: 'previous',
				merchant_id: 'shop.ottu.net',
			},
		);
		const txn = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, txn.session_id, 'paid');
		await webhookAttempts(h);
		const body = rx.received[0].body;
		expect(body.extra).toEqual({ merchant_id: 'shop.ottu.net' });
		expect(verifyPrevious(body, HMAC_KEY)).toBe(true);
		expect(verifyCurrent(body, HMAC_KEY)).toBe(false);
		await h.client.reset();
		expect(await h.client.setSigning({})).toEqual({ scheme: 'current', merchant_id: '127.0.0.1' });
	});

	it('refuses an unknown scheme or an empty merchant ID, naming the field', async () => {
		const bad = await h.client.send('POST', '/__sandbox/signing', { scheme: 'old' });
		expect(bad.status).toBe(400);
		expect(bad.data).toEqual({ scheme: ['scheme must be one of current, previous.'] });
		const empty = await h.client.send('POST', '/__sandbox/signing', { merchant_id: ' ' });
		expect(empty.status).toBe(400);
	});
});

describe("webhook delivery with Ottu's default attempt count", () => {
	let h: Harness;
	let rx: Receiver;
	// Only the timings are shortened: the number of attempts is the sandbox's default.
	useHarnessAndReceiver({ webhooks: { timeoutMs: 300, backoffMs: 20 } }, (harness, receiver) => {
		h = harness;
		rx = receiver;
	});

	it('tries 3 times in all when the receiver keeps timing out (15 + 5 + 15 + 5 + 15 = 55 s at Ottu)', async () => {
		rx.respond(200, 1000);
		const txn = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, txn.session_id, 'paid');
		const attempts = await webhookAttempts(h, txn.session_id);
		expect(attempts.map((w: Json) => [w.attempt, w.error])).toEqual([
			[1, 'timeout'],
			[2, 'timeout'],
			[3, 'timeout'],
		]);
	});
});
