/**
 * The Ottu Trigger's webhook() through n8n-core's real WebhookContext, fed by a real HTTP listener.
 * No Ottu sandbox here: payloads are signed by the test's reference signer.
 */
import { createHmac } from 'crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	NodeOperationError,
} from 'n8n-workflow';

import { OttuTrigger } from '../../nodes/OttuTrigger/OttuTrigger.node';
import { clearDeliveryMemory, DEDUP_STORE_KEY } from '../../nodes/OttuTrigger/dedup';
import { CURRENT_SIGNED_PATHS } from '../../sandbox/core/signature';
import { DOC_CURRENT_VECTOR } from '../helpers/signatureVectors';
import type { TriggerListener } from '../helpers/webhook';
import {
	paidPayment,
	post,
	refundOperation,
	signed,
	startTriggerListener,
	triggerCredentials,
	TRIGGER_NAME,
} from '../helpers/webhook';

const KEY = 'hmac-unit-5e4d3c2b1a';
const credentials = triggerCredentials(KEY);

let listeners: TriggerListener[] = [];
async function listen(
	parameters: IDataObject = {},
	creds: ICredentialDataDecryptedObject = credentials,
	downstream?: INode[],
) {
	const l = await startTriggerListener({ parameters, credentials: creds, downstream });
	listeners.push(l);
	return l;
}
afterEach(async () => {
	await Promise.all(listeners.map((l) => l.close()));
	listeners = [];
});

describe('signature verification (on by default)', () => {
	it('starts the workflow with the payload unchanged plus _ottu, and answers 200', async () => {
		const l = await listen();
		const payload = signed(paidPayment(), KEY);
		const res = await post(l.url, payload);
		await l.waitForDeliveries(1);
		expect(res.status).toBe(200);
		expect(l.started).toHaveLength(1);
		const [item] = l.started[0];
		const { _ottu, ...rest } = item.json;
		expect(rest).toEqual(payload);
		expect(_ottu).toEqual({
			event: 'payment',
			kind: 'paid',
			result: 'success',
			isPaid: true,
			isSuccess: true,
			signatureVerified: true,
			signatureScheme: 'current',
			// Every signed path the payload carries: all but the address, agreement, token and extra.
			verifiedFields: CURRENT_SIGNED_PATHS.filter(
				(f) => !/^(customer_address_|agreement\.|token\.|extra\.)/.test(f),
			),
			unsignedFields: [
				'amount_details',
				'fee',
				'paid_amount',
				'extra',
				'is_sandbox',
				'transactions',
				'timestamp_utc',
			],
			merchantId: null,
		});
	});

	it.each([
		['a tampered amount', (p: IDataObject) => ({ ...p, amount: '2050.000' })],
		['a tampered state', (p: IDataObject) => ({ ...p, state: 'paid', result: 'success' })],
		['no signature', (p: IDataObject) => ({ ...p, signature: undefined })],
		[
			'a signature made with another key',
			() => signed(paidPayment({ state: 'failed', result: 'failed' }), 'guessed-key'),
		],
	])('answers 401 without running the workflow for %s', async (_name, forge) => {
		const l = await listen();
		const genuine = signed(paidPayment({ state: 'failed', result: 'failed' }), KEY);
		const res = await post(l.url, forge(genuine));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(401);
		expect(l.started).toHaveLength(0);
		expect(res.text).not.toContain(KEY);
		expect(res.text.toLowerCase()).not.toMatch(/hmac|key|secret/);
	});

	it('answers 401 when the credential has no HMAC key, with the same body as a bad signature', async () => {
		const noKey = await listen({}, { ...credentials, hmacSecret: '' });
		const wrongSig = await listen();
		const payload = signed(paidPayment(), KEY);
		const a = await post(noKey.url, payload);
		const b = await post(wrongSig.url, { ...payload, signature: 'f'.repeat(64) });
		await noKey.waitForDeliveries(1);
		expect(a.status).toBe(401);
		expect(b.status).toBe(401);
		expect(a.text).toBe(b.text);
		expect(noKey.started).toHaveLength(0);
	});

	it('verifies the raw body even when Ottu sends numbers, and emits them parsed', async () => {
		const l = await listen();
		const base = signed(
			{
				amount: '86.000',
				currency_code: 'KWD',
				state: 'paid',
				result: 'success',
				session_id: 's-1',
			},
			KEY,
		);
		const raw = JSON.stringify(base).replace('"86.000"', '86.000');
		const res = await post(l.url, raw);
		await l.waitForDeliveries(1);
		expect(res.status).toBe(200);
		expect(l.started[0][0].json.amount).toBe(86);
	});

	it('does not trust a Content-Type trick: the workflow receives the verified JSON', async () => {
		const l = await listen();
		const payload = signed(paidPayment(), KEY);
		const res = await post(l.url, JSON.stringify(payload), 'text/plain');
		await l.waitForDeliveries(1);
		expect(res.status).toBe(200);
		expect(l.started[0][0].json.state).toBe('paid');
		expect(l.started[0][0].json.signature).toBe(payload.signature);
	});

	it('with verification turned off, runs unsigned payloads and says so in _ottu', async () => {
		const l = await listen({ options: { verifySignature: false } });
		const res = await post(l.url, paidPayment());
		await l.waitForDeliveries(1);
		expect(res.status).toBe(200);
		const derived = l.started[0][0].json._ottu as IDataObject;
		expect(derived).toMatchObject({
			event: 'payment',
			kind: 'paid',
			signatureVerified: false,
			signatureScheme: null,
			verifiedFields: [],
		});
		expect(derived.unsignedFields).toEqual(Object.keys(paidPayment()));
		expect(derived.warning).toMatch(
			/Verify Signature is off.*nothing in this webhook was verified/,
		);
		expect(l.credentialLoads).toBe(0);
	});

	it('answers 400 to a verified-off body that is not a JSON object', async () => {
		const l = await listen({ options: { verifySignature: false } });
		const res = await post(l.url, '[1,2]');
		await l.waitForDeliveries(1);
		expect(res.status).toBe(400);
		expect(l.started).toHaveLength(0);
	});
});

