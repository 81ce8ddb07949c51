/**
 * Every operation of the Ottu node under every fault the sandbox can inject, through n8n's real engine and
 * real HTTP. What is proven:
 * - reads recover by retrying and return the right data;
 * - money-moving requests (Tracking-Key) recover by retrying with the same key and leave exactly one effect
 *   in the sandbox's ledger, even when the first attempt was carried out and its answer lost;
 * - requests that are never repeated (creates, updates, cancels, deletes, notifications) are sent once,
 *   fail with an error that says the outcome is unknown when it is, and are never carried out twice;
 * - every error is readable: its exact text is asserted.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, startSandbox } from '../helpers/sandbox';
import {
	addFault,
	api,
	clearFaults,
	Figures,
	ledgerOf,
	newTransaction,
	paidTransaction,
	pause,
	pendingFaults,
	reset,
	seedCard,
	useFastBackoff,
} from './support';

/** Per-request timeout set through the node's Options → Timeout, and the latency that exceeds it. */
const TIMEOUT_MS = 250;
const LATENCY_MS = 700;

type Policy = 'read' | 'tracked' | 'once';

interface Prepared {
	parameters: IDataObject;
	/** How many times the sandbox carried the request out (money moved, record created, ...). */
	effects(): Promise<number>;
	/** The output items are the right answer (nothing lost or mixed up). */
	checkOutput(output: IDataObject[]): void;
}

interface OperationCase {
	name: string;
	policy: Policy;
	/** The fault route, as the sandbox's fault API takes it. */
	route: string;
	prepare(sandbox: Sandbox): Promise<Prepared>;
}

const AGREEMENT = {
	id: 'AGR-REL-1',
	type: 'recurring',
	amount_variability: 'fixed',
	frequency: 'monthly',
	cycle_interval_days: 30,
	total_cycles: 12,
	expiry_date: '01/04/2099',
	max_amount_per_cycle: '25.000',
};

const applePayToken = {
	paymentData: { version: 'EC_v1', data: 'encrypted', signature: 'c2ln', header: { ephemeralPublicKey: 'a2V5', publicKeyHash: 'aGFzaA==', transactionId: 'f00d' } },
	paymentMethod: { displayName: 'Visa 0008', network: 'Visa', type: 'debit' },
	transactionIdentifier: 'F00D',
};

const googlePayData = {
	apiVersion: 2,
	apiVersionMinor: 0,
	paymentMethodData: { type: 'CARD', description: 'Visa 1111', info: { cardNetwork: 'VISA', cardDetails: '1111' }, tokenizationData: { type: 'PAYMENT_GATEWAY', token: 'gp-token' } },
};

function single(expected: IDataObject, exact = false): Prepared['checkOutput'] {
	return (output) => {
		expect(output).toHaveLength(1);
		if (exact) expect(output[0]).toEqual(expected);
		else expect(output[0]).toMatchObject(expected);
	};
}

function successfulAttempts(book: { attempts: Array<{ result: string }> }): number {
	return book.attempts.filter((a) => a.result === 'success').length;
}

