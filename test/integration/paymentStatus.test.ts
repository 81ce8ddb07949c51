import { sandboxClient } from '../helpers/sandbox';
import {
	addFault,
	advanceClock,
	apiRequests,
	createTransaction,
	paidTransaction,
	useSandbox,
} from './support';

describe('Payment Status check (inquiry) through the real n8n engine and the sandbox', () => {
	const harness = useSandbox();

	const run = harness.runner({ resource: 'paymentStatus', operation: 'check' });

	it('returns the payment result by order_no once Ottu allows an inquiry', async () => {
		const sid = await paidTransaction(harness.sandbox, { amount: '12.500', order_no: 'ORD-PSQ-1' });
		await advanceClock(harness.sandbox, 11 * 60);
		const { items, error } = await run({ identifyBy: 'orderNo', orderNo: 'ORD-PSQ-1' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			session_id: sid,
			order_no: 'ORD-PSQ-1',
			state: 'paid',
			result: 'success',
			amount: '12.500',
		});
	});

	it('asks Ottu to notify another webhook URL with the result when told to', async () => {
		const sid = await paidTransaction(harness.sandbox, { order_no: 'ORD-PSQ-2' });
		await advanceClock(harness.sandbox, 11 * 60);
		const target = 'http://127.0.0.1:9/ottu-hook';
		const { error } = await run({
			identifyBy: 'sessionId',
			sessionId: sid,
			inquiryOptions: { notifyWebhookUrl: true, webhookUrl: target },
		});
		expect(error).toBeUndefined();
		const deliveries = await sandboxClient(harness.sandbox).webhooks({
			session_id: sid,
			wait: true,
		});
		expect(deliveries.map((d) => d.url)).toContain(target);
	});

	it('finds a payment the gateway settled but Ottu had not heard of yet', async () => {
		const txn = await createTransaction(harness.sandbox, { amount: '3.000' });
		const sid = txn.session_id as string;
		await sandboxClient(harness.sandbox).pay(sid, 'failed');
		await sandboxClient(harness.sandbox).pgStatus(sid, 'paid');
		await advanceClock(harness.sandbox, 11 * 60);
		const { items, error } = await run({ identifyBy: 'sessionId', sessionId: sid });
		expect(error).toBeUndefined();
		expect(items[0].json.state).toBe('paid');
	});

	it('says why Ottu refuses to check a transaction nobody has tried to pay yet, and what to use instead', async () => {
		const txn = await createTransaction(harness.sandbox);
		await advanceClock(harness.sandbox, 11 * 60);
		const { items, error } = await run({ identifyBy: 'sessionId', sessionId: txn.session_id });
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			'Ottu refused the request (HTTP 400): An inquiry can only be made for a payment transaction that is pending, attempted, failed or expired (paid and authorized are answered at once); this one is created. [item 0]',
		);
		expect(error?.description).toContain(
			"so it refuses one nobody has tried to pay yet (created) or a canceled one. Read such a transaction's state with Payment Transaction → Get.",
		);
		expect(await apiRequests(harness.sandbox)).toEqual([
			'POST /b/checkout/v1/pymt-txn/',
			'POST /b/pbl/v2/inquiry/',
		]);
	});

	it("explains Ottu's per-transaction throttle at once, with when the next check is allowed and what to use meanwhile", async () => {
		const txn = await createTransaction(harness.sandbox);
		const started = Date.now();
		const { error } = await run({ identifyBy: 'sessionId', sessionId: txn.session_id });
		expect(Date.now() - started).toBeLessThan(5000);
		// Created just now: Ottu's 10-minute grace period (Retry-After 600 s).
		expect(error?.message).toMatch(
			/^Ottu is throttling status checks of this transaction \(HTTP 429\): the next check is allowed in 10 minutes \(at \d\d:\d\d UTC\) \[item 0\]$/,
		);
		expect(error?.description).toContain(
			'no status check in the first 10 minutes after a payment is created, then one check per 30 minutes, at most three',
		);
		expect(error?.description).toContain('use Payment Transaction → Get, which is not throttled');
	});

	it('after an allowed check, says the next one comes 30 minutes later', async () => {
		const sid = await paidTransaction(harness.sandbox);
		await advanceClock(harness.sandbox, 11 * 60);
		expect((await run({ identifyBy: 'sessionId', sessionId: sid })).error).toBeUndefined();
		await advanceClock(harness.sandbox, 5 * 60);
		const { error } = await run({ identifyBy: 'sessionId', sessionId: sid });
		expect(error?.message).toMatch(
			/the next check is allowed in 25 minutes \(at \d\d:\d\d UTC\) \[item 0\]$/,
		);
	});

	it('without a Retry-After, states the documented windows instead of a time', async () => {
		const sid = await paidTransaction(harness.sandbox);
		await addFault(harness.sandbox, {
			route: 'POST /b/pbl/v2/inquiry/',
			kind: 'status',
			status: 429,
			body: { detail: 'Request was throttled.' },
		});
		const { error } = await run({ identifyBy: 'sessionId', sessionId: sid });
		expect(error?.message).toBe(
			'Ottu is throttling status checks of this transaction (HTTP 429): the next check is allowed later (Ottu did not say when) [item 0]',
		);
		expect(error?.description).toContain('then one check per 30 minutes');
		expect(error?.description).toMatch(/ Tried 5 times over \d+ s\.$/);
	}, 30_000);

	it('stops an over-long webhook URL before anything is sent, and reports unknown transactions readably', async () => {
		const long = await run({
			identifyBy: 'sessionId',
			sessionId: 'abc',
			inquiryOptions: { webhookUrl: `https://hooks.example.com/${'x'.repeat(200)}` },
		});
		expect(long.error?.message).toBe(
			'Webhook URL is 226 characters long; Ottu allows at most 200 here [item 0]',
		);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
		const missing = await run({ identifyBy: 'sessionId', sessionId: 'no-such-session' });
		expect(missing.error?.message).toBe('Ottu refused the request (HTTP 404): Not found. [item 0]');
		expect(missing.error?.description).toContain('Check the identifier (session_id, order_no');
	});
});