describe('response code', () => {
	it("answers 201 when chosen (customer stays on Ottu's summary page)", async () => {
		const l = await listen({ options: { responseCode: 201 } });
		const res = await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(201);
		expect(res.body).toEqual({ message: 'Received' });
		expect(l.started).toHaveLength(1);
	});

	it('answers the same when a parameter holds an expression (n8n then evaluates the description itself)', async () => {
		const l = await listen({ options: { responseCode: 201, repeatWindowMinutes: '={{ 30 }}' } });
		const res = await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(201);
		expect(res.body).toEqual({ message: 'Received' });
		expect(l.started).toHaveLength(1);
	});
});

describe('events filter', () => {
	it('answers but does not run for an event that is not selected', async () => {
		const l = await listen({ events: ['payment.paid'], options: { responseCode: 201 } });
		const failed = await post(
			l.url,
			signed(paidPayment({ state: 'failed', result: 'failed', reference_number: 'R-1' }), KEY),
		);
		const refund = await post(l.url, signed(refundOperation(), KEY));
		const paid = await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(3);
		expect([failed.status, refund.status, paid.status]).toEqual([201, 201, 201]);
		expect(l.started).toHaveLength(1);
		expect(l.started[0][0].json.state).toBe('paid');
	});

	it('selects operations by signed result', async () => {
		const l = await listen({
			events: ['operation.*'],
			options: { operationResults: ['rejected'] },
		});
		await post(l.url, signed(refundOperation(), KEY));
		await post(
			l.url,
			signed(refundOperation({ operation: 'capture', reference_number: 'OP-78' }), KEY),
		);
		await post(
			l.url,
			signed(
				refundOperation({
					result: 'rejected',
					success: false,
					reference_number: 'OP-79',
					txn: { session_id: 'child-2', state: 'refund_rejected' },
				}),
				KEY,
			),
		);
		await l.waitForDeliveries(3);
		expect(l.started).toHaveLength(1);
		expect(l.started[0][0].json._ottu).toMatchObject({
			event: 'operation',
			kind: null,
			result: 'rejected',
			isSuccess: false,
		});
	});

	it('treats a save-card webhook as its own event', async () => {
		const l = await listen({ events: ['save_card'] });
		await post(l.url, signed(paidPayment(), KEY));
		await post(
			l.url,
			signed(
				paidPayment({
					payment_type: 'save_card',
					amount: '0.000',
					token: { token: 't-1', pg_code: 'mpgs' },
				}),
				KEY,
			),
		);
		await l.waitForDeliveries(2);
		expect(l.started).toHaveLength(1);
		expect(l.started[0][0].json._ottu).toMatchObject({ event: 'save_card', isPaid: false });
	});
});

