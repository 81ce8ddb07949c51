/**
 * Every operation of the Ottu node as a test case: how to set it up in the sandbox, the node parameters,
 * how to count its effects in the sandbox (money moved, records created), and what its output must be.
 * Shared by the fault and secrets suites.
 */
import type { IDataObject } from 'n8n-workflow';
import { applePayToken, googlePayData } from '../helpers/wallets';

import type { Sandbox } from '../../sandbox/server';
import type { TestFile } from '../helpers/n8n';
import type { LedgerView } from './support';
import { api, ledgerOf, newTransaction, paidTransaction, seedCard } from './support';

export type Policy = 'read' | 'tracked' | 'once';

export interface Prepared {
	parameters: IDataObject;
	/** Binary input files, for operations that upload one. */
	files?: Array<Record<string, TestFile> | null>;
	/** How many times the sandbox carried the request out (money moved, record created, ...). */
	effects(): Promise<number>;
	/** The output items are the right answer (nothing lost or mixed up). */
	checkOutput(output: IDataObject[]): void;
	/** For a request sent once: the sentence its error must give when the outcome is unknown (default: the general one). */
	unsure?: string;
}

export interface OperationCase {
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

function single(expected: IDataObject, exact = false): Prepared['checkOutput'] {
	return (output) => {
		expect(output).toHaveLength(1);
		if (exact) expect(output[0]).toEqual(expected);
		else expect(output[0]).toMatchObject(expected);
	};
}

/**
 * A refund, capture or void: Ottu's own answer, or, when the transport had to ask again after a lost answer,
 * Ottu's replay of the original operation (payment-webhook shape), which the output must call a replay.
 */
function moneyOutput(fresh: IDataObject, replay: IDataObject): Prepared['checkOutput'] {
	return (output) => {
		expect(output).toHaveLength(1);
		if (output[0].replayed === true) {
			expect(output[0]).toMatchObject({
				...replay,
				replay_cause: 'lost_answer',
				tracking_key_source: 'automatic',
			});
			expect(output[0].replay_note).toContain('was made once');
		} else
			expect(output[0]).toMatchObject({
				...fresh,
				replayed: false,
				tracking_key_source: 'automatic',
			});
	};
}

/** What a native charge's error says when its answer was lost: it may have gone through, check before charging again. */
export const chargeUnsure = (sid: string) =>
	`The charge may have gone through. Check with Payment Transaction → Get or Payment Status → Check (session_id ${sid}) before charging again.`;

function successfulAttempts(book: { attempts: Array<{ result: string }> }): number {
	return book.attempts.filter((a) => a.result === 'success').length;
}

/** A refund, capture or void of a paid (or only authorized) transaction, sent with a Tracking-Key. */
function trackedOperation(t: {
	operation: 'refund' | 'capture' | 'void';
	paid: { amount: string; authorized?: boolean };
	/** The Amount parameter, for the operations that take one. */
	amount?: string;
	/** The amount Ottu answers with, and the transaction's state in a replay. */
	answered: { amount: string; state: string };
	/** A further check of the ledger, given how many such operations it holds. */
	checkLedger?: (book: LedgerView, count: number) => void;
}): OperationCase {
	return {
		name: `Payment Operation → ${t.operation[0].toUpperCase()}${t.operation.slice(1)}`,
		policy: 'tracked',
		route: 'POST /b/pbl/v2/operation/',
		async prepare(sandbox) {
			const sid = t.paid.authorized
				? await paidTransaction(
						sandbox,
						{ amount: t.paid.amount, pg_codes: ['mpgs-auth'] },
						'authorized',
					)
				: await paidTransaction(sandbox, { amount: t.paid.amount });
			return {
				parameters: {
					resource: 'paymentOperation',
					operation: t.operation,
					identifyBy: 'sessionId',
					sessionId: sid,
					...(t.amount === undefined ? {} : { amount: t.amount }),
				},
				async effects() {
					const book = await ledgerOf(sandbox, sid);
					const count = book.operations.filter((o) => o.operation === t.operation).length;
					t.checkLedger?.(book, count);
					return count;
				},
				checkOutput: moneyOutput(
					{ operation: t.operation, amount: t.answered.amount, result: 'success', session_id: sid },
					{ amount: t.answered.amount, state: t.answered.state },
				),
			};
		},
	};
}

/** A native charge of the transaction `setup` creates: counted by its successful attempts, never repeated. */
function nativeCharge(
	name: string,
	operation: string,
	path: string,
	setup: (sandbox: Sandbox) => Promise<{ sid: string; parameters: IDataObject }>,
): OperationCase {
	return {
		name: `Native Payment → ${name}`,
		policy: 'once',
		route: `POST /b/pbl/v2/payment/${path}/`,
		async prepare(sandbox) {
			const { sid, parameters } = await setup(sandbox);
			return {
				parameters: { resource: 'nativePayment', operation, sessionId: sid, ...parameters },
				effects: async () => successfulAttempts(await ledgerOf(sandbox, sid)),
				checkOutput: single({
					session_id: sid,
					state: 'paid',
					result: 'success',
					tracking_key_source: 'automatic',
				}),
				unsure: chargeUnsure(sid),
			};
		},
	};
}

export const OPERATIONS: OperationCase[] = [
	// ---- reads -------------------------------------------------------------------------------------
	{
		name: 'Payment Transaction → Get',
		policy: 'read',
		route: 'GET /b/checkout/v1/pymt-txn/*',
		async prepare(sandbox) {
			const txn = await newTransaction(sandbox, { amount: '12.345', order_no: 'REL-GET' });
			return {
				parameters: {
					resource: 'paymentTransaction',
					operation: 'get',
					sessionId: txn.session_id,
				},
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
				parameters: {
					resource: 'paymentStatus',
					operation: 'check',
					identifyBy: 'sessionId',
					sessionId: sid,
				},
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
				parameters: {
					resource: 'paymentMethod',
					operation: 'getAll',
					plugin: 'e_commerce',
					returnAll: true,
				},
				effects: async () => 0,
				checkOutput: (out) =>
					expect(out.map((m) => m.code)).toEqual(
						expect.arrayContaining(['knet-test', 'credit-card', 'apple-pay']),
					),
			};
		},
	},
	{
		name: 'Card → Get Many',
		policy: 'read',
		route: 'POST /b/pbl/v2/card/',
		async prepare(sandbox) {
			const card = await seedCard(sandbox, {
				customer_id: 'cust-rel',
				pg_code: 'credit-card',
				token: '4000000000000008',
			});
			return {
				parameters: {
					resource: 'card',
					operation: 'getAll',
					customerId: 'cust-rel',
					environment: 'sandbox',
					returnAll: true,
				},
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
				checkOutput: (out) =>
					expect(out.map((r) => r.report_name)).toEqual([
						'Daily transactions',
						'Weekly settlements',
						'Refunds (manual export)',
					]),
			};
		},
	},
	{
		name: 'Report → Download',
		policy: 'read',
		route: 'GET /b/api/v1/reports/files/*/download/',
		async prepare(sandbox) {
			const list = await api<{ results: IDataObject[] }>(
				sandbox,
				'GET',
				'/b/api/v1/reports/files/',
			);
			const report = list.data.results.find((r) => r.report_name === 'Daily transactions')!;
			return {
				parameters: { resource: 'report', operation: 'download', report: report.download_action },
				effects: async () => 0,
				checkOutput: single({
					file_size: '65.5 kB',
					mime_type: 'text/csv',
					file_name: expect.stringMatching(/\.csv$/),
				}),
			};
		},
	},
	// ---- money-moving, with a Tracking-Key on /b/pbl/v2/operation/ (retried with the same key) ---------
	trackedOperation({
		operation: 'refund',
		paid: { amount: '10.000' },
		amount: '4',
		answered: { amount: '4.000', state: 'refunded' },
		checkLedger: (book, refunds) => expect(book.refunded).toBe((4 * refunds).toFixed(3)),
	}),
	trackedOperation({
		operation: 'capture',
		paid: { amount: '20.000', authorized: true },
		amount: '15',
		answered: { amount: '15.000', state: 'paid' },
	}),
	trackedOperation({
		operation: 'void',
		paid: { amount: '20.000', authorized: true },
		answered: { amount: '20.000', state: 'voided' },
	}),
	// ---- money-moving, never repeated: native charges (Ottu documents no Tracking-Key for them) -----------
	nativeCharge('Apple Pay', 'applePay', 'apple-pay', async (sandbox) => {
		const txn = await newTransaction(sandbox, { amount: '9.750', pg_codes: ['apple-pay'] });
		return {
			sid: txn.session_id as string,
			parameters: { payload: JSON.stringify(applePayToken()) },
		};
	}),
	nativeCharge('Google Pay', 'googlePay', 'google-pay', async (sandbox) => {
		const txn = await newTransaction(sandbox, { amount: '4.250', pg_codes: ['google-pay'] });
		return {
			sid: txn.session_id as string,
			parameters: { payload: JSON.stringify(googlePayData()) },
		};
	}),
	nativeCharge('Auto-Debit', 'autoDebit', 'auto-debit', async (sandbox) => {
		const card = await seedCard(sandbox, {
			customer_id: 'cust-ad',
			pg_code: 'credit-card',
			agreements: [AGREEMENT.id],
		});
		const txn = await newTransaction(sandbox, {
			amount: '7.000',
			payment_type: 'auto_debit',
			customer_id: 'cust-ad',
			agreement: AGREEMENT,
		});
		return { sid: txn.session_id as string, parameters: { token: card.token } };
	}),
	nativeCharge('Wallet', 'wallet', 'wallet', async (sandbox) => {
		const txn = await newTransaction(sandbox, { amount: '5.500', customer_id: 'cust-wallet' });
		return { sid: txn.session_id as string, parameters: {} };
	}),
	// ---- sent once ---------------------------------------------------------------------------------
	{
		name: 'Payment Transaction → Create',
		policy: 'once',
		route: 'POST /b/checkout/v1/pymt-txn/',
		async prepare(sandbox) {
			const before = sandbox.store.transactions.size;
			return {
				parameters: {
					resource: 'paymentTransaction',
					operation: 'create',
					type: 'e_commerce',
					amount: '8',
					currencyCode: 'KWD',
					pgCodes: ['credit-card'],
					orderNo: 'REL-CREATE',
				},
				effects: async () => sandbox.store.transactions.size - before,
				checkOutput: single({ amount: '8.000', order_no: 'REL-CREATE', state: 'created' }),
			};
		},
	},
	{
		name: 'Payment Transaction → Upload Attachment',
		policy: 'once',
		route: 'POST /b/checkout/v1/upload-attachment/',
		async prepare(sandbox) {
			const txn = await newTransaction(sandbox, { order_no: 'REL-ATTACH' });
			const sid = txn.session_id as string;
			const data = Buffer.from('%PDF-1.4 reliability\n');
			return {
				parameters: {
					resource: 'paymentTransaction',
					operation: 'uploadAttachment',
					binaryPropertyName: 'data',
					attachTo: 'sessionId',
					sessionId: sid,
				},
				files: [
					{
						data: {
							base64: data.toString('base64'),
							fileName: 'terms.pdf',
							mimeType: 'application/pdf',
						},
					},
				],
				// Each stored copy of these bytes is one upload (a repeat would store a second and attach it again).
				effects: async () =>
					[...sandbox.store.attachments.values()].filter((a) => a.data.equals(data)).length,
				unsure:
					"The file may or may not have been uploaded (and attached): check the transaction's attachment in Ottu before running it again, or a second copy may be stored.",
				checkOutput: (output) => {
					expect(output).toHaveLength(1);
					expect(output[0]).toMatchObject({
						original_filename: 'terms.pdf',
						file_url: expect.stringMatching(/^attachments\/terms(_[0-9a-f]{8})?\.pdf$/),
					});
				},
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
				parameters: {
					resource: 'paymentTransaction',
					operation: 'update',
					sessionId: sid,
					updateFields: { customerEmail: 'updated@example.com' },
				},
				effects: async () =>
					sandbox.store.transactions.get(sid)?.fields.customer_email === 'updated@example.com'
						? 1
						: 0,
				checkOutput: single({ session_id: sid, customer_email: 'updated@example.com' }),
			};
		},
	},
	...(['cancel', 'expire', 'delete'] as const).map((operation): OperationCase => ({
		name: `Payment Operation → ${operation[0].toUpperCase()}${operation.slice(1)}`,
		policy: 'once',
		route: 'POST /b/pbl/v2/operation/',
		async prepare(sandbox) {
			const txn = await newTransaction(sandbox, { order_no: `REL-${operation}` });
			const sid = txn.session_id as string;
			return {
				parameters: {
					resource: 'paymentOperation',
					operation,
					identifyBy: 'orderNo',
					orderNo: `REL-${operation}`,
				},
				effects: async () =>
					(await ledgerOf(sandbox, sid)).operations.filter(
						(o) => o.operation === operation && o.result === 'success',
					).length,
				checkOutput: single({ operation, result: 'success' }),
			};
		},
	})),
	{
		name: 'Card → Delete',
		policy: 'once',
		route: 'DELETE /b/pbl/v2/card/*',
		async prepare(sandbox) {
			const card = await seedCard(sandbox, { customer_id: 'cust-del', pg_code: 'credit-card' });
			return {
				parameters: {
					resource: 'card',
					operation: 'delete',
					token: card.token,
					customerId: 'cust-del',
					environment: 'sandbox',
				},
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
			const txn = await newTransaction(sandbox, {
				customer_email: 'buyer@example.com',
				notifications: { email: ['created'] },
			});
			const sid = txn.session_id as string;
			const before = sandbox.store.notifications.length;
			return {
				parameters: {
					resource: 'notification',
					operation: 'resend',
					identifyBy: 'sessionId',
					sessionId: sid,
					channels: ['email'],
				},
				effects: async () => sandbox.store.notifications.length - before,
				checkOutput: single({ session_id: sid, channels: ['email'] }),
			};
		},
	},
	{
		name: 'Notification → Send Template',
		policy: 'once',
		route: 'POST /b/pbl/v2/send-notification/',
		async prepare(sandbox) {
			const before = sandbox.store.notifications.length;
			return {
				parameters: {
					resource: 'notification',
					operation: 'sendTemplate',
					channel: 'sms',
					templateId: 'payment-reminder',
					to: '+96550000000',
				},
				effects: async () => sandbox.store.notifications.length - before,
				checkOutput: single({ message: 'Notification sent.', channel: 'sms', to: '+96550000000' }),
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
					currencyCode: 'KWD',
					pgCodes: ['credit-card'],
					invoiceNumber: 'INV-REL-1',
					dueDate: '2026-12-31',
					invoiceItems: {
						item: [{ sku: 'SKU-1', description: 'Widget', quantity: '3', unitPrice: '1.255' }],
					},
				},
				effects: async () => sandbox.store.transactions.size - before,
				checkOutput: single({ invoice_number: 'INV-REL-1', amount: '3.765' }),
			};
		},
	},
];
