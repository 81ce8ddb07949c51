/**
 * Integration, in-process: the sandbox delivers real signed webhooks over HTTP to a local listener that runs
 * the Ottu Trigger through n8n-core (WebhookContext), then the rest of the workflow (Ottu → Get by
 * `{{ $json.session_id }}`) with WorkflowExecute against the same sandbox.
 */
import axios from 'axios';
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { verifyOttuSignature } from '../../nodes/ottuSignature/signature';
import { signPrevious } from '../../sandbox/core/signature';
import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import {
	apiKeyCredentials,
	ottuCall,
	resetSandbox,
	sandboxClient,
	startSandbox,
} from '../helpers/sandbox';
import type { TriggerListener } from '../helpers/webhook';
import { startTriggerListener } from '../helpers/webhook';

interface WebhookAttempt {
	url: string;
	kind: 'payment' | 'operation';
	session_id: string;
	payload: IDataObject;
	status: number | null;
	attempt: number;
}

const getPayment: INode = {
	id: 'get-1',
	name: 'Get Payment',
	type: 'n8n-nodes-ottu.ottu',
	typeVersion: 1,
	position: [240, 0],
	parameters: {
		resource: 'paymentTransaction',
		operation: 'get',
		sessionId: '={{ $json.session_id }}',
	},
	credentials: { ottuApi: { id: 'cred-1', name: 'Ottu Sandbox' } },
};