const OPERATIONS: OperationCase[] = [
	// ---- reads -------------------------------------------------------------------------------------
	{
		name: 'Payment Transaction → Get',
		policy: 'read',
		route: 'GET /b/checkout/v1/pymt-txn/*',
		async prepare(sandbox) {
			const txn = await newTransaction(sandbox, { amount: '12.345', order_no: 'REL-GET' });
			return {
				parameters: { resource: 'paymentTransaction', operation: 'get', session_id: txn.session_id },
				effects: async () => 0,
				checkOutput: single({ session_id: txn.session_id, amount: '12.345', order_no: 'REL-GET' }),
			};
		},
	},
	{
		name: 'Payment Status → Check',
		policy: 'read',
		route: 'POST /b/pbl/v2/inquiry/',
		async prepare(sandbox) {
			const sid = await paidTransaction(sandbox, { amount: '3.500' });
			return {
				parameters: { resource: 'paymentStatus', operation: 'check', identifyBy: 'sessionId', session_id: sid },
				effects: async () => 0,
				checkOutput: single({ session_id: sid, state: 'paid', amount: '3.500' }),
			};
		},
	},
	{
		name: 'Payment Method → Get Many',
		policy: 'read',
		route: 'POST /b/pbl/v2/payment-methods/',
		async prepare() {
			return {
				parameters: { resource: 'paymentMethod', operation: 'getAll', plugin: 'e_commerce', returnAll: true },
				effects: async () => 0,
				checkOutput: (out) => expect(out.map((m) => m.code)).toEqual(expect.arrayContaining(['knet-test', 'credit-card', 'apple-pay'])),
			};
		},
	},
	{
		name: 'Card → Get Many',
		policy: 'read',
		route: 'POST /b/pbl/v2/card/',
		async prepare(sandbox) {
			const card = await seedCard(sandbox, { customer_id: 'cust-rel', pg_code: 'credit-card', token: '4000000000000008' });
			return {
				parameters: { resource: 'card', operation: 'getAll', customer_id: 'cust-rel', environment: 'sandbox', returnAll: true },
				effects: async () => 0,
				checkOutput: single({ token: card.token, customer_id: 'cust-rel' }),
			};
		},
	},
	{
		name: 'Report → Get Many',
		policy: 'read',
		route: 'GET /b/api/v1/reports/files/',
		async prepare() {
			return {
				parameters: { resource: 'report', operation: 'getAll', returnAll: true },
				effects: async () => 0,
				checkOutput: (out) => expect(out.map((r) => r.report_name)).toEqual(['Daily transactions', 'Weekly settlements', 'Refunds (manual export)']),
			};
		},
	},
	{
		name: 'Report → Download',
		policy: 'read',
		route: 'GET /b/api/v1/reports/files/*/download/',
		async prepare(sandbox) {
			const list = await api<{ results: IDataObject[] }>(sandbox, 'GET', '/b/api/v1/reports/files/');
			const report = list.data.results.find((r) => r.report_name === 'Daily transactions')!;
			return {
				parameters: { resource: 'report', operation: 'download', report: report.download_action },
				effects: async () => 0,
				checkOutput: single({ file_size: '65.5 kB', mime_type: 'text/csv', file_name: expect.stringMatching(/\.csv$/) }),
			};
		},
	},
	// ---- money-moving, with a Tracking-Key ---------------------------------------------------------------
	{
		name: 'Payment Operation → Refund',
		policy: 'tracked',
		route: 'POST /b/pbl/v2/operation/',
		async prepare(sandbox) {
			const sid = await paidTransaction(sandbox, { amount: '10.000' });
			return {
				parameters: { resource: 'paymentOperation', operation: 'refund', identifyBy: 'sessionId', session_id: sid, amount: '4' },
				async effects() {
					const book = await ledgerOf(sandbox, sid);
					const refunds = book.operations.filter((o) => o.operation === 'refund').length;
					expect(book.refunded).toBe((4 * refunds).toFixed(3));
					return refunds;
				},
				checkOutput: single({ operation: 'refund', amount: '4.000', result: 'success', session_id: sid }),
			};
		},
	},
	{
		name: 'Payment Operation → Capture',
		policy: 'tracked',
		route: 'POST /b/pbl/v2/operation/',
		async prepare(sandbox) {
			const sid = await paidTransaction(sandbox, { amount: '20.000', pg_codes: ['mpgs-auth'] }, 'authorized');
			return {
				parameters: { resource: 'paymentOperation', operation: 'capture', identifyBy: 'sessionId', session_id: sid, amount: '15' },
				async effects() {
					const book = await ledgerOf(sandbox, sid);
					return book.operations.filter((o) => o.operation === 'capture').length;
				},
				checkOutput: single({ operation: 'capture', amount: '15.000', result: 'success' }),
			};
		},
	},
	{
		name: 'Payment Operation → Void',
		policy: 'tracked',
		route: 'POST /b/pbl/v2/operation/',
		async prepare(sandbox) {
			const sid = await paidTransaction(sandbox, { amount: '20.000', pg_codes: ['mpgs-auth'] }, 'authorized');
			return {
				parameters: { resource: 'paymentOperation', operation: 'void', identifyBy: 'sessionId', session_id: sid },
				async effects() {
					const book = await ledgerOf(sandbox, sid);
					return book.operations.filter((o) => o.operation === 'void').length;
				},
				checkOutput: single({ operation: 'void', result: 'success' }),
			};
		},
	},
	{
		name: 'Native Payment → Apple Pay',
		policy: 'tracked',
		route: 'POST /b/pbl/v2/payment/apple-pay/',
		async prepare(sandbox) {
			const txn = await newTransaction(sandbox, { amount: '9.750', pg_codes: ['apple-pay'] });
			const sid = txn.session_id as string;
			return {
				parameters: { resource: 'nativePayment', operation: 'applePay', session_id: sid, payload: JSON.stringify(applePayToken) },
				effects: async () => successfulAttempts(await ledgerOf(sandbox, sid)),
				checkOutput: single({ session_id: sid, state: 'paid', result: 'success' }),
			};
		},
	},
	{
		name: 'Native Payment → Google Pay',
		policy: 'tracked',
		route: 'POST /b/pbl/v2/payment/google-pay/',
		async prepare(sandbox) {
			const txn = await newTransaction(sandbox, { amount: '4.250', pg_codes: ['google-pay'] });
			const sid = txn.session_id as string;
			return {
				parameters: { resource: 'nativePayment', operation: 'googlePay', session_id: sid, payload: JSON.stringify(googlePayData) },
				effects: async () => successfulAttempts(await ledgerOf(sandbox, sid)),
				checkOutput: single({ session_id: sid, state: 'paid', result: 'success' }),
			};
		},
	},
	{
		name: 'Native Payment → Auto-Debit',
		policy: 'tracked',
		route: 'POST /b/pbl/v2/payment/auto-debit/',
		async prepare(sandbox) {
			const card = await seedCard(sandbox, { customer_id: 'cust-ad', pg_code: 'credit-card', agreements: [AGREEMENT.id] });
			const txn = await newTransaction(sandbox, { amount: '7.000', payment_type: 'auto_debit', customer_id: 'cust-ad', agreement: AGREEMENT });
			const sid = txn.session_id as string;
			return {
				parameters: { resource: 'nativePayment', operation: 'autoDebit', session_id: sid, token: card.token },
				effects: async () => successfulAttempts(await ledgerOf(sandbox, sid)),
				checkOutput: single({ session_id: sid, state: 'paid', result: 'success' }),
			};
		},
	},
	// ---- sent once ---------------------------------------------------------------------------------
	{
		name: 'Payment Transaction → Create',
		policy: 'once',
		route: 'POST /b/checkout/v1/pymt-txn/',
		async prepare(sandbox) {
			const before = sandbox.store.transactions.size;
			return {
				parameters: { resource: 'paymentTransaction', operation: 'create', type: 'e_commerce', amount: '8', currency_code: 'KWD', pg_codes: ['credit-card'], order_no: 'REL-CREATE' },
				effects: async () => sandbox.store.transactions.size - before,
				checkOutput: single({ amount: '8.000', order_no: 'REL-CREATE', state: 'created' }),
			};
		},
	},
	{
		name: 'Payment Transaction → Update',
		policy: 'once',
		route: 'PATCH /b/checkout/v1/pymt-txn/*',
		async prepare(sandbox) {
			const txn = await newTransaction(sandbox);
			const sid = txn.session_id as string;
			return {
				parameters: { resource: 'paymentTransaction', operation: 'update', session_id: sid, updateFields: { customer_email: 'updated@example.com' } },
				effects: async () => (sandbox.store.transactions.get(sid)?.fields.customer_email === 'updated@example.com' ? 1 : 0),
				checkOutput: single({ session_id: sid, customer_email: 'updated@example.com' }),
			};
		},
	},
	...(['cancel', 'expire', 'delete'] as const).map(
		(operation): OperationCase => ({
			name: `Payment Operation → ${operation[0].toUpperCase()}${operation.slice(1)}`,
			policy: 'once',
			route: 'POST /b/pbl/v2/operation/',
			async prepare(sandbox) {
				const txn = await newTransaction(sandbox, { order_no: `REL-${operation}` });
				const sid = txn.session_id as string;
				return {
					parameters: { resource: 'paymentOperation', operation, identifyBy: 'orderNo', order_no: `REL-${operation}` },
					effects: async () => (await ledgerOf(sandbox, sid)).operations.filter((o) => o.operation === operation && o.result === 'success').length,
					checkOutput: single({ operation, result: 'success' }),
				};
			},
		}),
	),
	{
		name: 'Card → Delete',
		policy: 'once',
		route: 'DELETE /b/pbl/v2/card/*',
		async prepare(sandbox) {
			const card = await seedCard(sandbox, { customer_id: 'cust-del', pg_code: 'credit-card' });
			return {
				parameters: { resource: 'card', operation: 'delete', token: card.token, customer_id: 'cust-del', environment: 'sandbox' },
				effects: async () => (sandbox.store.cards.has(card.token as string) ? 0 : 1),
				checkOutput: single({ deleted: true, token: card.token }, true),
			};
		},
	},
	{
		name: 'Notification → Resend',
		policy: 'once',
		route: 'POST /b/pbl/v2/message-notification/',
		async prepare(sandbox) {
			const txn = await newTransaction(sandbox, { customer_email: 'buyer@example.com', notifications: { email: ['created'] } });
			const sid = txn.session_id as string;
			const before = sandbox.store.notifications.length;
			return {
				parameters: { resource: 'notification', operation: 'resend', identifyBy: 'sessionId', session_id: sid, channels: ['email'] },
				effects: async () => sandbox.store.notifications.length - before,
				checkOutput: single({ session_id: sid, channels: ['email'] }),
			};
		},
	},
	{
		name: 'Invoice → Create',
		policy: 'once',
		route: 'POST /b/invoice/v1/invoice/',
		async prepare(sandbox) {
			const before = sandbox.store.transactions.size;
			return {
				parameters: {
					resource: 'invoice',
					operation: 'create',
					type: 'payment_request',
					currency_code: 'KWD',
					pg_codes: ['credit-card'],
					invoice_number: 'INV-REL-1',
					due_date: '2026-12-31',
					invoiceItems: { item: [{ sku: 'SKU-1', description: 'Widget', quantity: '3', unit_price: '1.255' }] },
				},
				effects: async () => sandbox.store.transactions.size - before,
				checkOutput: single({ invoice_number: 'INV-REL-1', amount: '3.765' }),
			};
		},
	},
];

