/**
 * "Running it again is safe" must be true of the re-runs users make: after a refund whose every answer was lost,
 * a new run whose item changed where it does not matter (a fresh timestamp, a re-fetched status, a webhook
 * re-sent with another header), or which names the transaction by Order No instead of Session ID, sends the
 * same automatic Tracking-Key, so Ottu answers with the first refund instead of refunding twice.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials } from '../helpers/sandbox';
import {
	addFault,
	clearFaults,
	Figures,
	ledgerOf,
	newTransaction,
	pay,
	useFreshSandbox,
} from './support';

const figures = new Figures('rerun-keys');
const rows: Array<Record<string, unknown>> = [];
afterAll(() => {
	figures.set('rows', rows);
	figures.save();
});

const byWebhook = {
	resource: 'paymentOperation',
	operation: 'refund',
	identifyBy: 'sessionId',
	sessionId: '={{ $json.body.session_id }}',
	amount: '={{ $json.body.amount }}',
};

describe('a lost refund run again with a changed item refunds once', () => {
	let sandbox: Sandbox;
	useFreshSandbox((started) => (sandbox = started));

	async function paid(orderNo: string, authorized = false): Promise<string> {
		const txn = await newTransaction(sandbox, {
			amount: '10.000',
			order_no: orderNo,
			...(authorized ? { pg_codes: ['mpgs-auth'] } : {}),
		});
		await pay(sandbox, txn.session_id as string, authorized ? 'authorized' : 'paid');
		return txn.session_id as string;
	}

	/** The first run: every answer lost, so the node fails naming the key and when a repeat is safe. */
	async function lostRun(parameters: IDataObject, item: IDataObject): Promise<void> {
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'drop_after_commit',
			count: 5,
		});
		const first = await runOttu({
			parameters,
			items: [item],
			credentials: apiKeyCredentials(sandbox),
		});
		expect(first.error?.message).toBe('The connection to Ottu was interrupted [item 0]');
		expect(first.error?.description).toMatch(
			/running it again with the same Tracking-Key \(n8n-[0-9a-f]{40}\) is safe.*by a new run when Tracking-Key is Automatic and the transaction, amount and options are the same; or with Custom set to this key\./,
		);
		await clearFaults(sandbox);
	}

	async function rerunReplays(
		sid: string,
		parameters: IDataObject,
		item: IDataObject,
		fault: string,
	) {
		const rerun = await runOttu({
			parameters,
			items: [item],
			credentials: apiKeyCredentials(sandbox),
		});
		expect(rerun.error).toBeUndefined();
		const operation = parameters.operation as string;
		const book = await ledgerOf(sandbox, sid);
		const refunds = book.operations.filter((o) => o.operation === operation);
		expect(refunds).toHaveLength(1);
		expect(rerun.items[0].json).toMatchObject({
			replayed: true,
			tracking_key: refunds[0].tracking_key,
		});
		figures.count('re-runs');
		figures.count('duplicates', refunds.length - 1);
		rows.push({
			operation: `Payment Operation → ${operation[0].toUpperCase()}${operation.slice(1)}`,
			path: 're-run with a changed item',
			fault,
			duplicates: refunds.length - 1,
			lost: rerun.items.length === 1 ? 0 : 1,
		});
	}

	it.each(['refund', 'capture', 'void'])(
		'a %s from a webhook item re-sent with an extra X-Request-Id header and another receive time',
		async (operation) => {
			const sid = await paid(`RK-1-${operation}`, operation !== 'refund');
			const { amount, ...rest } = byWebhook;
			const parameters = { ...rest, operation, ...(operation === 'void' ? {} : { amount }) };
			const delivery = (headers: IDataObject) => ({
				headers: { 'content-type': 'application/json', ...headers },
				query: {},
				body: { session_id: sid, amount: '5.000', state: 'paid' },
				webhookUrl: 'http://127.0.0.1/webhook/refund',
				executionMode: 'production',
			});
			await lostRun(parameters, delivery({ 'x-received': '1' }));
			await rerunReplays(
				sid,
				parameters,
				delivery({ 'x-received': '2', 'x-request-id': 'r-2' }),
				'webhook re-sent with another header',
			);
		},
	);

	it('an item re-fetched after the refund (its state and amounts changed) with a fresh Schedule timestamp', async () => {
		const sid = await paid('RK-2');
		const parameters = {
			...byWebhook,
			sessionId: '={{ $json.session_id }}',
			amount: '5',
		};
		await lostRun(parameters, { session_id: sid, state: 'paid', timestamp: '2026-12-07T10:00' });
		await rerunReplays(
			sid,
			parameters,
			{
				session_id: sid,
				state: 'refunded',
				refunded_amount: '5.000',
				timestamp: '2026-12-07T11:00',
			},
			'status re-fetched, fresh timestamp',
		);
	});

	it('the re-run names the transaction by Order No instead of Session ID', async () => {
		const sid = await paid('RK-3');
		await lostRun({ ...byWebhook, sessionId: sid, amount: '5' }, {});
		await rerunReplays(
			sid,
			{ ...byWebhook, identifyBy: 'orderNo', orderNo: 'RK-3', amount: '5.000' },
			{},
			'Order No instead of Session ID',
		);
	});
});
