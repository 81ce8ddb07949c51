import { createTxn, ledger, operation, payTxn, startHarness } from './helpers';
import type { Harness } from './helpers';

/**
 * A Tracking-Key is stored when the operation is initiated (Ottu's OpenAPI): a repeat while that operation is
 * still being carried out is refused with `operation: "operation_tracking"`, and once it is done the repeat is
 * answered with the original operation. The `slow_work` fault makes the work slow after the key was stored.
 */
describe('POST /b/pbl/v2/operation/ with a Tracking-Key still in flight', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(async () => h.sandbox.close());
	beforeEach(async () => {
		await h.client.reset();
	});

	it('refuses the repeat with operation_tracking while the first is carried out, then replays it; one refund', async () => {
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		await h.client.addFault({
			route: 'POST /b/pbl/v2/operation/',
			kind: 'slow_work',
			ms: 600,
			count: 1,
		});
		const body = { operation: 'refund', session_id: txn.session_id, amount: '2' };
		const first = operation(h, body, 'slow-key');
		// Sent once the first one has been received (and its key stored).
		await new Promise((resolve) => setTimeout(resolve, 150));
		const during = await operation(h, body, 'slow-key');
		expect(during.status).toBe(400);
		expect(during.data).toEqual({
			detail: 'An operation with this Tracking-Key is still being processed.',
			operation: 'operation_tracking',
			result: 'failed',
		});
		expect((await first).data).toMatchObject({ operation: 'refund', result: 'success' });
		const after = await operation(h, body, 'slow-key');
		expect(after.status).toBe(200);
		expect(after.data).toMatchObject({ state: 'refunded', amount: '2.000' });
		const book = await ledger(h, txn.session_id);
		expect(book.operations).toHaveLength(1);
	});

	it('another key on the same transaction is not held up', async () => {
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		await h.client.addFault({
			route: 'POST /b/pbl/v2/operation/',
			kind: 'slow_work',
			ms: 400,
			count: 1,
		});
		const body = { operation: 'refund', session_id: txn.session_id, amount: '2' };
		const first = operation(h, body, 'key-a');
		await new Promise((resolve) => setTimeout(resolve, 100));
		const other = await operation(h, body, 'key-b');
		expect(other.data).toMatchObject({ operation: 'refund', result: 'success' });
		expect((await first).data).toMatchObject({ result: 'success' });
		expect((await ledger(h, txn.session_id)).operations).toHaveLength(2);
	});
});