describe('repeated deliveries', () => {
	it('runs the workflow once for two identical deliveries, answering both, and keeps the record in static data', async () => {
		const l = await listen({ options: { responseCode: 201 } });
		const payload = signed(paidPayment(), KEY);
		const first = await post(l.url, payload);
		const second = await post(l.url, payload);
		await l.waitForDeliveries(2);
		expect([first.status, second.status]).toEqual([201, 201]);
		expect(l.started).toHaveLength(1);
		const store = (l.staticData[`node:${TRIGGER_NAME}`] as IDataObject)[
			DEDUP_STORE_KEY
		] as IDataObject;
		expect(Object.keys(store)).toHaveLength(1);
	});

	it('still runs a genuine change of state on the same session (failed, then paid)', async () => {
		const l = await listen();
		await post(l.url, signed(paidPayment({ state: 'failed', result: 'failed' }), KEY));
		await post(l.url, signed(paidPayment({ state: 'paid', result: 'success' }), KEY));
		await l.waitForDeliveries(2);
		expect(l.started.map((items) => items[0].json.state)).toEqual(['failed', 'paid']);
	});

	it('runs every delivery when turned off', async () => {
		const l = await listen({ options: { ignoreRepeats: false } });
		const payload = signed(paidPayment(), KEY);
		await post(l.url, payload);
		await post(l.url, payload);
		await l.waitForDeliveries(2);
		expect(l.started).toHaveLength(2);
	});

	it('does not let a forged delivery poison the record', async () => {
		const l = await listen();
		const payload = signed(paidPayment(), KEY);
		await post(l.url, { ...payload, signature: '0'.repeat(64) });
		const genuine = await post(l.url, payload);
		await l.waitForDeliveries(2);
		expect(genuine.status).toBe(200);
		expect(l.started).toHaveLength(1);
	});
});

describe('answered 2xx only once n8n holds the execution', () => {
	async function listenSlow(saveLatencyMs = 0) {
		const l = await startTriggerListener({ parameters: {}, credentials, saveLatencyMs });
		listeners.push(l);
		return l;
	}
	const stored = (l: TriggerListener) =>
		Object.keys(
			((l.staticData[`node:${TRIGGER_NAME}`] as IDataObject | undefined)?.[DEDUP_STORE_KEY] ??
				{}) as IDataObject,
		);

	it('when n8n cannot save the execution, the delivery is not answered 2xx, is not remembered, and runs when re-sent', async () => {
		const l = await listenSlow();
		l.executionSaveFails = () => true;
		const payload = signed(paidPayment(), KEY);
		const refused = await post(l.url, payload);
		expect(refused.status).toBe(500);
		expect(stored(l)).toEqual([]);
		l.executionSaveFails = () => false;
		const again = await post(l.url, payload);
		await l.waitForDeliveries(2);
		expect(again.status).toBe(200);
		expect(again.body).toEqual({ message: 'Received' });
		expect(l.started).toHaveLength(1);
		expect(stored(l)).toHaveLength(1);
	});

	it('a copy arriving while the first is being saved waits for it: the first failed, so the copy runs', async () => {
		const l = await listenSlow(150);
		let failures = 0;
		l.executionSaveFails = () => failures++ === 0;
		const payload = signed(paidPayment(), KEY);
		const answers = await Promise.all([post(l.url, payload), post(l.url, payload)]);
		await l.waitForDeliveries(2);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 500]);
		expect(l.started).toHaveLength(1);
	});

	it('a delivery whose execution failed runs when re-sent to another process: a concurrent save leaves its pending key out', async () => {
		const l = await listenSlow(150);
		const lost = signed(paidPayment({ order_no: 'ORD-LOST' }), KEY);
		const other = signed(paidPayment({ order_no: 'ORD-OTHER', session_id: 'e'.repeat(40) }), KEY);
		l.executionSaveFails = (item) => item.order_no === 'ORD-LOST';
		// The other delivery is saved while the lost one is still being handed to n8n.
		const [a, b] = await Promise.all([
			post(l.url, lost),
			new Promise((r) => setTimeout(r, 20)).then(async () => await post(l.url, other)),
		]);
		await l.waitForDeliveries(2);
		expect([a.status, b.status]).toEqual([500, 200]);
		l.executionSaveFails = () => false;
		clearDeliveryMemory(); // the re-send reaches another webhook process
		expect((await post(l.url, lost)).status).toBe(200);
		await l.waitForDeliveries(3);
		expect(l.started.map((items) => items[0].json.order_no)).toEqual(['ORD-OTHER', 'ORD-LOST']);
	});

	it("a delivery whose execution failed runs when re-sent, even though another delivery's save carried its key", async () => {
		const l = await listenSlow(150);
		const lost = signed(paidPayment({ order_no: 'ORD-LOST' }), KEY);
		const other = signed(paidPayment({ order_no: 'ORD-OTHER', session_id: 'f'.repeat(40) }), KEY);
		l.executionSaveFails = (item) => item.order_no === 'ORD-LOST';
		const [a, b] = await Promise.all([post(l.url, lost), post(l.url, other)]);
		await l.waitForDeliveries(2);
		expect([a.status, b.status]).toEqual([500, 200]);
		l.executionSaveFails = () => false;
		expect((await post(l.url, lost)).status).toBe(200);
		await l.waitForDeliveries(3);
		expect(l.started.map((items) => items[0].json.order_no)).toEqual(['ORD-OTHER', 'ORD-LOST']);
		// Remembered now that it ran: a further copy runs nothing.
		expect((await post(l.url, lost)).status).toBe(200);
		await l.waitForDeliveries(4);
		expect(l.started).toHaveLength(2);
		expect(stored(l)).toHaveLength(2);
	});
});

