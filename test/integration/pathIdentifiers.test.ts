/**
 * Identifiers that go into a URL path, through n8n's real engine against the sandbox: "." and ".." survive
 * encodeURIComponent and URL resolution then drops a segment, so an authenticated request (a DELETE too)
 * would reach another endpoint. They are refused before anything is sent, and nothing changes.
 */
import type { IDataObject } from 'n8n-workflow';

import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials } from '../helpers/sandbox';
import { apiRequests, createTransaction, ledger, seedCard, useSandbox } from './support';

describe('identifiers that would change the endpoint', () => {
	const harness = useSandbox();

	const run = (parameters: IDataObject, items: IDataObject[]) =>
		runOttu({
			parameters,
			items,
			credentials: apiKeyCredentials(harness.sandbox),
			continueOnFail: true,
		});

	const refusedEach = (output: Array<{ json: IDataObject }>, field: string) =>
		output.forEach((item, i) => {
			expect(item.json.error).toMatch(
				new RegExp(`^${field} ".*" is not valid: Ottu expects .+ \\[item ${i}\\]$`),
			);
			expect(item.json.message).toMatch(/Nothing was sent to Ottu\.$/);
		});

	it('Card → Delete with a ".." token deletes nothing and sends nothing', async () => {
		const card = await seedCard(harness.sandbox, { customer_id: 'cust-1', pg_code: 'credit-card' });
		const before = await apiRequests(harness.sandbox);
		const { items, error } = await run(
			{
				resource: 'card',
				operation: 'delete',
				token: '={{ $json.token }}',
				customerId: 'cust-1',
				environment: 'sandbox',
			},
			[{ token: '..' }, { token: '.' }, { token: `${card.token}/..` }],
		);
		expect(error).toBeUndefined();
		refusedEach(items, 'Card Token');
		expect(await apiRequests(harness.sandbox)).toEqual(before);
		expect(harness.sandbox.store.cards.has(card.token)).toBe(true);
	});

	it('Payment Operation → Delete with a ".." session_id deletes nothing and sends nothing', async () => {
		const txn = await createTransaction(harness.sandbox);
		const before = await apiRequests(harness.sandbox);
		const { items, error } = await run(
			{
				resource: 'paymentOperation',
				operation: 'delete',
				identifyBy: 'sessionId',
				sessionId: '={{ $json.sid }}',
			},
			[{ sid: '..' }, { sid: `${txn.session_id}/..` }, { sid: '%2e%2e' }],
		);
		expect(error).toBeUndefined();
		refusedEach(items, 'Session ID');
		expect(await apiRequests(harness.sandbox)).toEqual(before);
		expect((await ledger(harness.sandbox, txn.session_id)).deleted).toBeNull();
	});

	it('Payment Transaction → Get and Update, and Report → Download, refuse dot segments before sending', async () => {
		const get = await run(
			{ resource: 'paymentTransaction', operation: 'get', sessionId: '={{ $json.sid }}' },
			[{ sid: '.' }, { sid: '..' }],
		);
		refusedEach(get.items, 'Session ID');
		const update = await run(
			{
				resource: 'paymentTransaction',
				operation: 'update',
				sessionId: '={{ $json.sid }}',
				updateFields: { customerId: 'c-1' },
			},
			[{ sid: '..' }],
		);
		refusedEach(update.items, 'Session ID');
		const download = await run(
			{ resource: 'report', operation: 'download', report: '={{ $json.token }}' },
			[{ token: '..' }, { token: '.' }],
		);
		refusedEach(download.items, 'Report');
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});
});
