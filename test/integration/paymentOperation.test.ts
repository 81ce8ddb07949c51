import { runOttu } from '../helpers/n8n';
import { basicCredentials, sandboxClient, startSandbox } from '../helpers/sandbox';
import {
	addFault,
	apiRequests,
	createTransaction,
	ledger,
	paidTransaction,
	useSandbox,
} from './support';

describe('Payment Operation through the real n8n engine and the sandbox', () => {
	const harness = useSandbox();

	const run = harness.runner({ resource: 'paymentOperation' });

	it('refunds part of a paid transaction by session_id and reports the Tracking-Key it used', async () => {
		const sid = await paidTransaction(harness.sandbox, { amount: '10.000' });
		const { items, error } = await run({
			operation: 'refund',
			identifyBy: 'sessionId',
			sessionId: sid,
			amount: '2.5',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			operation: 'refund',
			amount: '2.500',
			result: 'success',
			session_id: sid,
			tracking_key_source: 'automatic',
			replayed: false,
		});
		expect(items[0].json.tracking_key).toMatch(/^n8n-[0-9a-f]{40}$/);
		const book = await ledger(harness.sandbox, sid);
		expect(book.refunded).toBe('2.500');
		expect(book.operations).toHaveLength(1);
		expect(book.operations[0].tracking_key).toBe(items[0].json.tracking_key);
	});

	it('refunds the full amount by order_no when Amount is empty', async () => {
		const sid = await paidTransaction(harness.sandbox, {
			amount: '7.250',
			order_no: 'ORD-REFUND-1',
		});
		const { items, error } = await run({
			operation: 'refund',
			identifyBy: 'orderNo',
			orderNo: 'ORD-REFUND-1',
			amount: '',
		});
		expect(error).toBeUndefined();
		expect(items[0].json.amount).toBe('7.250');
		expect((await ledger(harness.sandbox, sid)).refunded).toBe('7.250');
	});

	it('never refunds twice when the same workflow is run again (a new execution): Ottu replays the first result', async () => {
		const sid = await paidTransaction(harness.sandbox, { amount: '10.000' });
		const params = {
			operation: 'refund',
			identifyBy: 'sessionId',
			sessionId: '={{ $json.sid }}',
			amount: '={{ $json.amount }}',
		};
		const first = await run(params, { items: [{ sid, amount: '3' }], executionId: 'exec-first' });
		const second = await run(params, { items: [{ sid, amount: '3' }], executionId: 'exec-rerun' });
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(second.items[0].json.tracking_key).toBe(first.items[0].json.tracking_key);
		expect(second.items[0].json.reference_number).toBe(first.items[0].json.reference_number);
		// Ottu's replay is the original operation's status shaped like a payment webhook: the output says so.
		expect(first.items[0].json.replayed).toBe(false);
		expect(second.items[0].json).toMatchObject({
			replayed: true,
			replay_cause: 'repeated_key',
			state: 'refunded',
			amount: '3.000',
			tracking_key_source: 'automatic',
		});
		expect(second.items[0].json.replay_note).toContain('did not refund again');
		expect(second.items[0].json.replay_note).toContain('No new money moved.');
		const book = await ledger(harness.sandbox, sid);
		expect(book.operations.filter((o) => o.operation === 'refund')).toHaveLength(1);
		expect(book.refunded).toBe('3.000');
		expect(
			(await apiRequests(harness.sandbox)).filter((r) => r === 'POST /b/pbl/v2/operation/'),
		).toHaveLength(2);
	});

	it('makes a deliberate second identical refund only with a new custom Tracking-Key', async () => {
		const sid = await paidTransaction(harness.sandbox, { amount: '10.000' });
		const params = (key: string) => ({
			operation: 'refund',
			identifyBy: 'sessionId',
			sessionId: sid,
			amount: '1',
			trackingKeyMode: 'custom',
			trackingKey: key,
		});
		const a = await run(params('refund-A'));
		const again = await run(params('refund-A'));
		const b = await run(params('refund-B'));
		expect([a.error, again.error, b.error]).toEqual([undefined, undefined, undefined]);
		expect(a.items[0].json).toMatchObject({
			tracking_key: 'refund-A',
			tracking_key_source: 'custom',
			replayed: false,
		});
		expect(again.items[0].json).toMatchObject({
			tracking_key: 'refund-A',
			tracking_key_source: 'custom',
			replayed: true,
		});
		expect(b.items[0].json).toMatchObject({
			tracking_key: 'refund-B',
			tracking_key_source: 'custom',
			replayed: false,
		});
		const book = await ledger(harness.sandbox, sid);
		expect(book.operations.map((o) => o.tracking_key)).toEqual(['refund-A', 'refund-B']);
		expect(book.refunded).toBe('2.000');
	});

	it('retries a refund whose answer was lost after Ottu carried it out, without refunding twice', async () => {
		const sid = await paidTransaction(harness.sandbox, { amount: '10.000' });
		await addFault(harness.sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'drop_after_commit',
			count: 1,
		});
		const { items, error } = await run({
			operation: 'refund',
			identifyBy: 'sessionId',
			sessionId: sid,
			amount: '4',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			amount: '4.000',
			state: 'refunded',
			replayed: true,
			replay_cause: 'lost_answer',
		});
		expect(items[0].json.replay_note).toContain('its answer was lost');
		expect(items[0].json.replay_note).toContain('The refund was made once');
		const book = await ledger(harness.sandbox, sid);
		expect(book.operations).toHaveLength(1);
		expect(book.refunded).toBe('4.000');
		// The fault fired (the first answer was lost), so the output is the replayed original result.
		expect(await sandboxClient(harness.sandbox).faults()).toEqual([]);
	});

	it('gives an item the same automatic key at another position (an item inserted before it): the re-run is a replay', async () => {
		const sid = await paidTransaction(harness.sandbox, { amount: '10.000' });
		const other = await paidTransaction(harness.sandbox, { amount: '10.000' });
		const params = {
			operation: 'refund',
			identifyBy: 'sessionId',
			sessionId: '={{ $json.sid }}',
			amount: '={{ $json.amount }}',
		};
		const first = await run(params, { items: [{ sid, amount: '3', line: 'L-1' }] });
		const rerun = await run(params, {
			items: [
				{ sid: other, amount: '3', line: 'L-9' },
				{ line: 'L-1', amount: '3', sid },
			],
		});
		expect([first.error, rerun.error]).toEqual([undefined, undefined]);
		expect(rerun.items[1].json.tracking_key).toBe(first.items[0].json.tracking_key);
		expect(rerun.items[1].json).toMatchObject({ replayed: true, state: 'refunded' });
		expect(rerun.items[0].json).toMatchObject({ replayed: false, session_id: other });
		expect((await ledger(harness.sandbox, sid)).operations).toHaveLength(1);
		expect((await ledger(harness.sandbox, other)).operations).toHaveLength(1);
	});

	it('refunds once for two identical items in one run (the second is a replay), even at Concurrency 2, sending the second after the first was answered', async () => {
		const sid = await paidTransaction(harness.sandbox, { amount: '10.000' });
		await addFault(harness.sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'latency',
			ms: 400,
			count: 2,
		});
		const started = Date.now();
		const { items, error } = await run(
			{
				operation: 'refund',
				identifyBy: 'sessionId',
				sessionId: '={{ $json.sid }}',
				amount: '={{ $json.amount }}',
				options: { concurrency: 2 },
			},
			{
				items: [
					{ sid, amount: '1', line: 'L-1' },
					{ line: 'L-1', amount: '1', sid },
				],
			},
		);
		// Each request waits 400 ms in the harness.sandbox; the second is only sent once the first has been answered.
		expect(Date.now() - started).toBeGreaterThanOrEqual(800);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.replayed)).toEqual([false, true]);
		expect(items[1].json.tracking_key).toBe(items[0].json.tracking_key);
		expect((await ledger(harness.sandbox, sid)).refunded).toBe('1.000');
	});

	it('captures part of an authorized payment, then voids another authorization', async () => {
		const captureSid = await paidTransaction(
			harness.sandbox,
			{ amount: '20.000', pg_codes: ['mpgs-auth'] },
			'authorized',
		);
		const captured = await run({
			operation: 'capture',
			identifyBy: 'sessionId',
			sessionId: captureSid,
			amount: '15',
		});
		expect(captured.error).toBeUndefined();
		expect(captured.items[0].json).toMatchObject({
			operation: 'capture',
			amount: '15.000',
			result: 'success',
		});
		expect((await ledger(harness.sandbox, captureSid)).captured).toBe('15.000');

		const voidSid = await paidTransaction(
			harness.sandbox,
			{ amount: '20.000', pg_codes: ['mpgs-auth'] },
			'authorized',
		);
		const voided = await run({ operation: 'void', identifyBy: 'sessionId', sessionId: voidSid });
		expect(voided.error).toBeUndefined();
		expect(voided.items[0].json).toMatchObject({ operation: 'void', result: 'success' });
		expect(voided.items[0].json).toMatchObject({
			tracking_key: expect.stringMatching(/^n8n-/),
			tracking_key_source: 'automatic',
			replayed: false,
		});
		expect((await ledger(harness.sandbox, voidSid)).voided).toBe('20.000');
	});

	it.each(['cancel', 'expire', 'delete'])(
		'%ss an unpaid transaction, moving no money and sending no Tracking-Key',
		async (operation) => {
			const txn = await createTransaction(harness.sandbox, { order_no: `ORD-${operation}` });
			const { items, error } = await run({
				operation,
				identifyBy: 'orderNo',
				orderNo: `ORD-${operation}`,
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ operation, result: 'success' });
			expect(items[0].json.tracking_key).toBeUndefined();
			const book = await ledger(harness.sandbox, txn.session_id as string);
			expect(operation === 'delete' ? book.deleted : book.state).toBe(
				operation === 'cancel' ? 'canceled' : operation === 'expire' ? 'expired' : book.deleted,
			);
			if (operation === 'delete') expect(book.deleted).not.toBeNull();
		},
	);

	it("surfaces Ottu's refusal readably (refunding more than was paid)", async () => {
		const sid = await paidTransaction(harness.sandbox, { amount: '5.000' });
		const { error } = await run({
			operation: 'refund',
			identifyBy: 'sessionId',
			sessionId: sid,
			amount: '6',
		});
		expect(error?.message).toMatch(/^Ottu refused the request \(HTTP 400\): .+ \[item 0\]$/);
		expect(error?.httpCode).toBe('400');
		expect((await ledger(harness.sandbox, sid)).refunded).toBe('0.000');
	});

	it('reports an unknown session plainly, once, whether Ottu answers 404 or (as its OpenAPI allows) 400', async () => {
		const unknown = 'f'.repeat(40);
		const notFound = await run({
			operation: 'refund',
			identifyBy: 'sessionId',
			sessionId: unknown,
		});
		expect(notFound.error?.message).toBe(
			'Ottu refused the request (HTTP 404): Not found. [item 0]',
		);
		expect(notFound.error?.description).toContain('Check the identifier (session_id, order_no');
		await addFault(harness.sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'status',
			status: 400,
			body: { detail: 'Payment transaction not found.', operation: 'refund', result: 'failed' },
			count: 5,
		});
		// By Order No nothing is read first, so the refusal comes from the operation itself.
		const refused = await run({
			operation: 'refund',
			identifyBy: 'orderNo',
			orderNo: 'NO-SUCH-ORDER',
		});
		expect(refused.error?.message).toBe(
			'Ottu refused the request (HTTP 400): Payment transaction not found. [item 0]',
		);
		expect(refused.error?.description).not.toMatch(/may have/);
		expect(
			(await apiRequests(harness.sandbox)).filter((r) => r === 'POST /b/pbl/v2/operation/'),
		).toHaveLength(1);
	});

	it('explains a missing permission of a Basic-auth user without moving money', async () => {
		const limited = await startSandbox({
			users: [
				{
					username: 'clerk',
					password: 'clerk-pass-123',
					permissions: ['view_e_commerce', 'payment.capture'],
				},
			],
		});
		try {
			const sid = await paidTransaction(limited, { amount: '10.000' });
			const { error } = await runOttu({
				parameters: {
					resource: 'paymentOperation',
					operation: 'refund',
					identifyBy: 'sessionId',
					sessionId: sid,
					amount: '1',
				},
				credentials: basicCredentials(limited, 'clerk', 'clerk-pass-123'),
			});
			expect(error?.message).toBe(
				'Ottu refused the request (HTTP 403): You do not have permission to perform this action. [item 0]',
			);
			expect(error?.description).toContain('lacks the permission');
			expect(JSON.stringify({ m: error?.message, d: error?.description })).not.toContain(
				'clerk-pass-123',
			);
			expect((await ledger(limited, sid)).refunded).toBe('0.000');
		} finally {
			await limited.close();
		}
	});

	it.each([
		[{ sessionId: '={{ $json.missing }}' }, 'Session ID is required, got nothing [item 0]'],
		[{ identifyBy: 'orderNo', orderNo: '={{ "  " }}' }, 'Order No is required, got "  " [item 0]'],
		[
			{ sessionId: 'abc', amount: '1,5' },
			'Amount "1,5" is not a positive amount with at most 3 decimals [item 0]',
		],
		[
			{ sessionId: 'abc', amount: '1.2', operationOptions: { currencyCode: 'JPY' } },
			'Amount "1.2" has 1 decimal place but JPY allows 0 [item 0]',
		],
		[
			{ sessionId: 'abc', trackingKeyMode: 'custom', trackingKey: 'has space' },
			'Tracking-Key "has space" contains spaces or characters that cannot be sent in an HTTP header [item 0]',
		],
	])('stops invalid input %p before anything is sent', async (params, message) => {
		const { error } = await run(
			{ operation: 'refund', identifyBy: 'sessionId', ...params },
			{ items: [{ sid: 'x' }] },
		);
		expect(error?.message).toBe(message);
		expect(error?.description).toContain('Nothing was sent to Ottu.');
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it('gives one error item per failed item with Continue On Fail, and refunds the others', async () => {
		const a = await paidTransaction(harness.sandbox, { amount: '10.000' });
		const b = await paidTransaction(harness.sandbox, { amount: '10.000' });
		const { items, error } = await run(
			{
				operation: 'refund',
				identifyBy: 'sessionId',
				sessionId: '={{ $json.sid }}',
				amount: '={{ $json.amount }}',
			},
			{
				items: [
					{ sid: a, amount: '1' },
					{ sid: b, amount: '-1' },
					{ sid: b, amount: '11' },
					{ sid: b, amount: '2' },
				],
				continueOnFail: true,
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(items[0].json.amount).toBe('1.000');
		expect(items[1].json.error).toBe(
			'Amount "-1" is not a positive amount with at most 3 decimals [item 1]',
		);
		expect(items[2].json.error).toMatch(/^Ottu refused the request \(HTTP 400\)/);
		expect(items[3].json.amount).toBe('2.000');
		expect((await ledger(harness.sandbox, b)).refunded).toBe('2.000');
	});

	it('keeps output order and pairedItem with Concurrency 8 over 20 refunds, each refunded once', async () => {
		const sids: string[] = [];
		for (let i = 0; i < 20; i++)
			sids.push(await paidTransaction(harness.sandbox, { amount: '10.000', order_no: `C-${i}` }));
		const { items, error } = await run(
			{
				operation: 'refund',
				identifyBy: 'sessionId',
				sessionId: '={{ $json.sid }}',
				amount: '={{ $json.amount }}',
				options: { concurrency: 8 },
			},
			{ items: sids.map((sid, i) => ({ sid, amount: String((i + 1) / 10) })) },
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.session_id)).toEqual(sids);
		expect(items.map((i) => i.json.amount)).toEqual(sids.map((_s, i) => ((i + 1) / 10).toFixed(3)));
		expect(items.map((i) => i.pairedItem)).toEqual(sids.map((_s, i) => ({ item: i })));
		const books = await Promise.all(sids.map((sid) => ledger(harness.sandbox, sid)));
		expect(books.map((b) => b.operations.length)).toEqual(sids.map(() => 1));
	});
});