describe('a fault is not a forgery', () => {
	it('answers 503 (not 401) when the credential cannot be read, runs nothing, and runs the re-send', async () => {
		const l = await listen();
		l.credentialStoreDown = true;
		const payload = signed(paidPayment(), KEY);
		const down = await post(l.url, payload);
		expect(down.status).toBe(503);
		expect(JSON.stringify(down.body)).not.toMatch(/unauthori[sz]ed|signature/i);
		l.credentialStoreDown = false;
		const again = await post(l.url, payload);
		await l.waitForDeliveries(2);
		expect(again.status).toBe(200);
		expect(l.started).toHaveLength(1);
	});

	it('while testing in the editor, says the credential could not be read and that production answers 503', async () => {
		const l = await startTriggerListener({ parameters: {}, credentials, mode: 'manual' });
		listeners.push(l);
		l.credentialStoreDown = true;
		await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(1);
		const error = l.deliveries[0].error as NodeOperationError;
		expect(error.message).toMatch(/could not be read/);
		expect(error.description).toMatch(/answered 503/);
	});
});

describe('only signed fields decide (relabel attacks on a genuine payload)', () => {
	// Each case: a genuine signed payload, then the same payload and signature with unsigned fields changed.
	const capture = () =>
		signed(
			refundOperation({
				operation: 'capture',
				reference_number: 'OP-90',
				txn: { ...(refundOperation().txn as IDataObject), state: 'paid' },
			}),
			KEY,
		);
	const failedRefund = () =>
		signed(refundOperation({ result: 'failed', success: false, reference_number: 'OP-91' }), KEY);

	it('a capture relabelled as a refund (operation, txn.state) gets the same _ottu as the genuine capture', async () => {
		const l = await listen({ options: { ignoreRepeats: false } });
		const genuine = capture();
		await post(l.url, genuine);
		await post(l.url, {
			...genuine,
			operation: 'refund',
			txn: { ...(genuine.txn as IDataObject), state: 'refunded' },
		});
		await l.waitForDeliveries(2);
		const [a, b] = l.started.map((items) => items[0].json._ottu as IDataObject);
		expect(b).toEqual(a);
		expect(a).toMatchObject({ event: 'operation', kind: null, result: 'success' });
		expect(a.unsignedFields).toEqual(expect.arrayContaining(['operation', 'txn', 'success']));
		expect(a.verifiedFields).toEqual([
			'amount',
			'order_no',
			'reference_number',
			'result',
			'session_id',
		]);
	});

	it('a failed refund with success: true is still not isSuccess', async () => {
		const l = await listen();
		await post(l.url, { ...failedRefund(), success: true });
		await l.waitForDeliveries(1);
		expect(l.started[0][0].json._ottu).toMatchObject({
			event: 'operation',
			result: 'failed',
			isSuccess: false,
		});
	});

	it("a paid webhook replayed with another customer's session_id is refused (session_id is signed)", async () => {
		const l = await listen();
		const genuine = signed(paidPayment(), KEY);
		await post(l.url, genuine);
		const replayed = await post(l.url, {
			...genuine,
			session_id: 'ffffffffffffffffffffffffffffffffffffffff',
		});
		await l.waitForDeliveries(2);
		expect(replayed.status).toBe(401);
		expect(l.started).toHaveLength(1);
		expect(l.started[0][0].json.session_id).toBe(genuine.session_id);
	});

	it('a previous-scheme webhook replayed with another session_id is refused by default', async () => {
		const l = await listen();
		const genuine = signed(paidPayment(), KEY, 'previous');
		const replayed = await post(l.url, { ...genuine, session_id: 'f'.repeat(40) });
		await l.waitForDeliveries(1);
		expect(replayed.status).toBe(401);
		expect(l.started).toHaveLength(0);
	});

	it('a replay with another session_id arriving first does not make the genuine delivery a repeat', async () => {
		const l = await listen();
		const genuine = signed(paidPayment(), KEY);
		const replayed = await post(l.url, { ...genuine, session_id: 'f'.repeat(40) });
		const real = await post(l.url, genuine);
		await l.waitForDeliveries(2);
		expect([replayed.status, real.status]).toEqual([401, 200]);
		expect(l.started).toHaveLength(1);
		expect(l.started[0][0].json.session_id).toBe(genuine.session_id);
	});

	it.each([
		['operation', (p: IDataObject) => ({ ...p, operation: 'void' })],
		['success', (p: IDataObject) => ({ ...p, success: false })],
		['txn', (p: IDataObject) => ({ ...p, txn: { state: 'voided' } })],
	])('changing the unsigned %s does not get past de-duplication', async (_field, relabel) => {
		const l = await listen();
		const genuine = capture();
		await post(l.url, genuine);
		await post(l.url, relabel(genuine));
		await l.waitForDeliveries(2);
		expect(l.started).toHaveLength(1);
	});

	it('a save-card webhook relabelled as a one-off payment never becomes paid', async () => {
		const l = await listen({ events: ['payment.paid'] });
		const genuine = signed(
			paidPayment({ payment_type: 'save_card', amount: '0.000', token: { token: 't-1' } }),
			KEY,
		);
		const res = await post(l.url, { ...genuine, payment_type: 'one_off' });
		await l.waitForDeliveries(1);
		expect(res.status).toBe(401);
		expect(l.started).toHaveLength(0);
	});

	it('stores only fixed-size hashes in static data, whatever the payload size', async () => {
		const l = await listen();
		await post(l.url, signed(paidPayment({ customer_address_line1: 'x'.repeat(50_000) }), KEY));
		await l.waitForDeliveries(1);
		const store = (l.staticData[`node:${TRIGGER_NAME}`] as IDataObject)[
			DEDUP_STORE_KEY
		] as IDataObject;
		expect(Object.keys(store).map((k) => k.length)).toEqual([32]);
		expect(JSON.stringify(l.staticData).length).toBeLessThan(200);
	});
});

