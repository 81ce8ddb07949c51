import { createTxn, ledger, operation, payTxn, startHarness } from './helpers';
import type { Harness } from './helpers';

describe('POST /b/pbl/v2/operation/', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness({
			users: [
				{ username: 'refunder', password: 'pw-refunder-1', permissions: ['payment.refund'] },
				{ username: 'viewer', password: 'pw-viewer-1', permissions: ['view_e_commerce'] },
			],
		});
	});
	afterAll(async () => h.sandbox.close());
	beforeEach(async () => {
		await h.client.reset();
	});

	it('refunds a paid transaction partially then fully, with child transactions and a signed answer', async () => {
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		const first = await operation(h, {
			operation: 'refund',
			session_id: txn.session_id,
			amount: '5.5',
		});
		expect(first.status).toBe(200);
		expect(first.data).toMatchObject({
			operation: 'refund',
			amount: '5.500',
			session_id: txn.session_id,
			order_no: txn.order_no,
			result: 'success',
			success: true,
			source: 'input',
			pg_code: 'credit-card',
			txn: { amount: '5.500', currency_code: 'KWD', order_no: txn.order_no, state: 'refunded' },
		});
		expect(first.data.signature).toMatch(/^[0-9a-f]{64}$/);
		expect(first.data.txn.session_id).not.toBe(txn.session_id);
		const second = await operation(h, { operation: 'refund', order_no: txn.order_no });
		expect(second.data.amount).toBe('14.500');
		const l = await ledger(h, txn.session_id);
		expect(l).toMatchObject({
			state: 'paid',
			amount: '20.000',
			paid: '20.000',
			refunded: '20.000',
			currency_code: 'KWD',
		});
		expect(l.operations.map((o: { amount: string; state: string }) => [o.amount, o.state])).toEqual(
			[
				['5.500', 'refunded'],
				['14.500', 'refunded'],
			],
		);
		const third = await operation(h, {
			operation: 'refund',
			session_id: txn.session_id,
			amount: '0.001',
		});
		expect(third.status).toBe(400);
		expect(third.data).toEqual({
			detail: 'This payment transaction has been fully refunded.',
			operation: 'refund',
			result: 'failed',
		});
	});

	it("answers a repeated Tracking-Key with the original operation's latest status, shaped like a payment webhook; one refund", async () => {
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		const a = await operation(
			h,
			{ operation: 'refund', session_id: txn.session_id, amount: '3' },
			'refund-key-1',
		);
		const b = await operation(
			h,
			{ operation: 'refund', session_id: txn.session_id, amount: '9' },
			'refund-key-1',
		);
		expect(a.status).toBe(200);
		expect(b.status).toBe(200);
		// Not the operation answer ({operation, txn, success, ...}) but a payment-webhook-shaped status of the child.
		expect(b.data).toMatchObject({
			session_id: a.data.txn.session_id,
			reference_number: a.data.reference_number,
			state: 'refunded',
			result: 'success',
			amount: '3.000',
			currency_code: 'KWD',
			gateway_account: a.data.pg_code,
			refunded_amount: '3.000',
		});
		expect(b.data.signature).toMatch(/^[0-9a-f]{64}$/);
		for (const key of ['operation', 'txn', 'success', 'source', 'pg_response'])
			expect(b.data).not.toHaveProperty(key);
		// By order_no, the same transaction: the same replay.
		const byOrder = await operation(
			h,
			{ operation: 'refund', order_no: txn.order_no },
			'refund-key-1',
		);
		expect(byOrder.data).toMatchObject({
			state: 'refunded',
			reference_number: a.data.reference_number,
		});
		const l = await ledger(h, txn.session_id);
		expect(l.refunded).toBe('3.000');
		expect(l.operations).toHaveLength(1);
		expect(l.operations[0].tracking_key).toBe('refund-key-1');
		// A different key is a different refund.
		const c = await operation(
			h,
			{ operation: 'refund', session_id: txn.session_id, amount: '1' },
			'refund-key-2',
		);
		expect(c.data.amount).toBe('1.000');
		expect((await ledger(h, txn.session_id)).refunded).toBe('4.000');
	});

	it('does not store a Tracking-Key when the operation failed', async () => {
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		const tooMuch = await operation(
			h,
			{ operation: 'refund', session_id: txn.session_id, amount: '25' },
			'k-fail',
		);
		expect(tooMuch.status).toBe(400);
		expect(tooMuch.data.detail).toBe(
			'The refund amount 25.000 exceeds the refundable amount 20.000.',
		);
		const retry = await operation(
			h,
			{ operation: 'refund', session_id: txn.session_id, amount: '2' },
			'k-fail',
		);
		expect(retry.status).toBe(200);
		expect(retry.data.amount).toBe('2.000');
	});

	it('captures partially and voids on an authorize gateway', async () => {
		const txn = await createTxn(h, { pg_codes: ['mpgs-auth'] });
		await payTxn(h, txn.session_id, 'authorized');
		const cap = await operation(h, {
			operation: 'capture',
			session_id: txn.session_id,
			amount: '8',
		});
		expect(cap.data).toMatchObject({
			operation: 'capture',
			amount: '8.000',
			txn: { state: 'paid' },
		});
		const voidAfter = await operation(h, { operation: 'void', session_id: txn.session_id });
		expect(voidAfter.status).toBe(400);
		expect(voidAfter.data).toEqual({
			detail: 'An authorization that has been captured cannot be voided.',
			operation: 'void',
			result: 'failed',
		});
		const other = await createTxn(h, { pg_codes: ['mpgs-auth'] });
		await payTxn(h, other.session_id, 'authorized');
		const v = await operation(h, { operation: 'void', session_id: other.session_id });
		expect(v.data).toMatchObject({ operation: 'void', amount: '20.000', txn: { state: 'voided' } });
		expect(await ledger(h, other.session_id)).toMatchObject({
			state: 'authorized',
			voided: '20.000',
			captured: '0.000',
			paid: '0.000',
		});
		expect(await ledger(h, txn.session_id)).toMatchObject({ captured: '8.000', paid: '8.000' });
	});

	it('queued refunds start refund_queued and settle through the control API with an operation webhook', async () => {
		const txn = await createTxn(h, { pg_codes: ['stcpay'], currency_code: 'SAR', amount: '50.00' });
		await payTxn(h, txn.session_id, 'paid');
		const r = await operation(
			h,
			{ operation: 'refund', session_id: txn.session_id, amount: '10' },
			'q-1',
		);
		expect(r.data.txn.state).toBe('refund_queued');
		const settled = await h.client.settleRefund(r.data.txn.session_id, 'refunded');
		expect(settled.txn.state).toBe('refunded');
		// The replay reports the latest state of the original operation.
		const replay = await operation(h, { operation: 'refund', session_id: txn.session_id }, 'q-1');
		expect(replay.data).toMatchObject({
			state: 'refunded',
			result: 'success',
			session_id: r.data.txn.session_id,
			reference_number: r.data.reference_number,
		});
		expect((await ledger(h, txn.session_id)).refunded).toBe('10.00');
	});

	it('cancels, expires and deletes with internal-operation answers', async () => {
		const a = await createTxn(h);
		const cancel = await operation(h, { operation: 'cancel', session_id: a.session_id });
		expect(cancel.data).toEqual({
			detail: 'The payment transaction has been canceled.',
			operation: 'cancel',
			result: 'success',
		});
		expect((await h.api.get(`/b/checkout/v1/pymt-txn/${a.session_id}/`)).data.state).toBe(
			'canceled',
		);
		const b = await createTxn(h);
		expect(
			(await operation(h, { operation: 'expire', session_id: b.session_id })).data.result,
		).toBe('success');
		const again = await operation(h, { operation: 'expire', session_id: b.session_id });
		expect(again.data).toEqual({
			detail:
				'A payment transaction in state "expired" cannot be expired. Allowed states: created, pending, attempted.',
			operation: 'expire',
			result: 'failed',
		});
		expect(
			(await operation(h, { operation: 'delete', session_id: b.session_id })).data.result,
		).toBe('success');
		expect((await h.api.get(`/b/checkout/v1/pymt-txn/${b.session_id}/`)).status).toBe(404);
		expect((await operation(h, { operation: 'delete', session_id: b.session_id })).status).toBe(
			404,
		);
	});

	it('soft-deletes a paid transaction: still retrievable, no further operations', async () => {
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		await operation(h, { operation: 'delete', session_id: txn.session_id });
		expect((await ledger(h, txn.session_id)).deleted).toBe('soft');
		const refund = await operation(h, { operation: 'refund', session_id: txn.session_id });
		expect(refund.data).toEqual({
			detail: 'This payment transaction has been deleted.',
			operation: 'refund',
			result: 'failed',
		});
	});

	it("answers invalid input with Ottu's DRF messages", async () => {
		expect((await operation(h, {})).data).toEqual({ operation: ['This field is required.'] });
		expect((await operation(h, { operation: 'reverse', session_id: 'x' })).data).toEqual({
			operation: ['"reverse" is not a valid choice.'],
		});
		expect(
			(await operation(h, { operation: 'refund', session_id: 'x', amount: 'ten' })).data,
		).toEqual({ amount: ['A valid number is required.'] });
		expect(
			(await operation(h, { operation: 'refund', session_id: 'x', amount: '1.0001' })).data,
		).toEqual({
			amount: ['Ensure that there are no more than 3 decimal places.'],
		});
		expect((await operation(h, { operation: 'refund', session_id: 'x'.repeat(129) })).data).toEqual(
			{
				session_id: ['Ensure this field has no more than 128 characters.'],
			},
		);
		const none = await operation(h, { operation: 'refund' });
		expect(none.status).toBe(400);
		expect(none.data).toEqual({
			detail: 'Either session_id or order_no must be provided.',
			operation: 'refund',
			result: 'failed',
		});
		const missing = await operation(h, { operation: 'refund', session_id: 'f'.repeat(40) });
		expect(missing.status).toBe(404);
		expect(missing.data).toEqual({ detail: 'Not found.' });
	});

	it('refuses operations the gateway does not support', async () => {
		const txn = await createTxn(h, { pg_codes: ['knet-test'] });
		await payTxn(h, txn.session_id, 'paid');
		const v = await operation(h, { operation: 'void', session_id: txn.session_id });
		expect(v.data.detail).toBe(
			'Only an authorized payment transaction can be voided; this one is "paid".',
		);
	});

	it('checks per-operation permissions of Basic users, and names the initiator', async () => {
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		const viewer = await h
			.as('viewer', 'pw-viewer-1')
			.post('/b/pbl/v2/operation/', { operation: 'refund', session_id: txn.session_id });
		expect(viewer.status).toBe(403);
		expect(viewer.data).toEqual({ detail: 'You do not have permission to perform this action.' });
		const refunder = h.as('refunder', 'pw-refunder-1');
		const cancel = await refunder.post('/b/pbl/v2/operation/', {
			operation: 'cancel',
			session_id: txn.session_id,
		});
		expect(cancel.status).toBe(403);
		const ok = await refunder.post('/b/pbl/v2/operation/', {
			operation: 'refund',
			session_id: txn.session_id,
			amount: '1',
		});
		expect(ok.status).toBe(200);
		expect(ok.data.initiator.username).toBe('refunder');
		expect((await ledger(h, txn.session_id)).refunded).toBe('1.000');
	});

	it('the pay control route refuses bad outcomes and double payment', async () => {
		const txn = await createTxn(h);
		expect(
			(
				await h.client.send('POST', `/__sandbox/sessions/${txn.session_id}/pay`, {
					outcome: 'maybe',
				})
			).status,
		).toBe(400);
		await payTxn(h, txn.session_id, 'failed');
		expect((await ledger(h, txn.session_id)).state).toBe('attempted');
		await payTxn(h, txn.session_id, 'paid');
		const twice = await h.client.send('POST', `/__sandbox/sessions/${txn.session_id}/pay`, {
			outcome: 'paid',
		});
		expect(twice.status).toBe(400);
		expect(twice.data).toEqual({
			detail: 'This payment transaction is paid and cannot be paid.',
			result: 'failed',
		});
		expect(
			(await h.client.send('POST', '/__sandbox/sessions/nope/pay', { outcome: 'paid' })).status,
		).toBe(404);
	});

	it('expires on the next payment attempt once expiration_time passed on the sandbox clock', async () => {
		const txn = await createTxn(h, { expiration_time: '00:10:00' });
		await h.client.clock({ advance_seconds: 601 });
		const late = await h.client.send('POST', `/__sandbox/sessions/${txn.session_id}/pay`, {
			outcome: 'failed',
		});
		expect(late.status).toBe(400);
		expect((await ledger(h, txn.session_id)).state).toBe('expired');
	});
});