// Version 2 is what the editor places; version 1 is what workflows saved before it carry.
describe.each([1, 2])('Ottu Trigger %i end to end with sandbox webhooks', (typeVersion) => {
	let sandbox: Sandbox;
	let listeners: TriggerListener[] = [];

	beforeAll(async () => {
		sandbox = await startSandbox({ webhooks: { timeoutMs: 5_000, attempts: 2, backoffMs: 50 } });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await resetSandbox(sandbox);
	});
	afterEach(async () => {
		await Promise.all(listeners.map((l) => l.close()));
		listeners = [];
	});

	async function listen(
		parameters: IDataObject = {},
		credentialOverrides: ICredentialDataDecryptedObject = {},
	): Promise<TriggerListener> {
		const l = await startTriggerListener({
			parameters,
			credentials: apiKeyCredentials(sandbox, credentialOverrides),
			downstream: [getPayment],
			typeVersion,
		});
		listeners.push(l);
		return l;
	}

	/** Creates a payment through the Ottu node, with the trigger's URL as its webhook_url. */
	async function createPayment(webhookUrl: string, pgCodes = ['knet-test']): Promise<string> {
		const { items, error } = await runOttu({
			parameters: {
				resource: 'paymentTransaction',
				operation: 'create',
				type: 'payment_request',
				amount: '20.5',
				currencyCode: 'KWD',
				pgCodes: pgCodes,
				orderNo: 'ORD-7001',
				additionalFields: {
					customerEmail: 'buyer@example.com',
					customerFirstName: 'فاطمة',
					webhookUrl: webhookUrl,
				},
			},
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error).toBeUndefined();
		return items[0].json.session_id as string;
	}

	async function pay(
		sessionId: string,
		outcome: 'paid' | 'failed' | 'authorized' | 'canceled',
	): Promise<IDataObject> {
		const paid = await sandboxClient(sandbox).pay(sessionId, outcome, { wait: true });
		const { webhook_delivery: _delivery, ...payload } = paid as IDataObject;
		expect(_delivery).toBeDefined();
		return payload;
	}

	async function attempts(sessionId: string): Promise<WebhookAttempt[]> {
		return (await sandboxClient(sandbox).webhooks({
			session_id: sessionId,
			wait: true,
		})) as unknown as WebhookAttempt[];
	}

	it('a paid checkout starts the workflow with the verified payload, and the next node gets the payment', async () => {
		const l = await listen();
		const sessionId = await createPayment(l.url);
		const sent = await pay(sessionId, 'paid');
		await l.waitForDeliveries(1);

		expect((await attempts(sessionId)).map((a) => [a.kind, a.status])).toEqual([['payment', 200]]);
		expect(l.started).toHaveLength(1);
		const { _ottu, ...payload } = l.started[0][0].json;
		expect(payload).toEqual(sent);
		expect(payload.customer_first_name).toBe('فاطمة');
		expect(_ottu).toMatchObject({
			event: 'payment',
			kind: 'paid',
			result: 'success',
			isPaid: true,
			isSuccess: true,
			signatureVerified: true,
			signatureScheme: 'current',
			merchantId: '127.0.0.1',
		});
		expect((_ottu as IDataObject).verifiedFields).toEqual(
			expect.arrayContaining(['session_id', 'payment_type', 'extra.merchant_id']),
		);
		expect(payload).toMatchObject({ settled_amount: '20.500', remaining_amount: '0.000' });

		const run = l.deliveries[0].run!;
		expect(run.data.resultData.error).toBeUndefined();
		const got = run.data.resultData.runData['Get Payment'][0].data!.main[0]![0].json;
		expect(got).toMatchObject({ session_id: sessionId, state: 'paid', amount: '20.500' });
	});

	it('answers 201 when configured, and a filtered-out failed payment is answered but does not run', async () => {
		const l = await listen({ events: ['payment.paid'], options: { responseCode: 201 } });
		const failedSession = await createPayment(l.url);
		const paidSession = await createPayment(l.url);
		await pay(failedSession, 'failed');
		await pay(paidSession, 'paid');
		await l.waitForDeliveries(2);

		expect((await attempts(failedSession)).map((a) => a.status)).toEqual([201]);
		expect((await attempts(paidSession)).map((a) => a.status)).toEqual([201]);
		expect(l.started.map((items) => items[0].json.session_id)).toEqual([paidSession]);
	});

	it('a repeated delivery of the same payment webhook runs the workflow once', async () => {
		const l = await listen();
		const sessionId = await createPayment(l.url);
		await pay(sessionId, 'paid');
		// Ottu's staff "notify" (or a retry after a timeout) sends the same event again.
		await sandboxClient(sandbox).notify(sessionId, { wait: true });
		await l.waitForDeliveries(2);

		expect((await attempts(sessionId)).map((a) => a.status)).toEqual([200, 200]);
		expect(l.started).toHaveLength(1);
		expect(l.deliveries.filter((d) => d.run !== undefined)).toHaveLength(1);
	});

	it('with another HMAC key, the sandbox is answered 401 and nothing runs', async () => {
		const l = await listen({}, { hmacSecret: 'not-the-sandbox-key' });
		const sessionId = await createPayment(l.url);
		await pay(sessionId, 'paid');
		await l.waitForDeliveries(1);

		expect((await attempts(sessionId)).map((a) => a.status)).toEqual([401]);
		expect(l.started).toHaveLength(0);
	});

	it('a refund delivers a signed operation webhook that the Operation event selects', async () => {
		const l = await listen({ events: ['operation.*'] });
		const sessionId = await createPayment(l.url, ['credit-card']);
		await pay(sessionId, 'paid');
		const refund = await axios.post(
			`${sandbox.url}/b/pbl/v2/operation/`,
			{ operation: 'refund', session_id: sessionId, amount: '5.000' },
			{
				headers: {
					Authorization: `Api-Key ${sandbox.config.apiKey}`,
					'Tracking-Key': `trigger-${sessionId}`,
				},
				validateStatus: () => true,
			},
		);
		expect(refund.status).toBe(200);
		await l.waitForDeliveries(2);

		expect((await attempts(sessionId)).map((a) => [a.kind, a.status])).toEqual([
			['payment', 200],
			['operation', 200],
		]);
		expect(l.started).toHaveLength(1);
		const item = l.started[0][0].json;
		expect(item._ottu).toMatchObject({
			event: 'operation',
			kind: null,
			result: 'success',
			isPaid: false,
			isSuccess: true,
			signatureVerified: true,
		});
		// Which operation it was is not signed: listed as unsigned, for the workflow to confirm with Get.
		expect((item._ottu as IDataObject).unsignedFields).toEqual(
			expect.arrayContaining(['operation', 'success', 'txn']),
		);
		expect((item._ottu as IDataObject).verifiedFields).toContain('session_id');
		expect(item.operation).toBe('refund');
		expect(item.amount).toBe('5.000');
		const got = l.deliveries.find((d) => d.run)!.run!.data.resultData.runData['Get Payment'][0]
			.data!.main[0]![0].json;
		expect(got.session_id).toBe(sessionId);
	});

	it('an auto-debit payment signed with the current scheme verifies', async () => {
		const l = await listen();
		const created = await ottuCall<{ session_id: string }>(
			sandbox,
			'POST',
			'/b/checkout/v1/pymt-txn/',
			{
				type: 'e_commerce',
				amount: '12.000',
				currency_code: 'KWD',
				pg_codes: ['credit-card'],
				payment_type: 'auto_debit',
				customer_id: 'cust-42',
				agreement: {
					id: 'agr-42',
					type: 'recurring',
					frequency: 'monthly',
					amount_variability: 'fixed',
					cycle_interval_days: 30,
					total_cycles: 12,
					expiry_date: '2027-12-31',
				},
				webhook_url: l.url,
			},
		);
		expect(created.status).toBe(201);
		const sent = await pay(created.data.session_id, 'paid');
		await l.waitForDeliveries(1);

		// The previous scheme does not match this payload: only the current one can have accepted it.
		const raw = JSON.stringify(sent);
		expect(signPrevious(sent, sandbox.config.hmacKey)).not.toBe(sent.signature);
		expect(verifyOttuSignature(raw, sandbox.config.hmacKey)).toEqual({
			valid: true,
			scheme: 'current',
		});
		expect((await attempts(created.data.session_id)).map((a) => a.status)).toEqual([200]);
		expect(l.started).toHaveLength(1);
		expect(l.started[0][0].json).toMatchObject({
			payment_type: 'auto_debit',
			token: { customer_id: 'cust-42' },
			_ottu: { isPaid: true },
		});
	});

	it('a genuine webhook replayed against another session is answered 401 and runs nothing', async () => {
		const l = await listen();
		const genuineSession = await createPayment(l.url);
		const otherSession = await createPayment(l.url);
		const sent = await pay(genuineSession, 'paid');
		await l.waitForDeliveries(1);
		const replay = await axios.post(
			l.url,
			{ ...sent, session_id: otherSession },
			{ validateStatus: () => true },
		);
		await l.waitForDeliveries(2);
		expect(replay.status).toBe(401);
		expect(l.started.map((items) => items[0].json.session_id)).toEqual([genuineSession]);
	});

	it("a merchant whose Ottu still signs with the previous scheme is refused until the trigger's opt-in is on", async () => {
		await sandboxClient(sandbox).setSigning({ scheme: 'previous' });
		const strict = await listen();
		const refused = await createPayment(strict.url);
		await pay(refused, 'paid');
		await strict.waitForDeliveries(1);
		expect((await attempts(refused)).map((a) => a.status)).toEqual([401]);
		expect(strict.started).toHaveLength(0);

		const optedIn = await listen({ options: { acceptPreviousScheme: true } });
		const accepted = await createPayment(optedIn.url);
		await pay(accepted, 'paid');
		await optedIn.waitForDeliveries(1);
		expect((await attempts(accepted)).map((a) => a.status)).toEqual([200]);
		expect(optedIn.started[0][0].json._ottu).toMatchObject({
			signatureScheme: 'previous',
			merchantId: null,
		});
	});

	it('a webhook signed for another merchant is refused unless Options → Merchant ID names it', async () => {
		await sandboxClient(sandbox).setSigning({ merchant_id: 'shop.ottu.net' });
		const strict = await listen();
		const refused = await createPayment(strict.url);
		await pay(refused, 'paid');
		await strict.waitForDeliveries(1);
		expect((await attempts(refused)).map((a) => a.status)).toEqual([401]);

		const named = await listen({ options: { merchantId: 'shop.ottu.net' } });
		const accepted = await createPayment(named.url);
		await pay(accepted, 'paid');
		await named.waitForDeliveries(1);
		expect(named.started[0][0].json._ottu).toMatchObject({ merchantId: 'shop.ottu.net' });
	});

	describe('when n8n answers too slowly and Ottu retries', () => {
		let slowSandbox: Sandbox;
		beforeAll(async () => {
			slowSandbox = await startSandbox({
				webhooks: { timeoutMs: 1_000, attempts: 3, backoffMs: 50 },
			});
		});
		afterAll(async () => {
			await slowSandbox.close();
		});

		it('the retried delivery and the late original run the workflow once between them', async () => {
			const l = await startTriggerListener({
				credentials: apiKeyCredentials(slowSandbox),
				delays: [2_500],
				typeVersion,
			});
			listeners.push(l);
			const created = await ottuCall<{ session_id: string }>(
				slowSandbox,
				'POST',
				'/b/checkout/v1/pymt-txn/',
				{
					type: 'payment_request',
					amount: '3.250',
					currency_code: 'KWD',
					pg_codes: ['knet-test'],
					webhook_url: l.url,
				},
			);
			expect(created.status).toBe(201);
			await sandboxClient(slowSandbox).pay(created.data.session_id, 'paid', { wait: true });
			await l.waitForDeliveries(2);

			const recorded = await sandboxClient(slowSandbox).webhooks({
				session_id: created.data.session_id,
				wait: true,
			});
			expect(recorded.map((a) => [a.attempt, a.status, a.error ?? null])).toEqual([
				[1, null, 'timeout'],
				[2, 200, null],
			]);
			expect(l.started).toHaveLength(1);
		});
	});
});