describe("Ottu's current signature scheme only, unless the previous one is switched on", () => {
	async function listenManual(parameters: IDataObject = {}) {
		const l = await startTriggerListener({ parameters, credentials, mode: 'manual' });
		listeners.push(l);
		return l;
	}

	it('answers 401 to a genuine previous-scheme webhook and runs nothing', async () => {
		const l = await listen();
		const res = await post(l.url, signed(paidPayment(), KEY, 'previous'));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(401);
		expect(l.started).toHaveLength(0);
	});

	it('in the editor, says the signature is genuine but of the previous scheme, and where to accept it', async () => {
		const l = await listenManual();
		await post(l.url, signed(paidPayment(), KEY, 'previous'));
		await l.waitForDeliveries(1);
		const error = l.deliveries[0].error as NodeOperationError;
		expect(error.message).toBe(
			"This webhook is signed with Ottu's previous signature scheme, which this trigger does not accept",
		);
		expect(error.description).toMatch(/The signature is genuine/);
		expect(error.description).toMatch(/Options → Accept Previous Signature Scheme/);
		expect(error.description).toMatch(/session_id/);
	});

	it('accepts it when switched on, and says in _ottu what that scheme leaves unsigned', async () => {
		const l = await listen({ options: { acceptPreviousScheme: true } });
		const res = await post(l.url, signed(paidPayment(), KEY, 'previous'));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(200);
		const ottu = l.started[0][0].json._ottu as IDataObject;
		expect(ottu).toMatchObject({ signatureScheme: 'previous', isPaid: true, merchantId: null });
		expect(ottu.verifiedFields).not.toContain('session_id');
		expect(ottu.unsignedFields).toContain('session_id');
		expect(ottu.warning).toMatch(/previous signature scheme: session_id/);
	});

	it('still prefers the current scheme when switched on', async () => {
		const l = await listen({ options: { acceptPreviousScheme: true } });
		await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(1);
		expect(l.started[0][0].json._ottu).toMatchObject({ signatureScheme: 'current' });
	});

	it("verifies a signed field holding a falsy number or boolean as Ottu's page says (left out)", async () => {
		// The page's example with customer_phone 0 and token.customer_id false: both left out of the
		// signed text, as if absent.
		const { payload, key } = DOC_CURRENT_VECTOR;
		const token = { ...(payload.token as IDataObject), customer_id: false };
		const message = DOC_CURRENT_VECTOR.message.replace('token.customer_id=cust_12345\n', '');
		const body = {
			...payload,
			customer_phone: 0,
			token,
			signature: createHmac('sha256', key).update(message).digest('hex'),
		};
		const l = await startTriggerListener({
			parameters: { options: { merchantId: 'merchant.ottu.net' } },
			credentials: triggerCredentials(key),
		});
		listeners.push(l);
		const res = await post(l.url, body);
		await l.waitForDeliveries(1);
		expect(res.status).toBe(200);
		expect(l.started[0][0].json._ottu).toMatchObject({
			signatureScheme: 'current',
			merchantId: 'merchant.ottu.net',
		});
		expect((l.started[0][0].json._ottu as IDataObject).verifiedFields).not.toContain(
			'customer_phone',
		);
	});
});