interface FaultCase {
	name: string;
	fault: IDataObject;
	/** Whether the fault strikes after Ottu did the work (its answer is lost or garbled). */
	afterCommit: boolean;
	/** Waits longer than the node's timeout: the sandbox finishes the request after the node gave up. */
	slow?: boolean;
	/** More consecutive failures than the transport's attempt limit. */
	exhausts?: boolean;
	/** The error text a request that is not repeated (or that ran out of attempts) must give. */
	message: RegExp;
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

const FAULTS: FaultCase[] = [
	{ name: 'latency past the timeout', fault: { kind: 'latency', ms: LATENCY_MS, count: 1 }, afterCommit: true, slow: true, message: /^Ottu did not answer within 250 ms \[item 0\]$/ },
	{ name: 'HTTP 500 twice', fault: { kind: 'status', status: 500, count: 2 }, afterCommit: false, message: /^Ottu refused the request \(HTTP 500\): Server Error \(500\) \[item 0\]$/ },
	{ name: 'HTTP 502 HTML page', fault: { kind: 'status', status: 502, body: HTML_PAGE, count: 1 }, afterCommit: false, message: /^Ottu refused the request \(HTTP 502\): Ottu answered with an HTML page instead of JSON \[item 0\]$/ },
	{ name: 'HTTP 503 four times in a row', fault: { kind: 'status', status: 503, body: { detail: 'Service temporarily unavailable.' }, count: 4 }, afterCommit: false, message: /^Ottu refused the request \(HTTP 503\): Service temporarily unavailable\. \[item 0\]$/ },
	{ name: 'connection reset', fault: { kind: 'reset', count: 2 }, afterCommit: false, message: /^The connection to Ottu was interrupted \[item 0\]$/ },
	{ name: '429 storm within the limit (Retry-After: 0)', fault: { kind: 'rate_limit', retry_after: 0, count: 4 }, afterCommit: false, message: /^Ottu refused the request \(HTTP 429\)/ },
	{ name: '429 storm beyond the limit (Retry-After: 0)', fault: { kind: 'rate_limit', retry_after: 0, count: 50 }, afterCommit: false, exhausts: true, message: /^Ottu refused the request \(HTTP 429\): Request was throttled\..* \[item 0\]$/ },
	{ name: 'cut-off JSON body', fault: { kind: 'malformed', count: 1 }, afterCommit: true, message: /^Ottu answered HTTP 200 with a cut-off or malformed answer instead of JSON \[item 0\]$/ },
	{ name: 'empty body', fault: { kind: 'malformed', body: '', count: 1 }, afterCommit: true, message: /^Ottu answered HTTP 200 with an empty answer instead of JSON \[item 0\]$/ },
	{ name: 'HTML body with status 200', fault: { kind: 'malformed', body: HTML_PAGE, count: 1 }, afterCommit: true, message: /^Ottu answered HTTP 200 with an HTML page instead of JSON \[item 0\]$/ },
	{ name: 'committed, then the response dropped', fault: { kind: 'drop_after_commit', count: 1 }, afterCommit: true, message: /^The connection to Ottu was interrupted \[item 0\]$/ },
];

const UNSURE = 'The request may or may not have been carried out: check in Ottu before running it again.';

const figures = new Figures('faults');
const rows: Array<{ operation: string; policy: Policy; fault: string; outcome: 'recovered' | 'clear error'; effects: number }> = [];

describe('every operation under every injected fault', () => {
	let sandbox: Sandbox;
	useFastBackoff();
	beforeAll(async () => {
		sandbox = await startSandbox({ inquiryThrottling: false, webhooks: { timeoutMs: 200, retries: 0, backoffMs: 1 } });
	});
	afterAll(async () => {
		await sandbox.close();
		figures.set('operations', [...new Set(rows.map((r) => r.operation))]);
		figures.set('faults', FAULTS.map((f) => f.name));
		figures.set('rows', rows);
		figures.save();
	});
	beforeEach(async () => {
		await clearFaults(sandbox);
		await reset(sandbox);
	});

	const cases = OPERATIONS.flatMap((op) => FAULTS.map((fault) => [op.name, fault.name, op, fault] as const));

	it.each(cases)('%s — %s', async (_opName, _faultName, op, fault) => {
		const prepared = await op.prepare(sandbox);
		const count = fault.fault.count as number;
		await addFault(sandbox, { route: op.route, ...fault.fault });
		const started = Date.now();
		const { items, error } = await runOttu({
			parameters: { ...prepared.parameters, options: { timeout: TIMEOUT_MS } },
			credentials: apiKeyCredentials(sandbox),
		});
		// A slow request is still carried out after the node gave up on it: wait for it before counting.
		if (fault.slow) await pause(Math.max(0, LATENCY_MS + 150 - (Date.now() - started)));
		const remaining = ((await pendingFaults(sandbox)) as Array<{ remaining: number }>)[0]?.remaining ?? 0;
		const attempts = fault.exhausts ? count - remaining : count - remaining + (error ? 0 : 1);
		const effects = await prepared.effects();
		figures.count('runs');

		// Repeating is safe for reads and Tracking-Key requests; a 429 is refused before anything is done.
		const repeatable = op.policy !== 'once' || fault.fault.kind === 'rate_limit';
		if (repeatable && !fault.exhausts) {
			expect(error).toBeUndefined();
			prepared.checkOutput(items.map((item) => item.json));
			expect(effects).toBe(op.policy === 'read' ? 0 : 1);
			figures.count('recovered');
			rows.push({ operation: op.name, policy: op.policy, fault: fault.name, outcome: 'recovered', effects });
		} else {
			expect(error?.message).toMatch(fault.message);
			expect(items).toHaveLength(0);
			if (fault.exhausts) {
				expect(attempts).toBe(5);
				expect(error?.description).toContain('rate limiting this account');
				expect(error?.description).toContain('Tried 5 times');
				expect(effects).toBe(0);
			} else {
				// Sent exactly once, never repeated.
				expect(attempts).toBe(1);
				expect(effects).toBe(fault.afterCommit ? 1 : 0);
				expect(error?.description).toContain(UNSURE);
			}
			figures.count('clear errors');
			rows.push({ operation: op.name, policy: op.policy, fault: fault.name, outcome: 'clear error', effects });
		}
		if (op.policy === 'tracked') figures.count('money-moving runs');
		if (effects > 1) figures.count('double effects');
		// Lost result: the sandbox did the work but the workflow neither got the result nor an error saying so.
		if (effects > 0 && error === undefined && items.length === 0) figures.count('lost results');
		expect(effects).toBeLessThanOrEqual(1);
	});
});
