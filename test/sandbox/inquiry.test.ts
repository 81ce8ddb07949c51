import {
	createTxn,
	ONE_QUICK_DELIVERY,
	payTxn,
	useHarnessAndReceiver,
	webhookAttempts,
} from './helpers';
import type { Harness, Receiver } from './helpers';

const inquiry = (h: Harness, body: Record<string, unknown>) =>
	h.api.post('/b/pbl/v2/inquiry/', body);
const advance = (h: Harness, seconds: number) => h.client.advanceClock(seconds);

describe('POST /b/pbl/v2/inquiry/', () => {
	let h: Harness;
	let rx: Receiver;
	const options = {
		limits: { inquiryPerMinute: 5 },
		webhooks: ONE_QUICK_DELIVERY,
		users: [{ username: 'noinq', password: 'pw-noinq-1', permissions: ['view_e_commerce'] }],
	};
	useHarnessAndReceiver(options, (harness, receiver) => {
		h = harness;
		rx = receiver;
	});

	it('throttles the first 10 minutes, then allows one call per 30 minutes, at most 3 a day', async () => {
		// A frozen clock makes the Retry-After arithmetic exact however slow the machine is.
		await h.client.clock({ freeze: true });
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		const early = await inquiry(h, { session_id: txn.session_id });
		expect(early.status).toBe(429);
		expect(early.data.detail).toBe('Request was throttled. Expected available in 600 seconds.');
		expect(early.headers['retry-after']).toBe('600');

		await advance(h, 600);
		const first = await inquiry(h, { session_id: txn.session_id });
		expect(first.status).toBe(200);
		expect(first.data).toMatchObject({
			session_id: txn.session_id,
			state: 'paid',
			result: 'success',
			amount: '20.000',
		});
		expect(first.data.signature).toMatch(/^[0-9a-f]{64}$/);

		const tooSoon = await inquiry(h, { order_no: txn.order_no });
		expect(tooSoon.status).toBe(429);
		expect(tooSoon.headers['retry-after']).toBe('1800');

		await advance(h, 1799);
		expect((await inquiry(h, { session_id: txn.session_id })).headers['retry-after']).toBe('1');
		await advance(h, 1);
		expect((await inquiry(h, { session_id: txn.session_id })).status).toBe(200);
		await advance(h, 1800);
		expect((await inquiry(h, { session_id: txn.session_id })).status).toBe(200);
		await advance(h, 1800);
		const fourth = await inquiry(h, { session_id: txn.session_id });
		expect(fourth.status).toBe(429);
		// Denied until a day after the first allowed call.
		expect(Number(fourth.headers['retry-after'])).toBe(24 * 3600 - 3 * 1800);
	});

	it('applies the global per-minute limit across transactions', async () => {
		const txns = [];
		for (let i = 0; i < 6; i++) {
			const txn = await createTxn(h);
			await payTxn(h, txn.session_id, 'failed');
			txns.push(txn);
		}
		await advance(h, 600);
		const statuses = [];
		for (const t of txns) statuses.push((await inquiry(h, { session_id: t.session_id })).status);
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
		await advance(h, 60);
		expect((await inquiry(h, { session_id: txns[5].session_id })).status).toBe(200);
	});

	it('refuses a transaction nobody has tried to pay yet: inquiry is only for pending, attempted, failed, expired', async () => {
		const txn = await createTxn(h);
		await advance(h, 600);
		const created = await inquiry(h, { session_id: txn.session_id });
		expect(created.status).toBe(400);
		expect(created.data).toEqual({
			detail:
				'An inquiry can only be made for a payment transaction that is pending, attempted, failed or expired (paid and authorized are answered at once); this one is created.',
			result: 'failed',
		});
		// The refusal did not use up the transaction's inquiry: once opened (pending) it is answered.
		await h.browser.get(`/b/checkout/redirect/start/?session_id=${txn.session_id}`);
		const pending = await inquiry(h, { session_id: txn.session_id });
		expect(pending.status).toBe(200);
		expect(pending.data).toMatchObject({ state: 'pending' });
	});

	it("picks up a gateway's late answer: a failed transaction becomes paid", async () => {
		const txn = await createTxn(h, { webhook_url: rx.url });
		await payTxn(h, txn.session_id, 'failed');
		await h.client.pgStatus(txn.session_id, 'paid');
		await advance(h, 600);
		const res = await inquiry(h, { session_id: txn.session_id });
		expect(res.data).toMatchObject({ state: 'paid', result: 'success' });
	});

	it("runs Ottu's automatic inquiry after the gateway's session timeout and sends the webhook", async () => {
		const txn = await createTxn(h, { webhook_url: rx.url, pg_codes: ['credit-card'] });
		await payTxn(h, txn.session_id, 'failed');
		await h.client.pgStatus(txn.session_id, 'paid');
		// credit-card (MPGS) is checked 11 minutes after the attempt.
		expect((await advance(h, 600)).automatic_inquiries).toBe(0);
		expect((await advance(h, 61)).automatic_inquiries).toBe(1);
		const hooks = await webhookAttempts(h, txn.session_id);
		expect(hooks.map((w) => [w.payload.state, w.payload.result])).toEqual([
			['attempted', 'failed'],
			['paid', 'success'],
		]);
	});

	it('notifies the webhook_url, or an alternate one, when asked', async () => {
		const txn = await createTxn(h, { webhook_url: 'http://127.0.0.1:1/unused' });
		await payTxn(h, txn.session_id, 'paid');
		await advance(h, 600);
		const res = await inquiry(h, {
			session_id: txn.session_id,
			notify_webhook_url: true,
			webhook_url: rx.url,
		});
		expect(res.status).toBe(200);
		await webhookAttempts(h);
		expect(rx.received.map((r) => r.body)).toEqual([res.data]);
	});

	it('validates input and checks the payment.inquiry permission', async () => {
		expect((await inquiry(h, {})).data).toEqual({
			detail: 'Either session_id or order_no must be provided.',
			result: 'failed',
		});
		expect((await inquiry(h, { session_id: 'nope' })).status).toBe(404);
		expect((await inquiry(h, { session_id: 'x', webhook_url: 'not a url' })).data).toEqual({
			webhook_url: ['Enter a valid URL.'],
		});
		expect((await inquiry(h, { session_id: 'x', notify_webhook_url: 'perhaps' })).data).toEqual({
			notify_webhook_url: ['Must be a valid boolean.'],
		});
		const denied = await h
			.as('noinq', 'pw-noinq-1')
			.post('/b/pbl/v2/inquiry/', { session_id: 'x' });
		expect(denied.status).toBe(403);
	});
});