describe('bound to the merchant (extra.merchant_id, signed)', () => {
	const forMerchant = (merchantId: string, scheme: 'current' | 'previous' = 'current') =>
		signed(paidPayment({ extra: { basket: 'B-7', merchant_id: merchantId } }), KEY, scheme);

	it("accepts the credential's own Ottu host, in any case", async () => {
		const l = await listen();
		const res = await post(l.url, forMerchant('127.0.0.1'));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(200);
		expect(l.started[0][0].json._ottu).toMatchObject({ merchantId: '127.0.0.1' });
	});

	it('answers 401 to a genuine webhook of another merchant, like a bad signature', async () => {
		const l = await listen();
		const res = await post(l.url, forMerchant('other.ottu.net'));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(401);
		expect(res.body).toEqual({
			message: 'Unauthorized: the webhook signature could not be verified',
		});
		expect(l.started).toHaveLength(0);
	});

	it('in the editor, names both merchants and the Merchant ID option', async () => {
		const l = await startTriggerListener({ parameters: {}, credentials, mode: 'manual' });
		listeners.push(l);
		await post(l.url, forMerchant('other.ottu.net'));
		await l.waitForDeliveries(1);
		const error = l.deliveries[0].error as NodeOperationError;
		expect(error.message).toBe(
			'This webhook is for the Ottu merchant "other.ottu.net", not "127.0.0.1"',
		);
		expect(error.description).toMatch(/Options → Merchant ID/);
	});

	it('accepts the merchant given in Options → Merchant ID (and then only that one)', async () => {
		const l = await listen({ options: { merchantId: 'Other.Ottu.net' } });
		const ok = await post(l.url, forMerchant('other.ottu.net'));
		const own = await post(l.url, forMerchant('127.0.0.1'));
		await l.waitForDeliveries(2);
		expect([ok.status, own.status]).toEqual([200, 401]);
	});

	it('does not bind on an unsigned merchant ID (previous scheme, opted in)', async () => {
		const l = await listen({ options: { acceptPreviousScheme: true } });
		const res = await post(l.url, forMerchant('other.ottu.net', 'previous'));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(200);
		expect(l.started[0][0].json._ottu).toMatchObject({ merchantId: null });
	});
});

describe('refused before the credential is loaded', () => {
	it.each([
		['not JSON', 'amount=1&signature=abc'],
		['a JSON list', JSON.stringify([signed(paidPayment(), KEY)])],
		['no signature field', JSON.stringify(paidPayment())],
		['an empty signature', JSON.stringify({ ...paidPayment(), signature: '' })],
		[
			'a signature that is not 64 hex digits',
			JSON.stringify({ ...paidPayment(), signature: 'xyz' }),
		],
		['a signature that is a number', JSON.stringify({ ...paidPayment(), signature: 1 })],
		['an empty body', ''],
	])('%s: 401 without loading the credential', async (_name, body) => {
		const l = await listen();
		const res = await post(l.url, body);
		await l.waitForDeliveries(1);
		expect(res.status).toBe(401);
		expect(res.body).toEqual({
			message: 'Unauthorized: the webhook signature could not be verified',
		});
		expect(l.credentialLoads).toBe(0);
		expect(l.started).toHaveLength(0);
	});

	it('a well-formed delivery loads the credential once, genuine or not', async () => {
		const l = await listen();
		await post(l.url, { ...signed(paidPayment(), KEY), signature: 'a'.repeat(64) });
		await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(2);
		expect(l.credentialLoads).toBe(2);
		expect(l.started).toHaveLength(1);
	});
});

