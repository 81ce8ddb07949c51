/**
 * A cancel or expire whose answer was lost is settled by one read of the transaction when it is named by its
 * Session ID (the state it leaves can be read); by Order No, or when the read shows it not done, the item
 * fails as before saying the outcome is unknown. Nothing is sent twice.
 */
import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials } from '../helpers/sandbox';
import { addFault, apiRequests, newTransaction, useFreshSandbox } from './support';

describe('cancel and expire settled by reading the transaction', () => {
	let sandbox: Sandbox;
	useFreshSandbox((started) => (sandbox = started));

	const run = (operation: string, select: Record<string, string>) =>
		runOttu({
			parameters: { resource: 'paymentOperation', operation, ...select },
			credentials: apiKeyCredentials(sandbox),
		});

	it.each([
		['cancel', 'canceled'],
		['expire', 'expired'],
	])('%s whose answer was lost, by Session ID: the read shows it %s', async (operation, state) => {
		const txn = await newTransaction(sandbox, { order_no: `SR-${operation}` });
		const sid = txn.session_id as string;
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'drop_after_commit',
			count: 1,
		});
		const { items, error } = await run(operation, { identifyBy: 'sessionId', sessionId: sid });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			operation,
			result: 'success',
			session_id: sid,
			state,
			outcome_settled_by: 'lookup',
		});
		expect(sandbox.store.transactions.get(sid)?.state).toBe(state);
		expect((await apiRequests(sandbox)).slice(1)).toEqual([`GET /b/checkout/v1/pymt-txn/${sid}/`]);
	});

	it('a cancel that failed with a 5xx before anything was done: the read shows it not canceled, so it fails as before', async () => {
		const txn = await newTransaction(sandbox);
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'status',
			status: 502,
			count: 1,
		});
		const { error } = await run('cancel', {
			identifyBy: 'sessionId',
			sessionId: txn.session_id as string,
		});
		expect(error?.message).toMatch(/^Ottu refused the request \(HTTP 502\)/);
		expect(error?.description).toContain('check in Ottu before running it again');
		expect(sandbox.store.transactions.get(txn.session_id as string)?.state).toBe('created');
	});

	it('by Order No there is no read (only a throttled status check could tell): it fails as before', async () => {
		await newTransaction(sandbox, { order_no: 'SR-ORDER' });
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'drop_after_commit',
			count: 1,
		});
		const { error } = await run('cancel', { identifyBy: 'orderNo', orderNo: 'SR-ORDER' });
		expect(error?.message).toBe('The connection to Ottu was interrupted [item 0]');
		expect((await apiRequests(sandbox)).slice(1)).toEqual([]);
	});
});