describe('test URL (editor listening for a test event)', () => {
	async function listenManual(creds: ICredentialDataDecryptedObject = credentials) {
		const l = await startTriggerListener({ parameters: {}, credentials: creds, mode: 'manual' });
		listeners.push(l);
		return l;
	}

	it('a wrong HMAC key ends the test run with an error that says so and where the key comes from', async () => {
		const l = await listenManual({ ...credentials, hmacSecret: 'not-the-key-ottu-uses' });
		const res = await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(1);
		const { error } = l.deliveries[0];
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe("Ottu's webhook signature did not match the Webhook HMAC Key");
		expect((error as NodeOperationError).description).toMatch(
			/Webhook HMAC Key of the credential "Ottu Sandbox".*Ottu dashboard → Webhook Config → General/,
		);
		expect((error as NodeOperationError).description).toMatch(
			/In production the same webhook is answered 401/,
		);
		expect(`${error?.message} ${(error as NodeOperationError).description}`).not.toContain(
			'not-the-key-ottu-uses',
		);
		expect(res.status).not.toBe(200);
		expect(l.started).toHaveLength(0);
	});

	it('a missing HMAC key says how to fix it, in the message itself', async () => {
		const l = await listenManual({ ...credentials, hmacSecret: '' });
		await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(1);
		expect(l.deliveries[0].error?.message).toMatch(
			/no Webhook HMAC Key: copy the HMAC key from Ottu dashboard → Webhook Config → General .* or turn off Verify Signature/,
		);
	});

	it('a genuine test event runs as in production, even when re-sent (the user is listening for it)', async () => {
		const l = await listenManual();
		const payload = signed(paidPayment(), KEY);
		await post(l.url, payload);
		await post(l.url, payload);
		await l.waitForDeliveries(2);
		expect(l.started).toHaveLength(2);
	});
});

describe('a burst on one n8n process (static data loaded and saved per request)', () => {
	it('runs each distinct delivery once and identical concurrent ones once, remembering every key', async () => {
		const l = await startTriggerListener({ parameters: {}, credentials, loadLatencyMs: 50 });
		listeners.push(l);
		const distinct = Array.from({ length: 40 }, (_, i) =>
			signed(paidPayment({ reference_number: `BURST-${i}`, order_no: `ORD-B-${i}` }), KEY),
		);
		const identical = signed(paidPayment({ reference_number: 'BURST-SAME' }), KEY);
		const bodies = [...distinct, ...Array.from({ length: 10 }, () => identical)];
		const answers = await Promise.all(bodies.map((b) => post(l.url, b)));
		await l.waitForDeliveries(bodies.length);
		expect(answers.every((a) => a.status === 200)).toBe(true);
		const runs = l.started.slice(0, 41).map((items) => items[0].json.reference_number as string);
		expect(runs.sort()).toEqual(
			[...distinct.map((d) => d.reference_number as string), 'BURST-SAME'].sort(),
		);
		// A save leaves out the keys of deliveries still being handed to n8n (one may fail), so the
		// static data holds every key of the burst once the next delivery has been saved.
		await post(l.url, signed(paidPayment({ reference_number: 'AFTER-BURST' }), KEY));
		await l.waitForDeliveries(bodies.length + 1);
		const store = (l.staticData[`node:${TRIGGER_NAME}`] as IDataObject)[
			DEDUP_STORE_KEY
		] as IDataObject;
		expect(Object.keys(store)).toHaveLength(42);
		// Sending the whole burst again runs nothing.
		await Promise.all(bodies.map((b) => post(l.url, b)));
		await l.waitForDeliveries(2 * bodies.length + 1);
		expect(l.started).toHaveLength(42);
	});

	it('a repeat arriving later at another process (or after a restart) is caught by the static data', async () => {
		const l = await listen();
		const payload = signed(paidPayment(), KEY);
		await post(l.url, payload);
		await l.waitForDeliveries(1);
		clearDeliveryMemory(); // what another n8n process starts with
		const again = await post(l.url, payload);
		await l.waitForDeliveries(2);
		expect(again.body).toEqual({ message: 'Received; repeated delivery ignored' });
		expect(l.started).toHaveLength(1);
	});

	it("saves every delivery's key, not only the first: n8n 2.41 clears the changed mark while it creates the execution", async () => {
		const l = await listen();
		const bodies = ['SEQ-1', 'SEQ-2', 'SEQ-3'].map((ref) =>
			signed(paidPayment({ reference_number: ref }), KEY),
		);
		for (const body of bodies) await post(l.url, body);
		await l.waitForDeliveries(3);
		clearDeliveryMemory(); // another webhook process
		const again = await Promise.all(bodies.map((body) => post(l.url, body)));
		await l.waitForDeliveries(6);
		expect(again.map((a) => a.body)).toEqual(
			new Array(3).fill({ message: 'Received; repeated delivery ignored' }),
		);
		expect(l.started).toHaveLength(3);
	});

	it('a slow save does not drop the key of a delivery confirmed while it waited', async () => {
		const l = await startTriggerListener({
			parameters: {},
			credentials,
			saveLatencyMs: (item) => (item.reference_number === 'SLOW' ? 200 : 5),
		});
		listeners.push(l);
		const quick = signed(paidPayment({ reference_number: 'QUICK' }), KEY);
		// SLOW loads the static data first and is saved last, after QUICK was saved and answered.
		await Promise.all([
			post(l.url, signed(paidPayment({ reference_number: 'SLOW' }), KEY)),
			new Promise((r) => setTimeout(r, 30)).then(async () => await post(l.url, quick)),
		]);
		await l.waitForDeliveries(2);
		clearDeliveryMemory(); // another webhook process
		const again = await post(l.url, quick);
		await l.waitForDeliveries(3);
		expect(again.body).toEqual({ message: 'Received; repeated delivery ignored' });
		expect(l.started).toHaveLength(2);
	});

	it("puts back a key that another process's save dropped, once this process has read it", async () => {
		const l = await listen();
		const first = signed(paidPayment({ reference_number: 'KEPT-1' }), KEY);
		await post(l.url, first);
		await l.waitForDeliveries(1);
		clearDeliveryMemory(); // this process never ran KEPT-1, it only reads it in the static data
		await post(l.url, signed(paidPayment({ reference_number: 'KEPT-2' }), KEY));
		await l.waitForDeliveries(2);
		l.staticData = {}; // a save by a process that loaded an older copy
		await post(l.url, signed(paidPayment({ reference_number: 'KEPT-3' }), KEY));
		await l.waitForDeliveries(3);
		clearDeliveryMemory(); // a third process
		const again = await post(l.url, first);
		await l.waitForDeliveries(4);
		expect(again.body).toEqual({ message: 'Received; repeated delivery ignored' });
		expect(l.started).toHaveLength(3);
	});
});

describe('lifecycle hooks (no registration API)', () => {
	function hookContext(parameters: IDataObject, creds: IDataObject) {
		const logs: string[] = [];
		const log = (m: string) => logs.push(m);
		const ctx = {
			getNodeParameter: (name: string, fallback: unknown) =>
				name in parameters ? parameters[name] : fallback,
			getCredentials: async () => creds,
			getNode: () => ({ name: TRIGGER_NAME }),
			getNodeWebhookUrl: () => 'http://127.0.0.1/webhook/x/webhook',
			logger: { debug: log, info: log, warn: log, error: log },
		};
		return { ctx, logs };
	}
	const hooks = new OttuTrigger().webhookMethods.default;

	it('checkExists refuses to start listening when verification is on and the key is missing', async () => {
		const { ctx } = hookContext({ options: {} }, { hmacSecret: '  ' });
		await expect(hooks.checkExists.call(ctx as never)).rejects.toThrow(/no Webhook HMAC Key/);
	});

	it('checkExists passes with a key, and warns (but passes) when verification is off', async () => {
		const ok = hookContext({ options: {} }, { hmacSecret: KEY });
		await expect(hooks.checkExists.call(ok.ctx as never)).resolves.toBe(true);
		const off = hookContext({ options: { verifySignature: false } }, {});
		await expect(hooks.checkExists.call(off.ctx as never)).resolves.toBe(true);
		expect(off.logs.join('\n')).toMatch(/verification is turned off/);
	});

	it('checkExists refuses the old per-operation events, which can no longer be verified, and says what to choose', async () => {
		const { ctx } = hookContext(
			{ events: ['payment.paid', 'operation.refund'], options: {} },
			{ hmacSecret: KEY },
		);
		await expect(hooks.checkExists.call(ctx as never)).rejects.toThrow(
			/operation\.refund can no longer be told apart: choose "Operation: Refund, Capture or Void"/,
		);
	});

	it('the missing-key message itself names where the key is and the alternative', async () => {
		const { ctx } = hookContext({ options: {} }, { hmacSecret: '' });
		await expect(hooks.checkExists.call(ctx as never)).rejects.toThrow(
			/copy the HMAC key from Ottu dashboard → Webhook Config → General .* or turn off Verify Signature/,
		);
	});

	it('create and delete have nothing to register and say so', async () => {
		const { ctx, logs } = hookContext({}, {});
		await expect(hooks.create.call(ctx as never)).resolves.toBe(true);
		await expect(hooks.delete.call(ctx as never)).resolves.toBe(true);
		expect(logs).toHaveLength(2);
	});
});
