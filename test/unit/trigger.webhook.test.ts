/**
 * The Ottu Trigger's webhook() through n8n-core's real WebhookContext, fed by a real HTTP listener.
 * No Ottu sandbox here: payloads are signed by the test's reference signer.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { OttuTrigger } from '../../nodes/OttuTrigger/OttuTrigger.node';
import { DEDUP_STORE_KEY } from '../../nodes/OttuTrigger/dedup';
import type { TriggerListener } from '../helpers/webhook';
import { paidPayment, post, refundOperation, signed, startTriggerListener, TRIGGER_NAME } from '../helpers/webhook';

const KEY = 'hmac-unit-5e4d3c2b1a';
const credentials: ICredentialDataDecryptedObject = { baseUrl: 'http://127.0.0.1:1', authentication: 'apiKey', apiKey: 'unused', hmacSecret: KEY };

let listeners: TriggerListener[] = [];
async function listen(parameters: IDataObject = {}, creds: ICredentialDataDecryptedObject = credentials, downstream?: INode[]) {
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
		expect(_ottu).toEqual({ event: 'payment', kind: 'paid', result: 'success', isPaid: true, isSuccess: true, signatureVerified: true });
	});

	it.each([
		['a tampered amount', (p: IDataObject) => ({ ...p, amount: '2050.000' })],
		['a tampered state', (p: IDataObject) => ({ ...p, state: 'paid', result: 'success' })],
		['no signature', (p: IDataObject) => ({ ...p, signature: undefined })],
		['a signature made with another key', () => signed(paidPayment({ state: 'failed', result: 'failed' }), 'guessed-key')],
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
		const base = signed({ amount: '86.000', currency_code: 'KWD', state: 'paid', result: 'success', session_id: 's-1' }, KEY);
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
		expect(l.started[0][0].json._ottu).toMatchObject({ signatureVerified: false });
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
	it('answers 201 when chosen (customer stays on Ottu\'s summary page)', async () => {
		const l = await listen({ options: { responseCode: 201 } });
		const res = await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(1);
		expect(res.status).toBe(201);
		expect(l.started).toHaveLength(1);
	});
});

describe('events filter', () => {
	it('answers but does not run for an event that is not selected', async () => {
		const l = await listen({ events: ['payment.paid'], options: { responseCode: 201 } });
		const failed = await post(l.url, signed(paidPayment({ state: 'failed', result: 'failed', reference_number: 'R-1' }), KEY));
		const refund = await post(l.url, signed(refundOperation(), KEY));
		const paid = await post(l.url, signed(paidPayment(), KEY));
		await l.waitForDeliveries(3);
		expect([failed.status, refund.status, paid.status]).toEqual([201, 201, 201]);
		expect(l.started).toHaveLength(1);
		expect(l.started[0][0].json.state).toBe('paid');
	});

	it('selects operations by kind and result', async () => {
		const l = await listen({ events: ['operation.refund'], options: { operationResults: ['rejected'] } });
		await post(l.url, signed(refundOperation(), KEY));
		await post(l.url, signed(refundOperation({ operation: 'capture', reference_number: 'OP-78' }), KEY));
		await post(
			l.url,
			signed(refundOperation({ result: 'rejected', success: false, reference_number: 'OP-79', txn: { session_id: 'child-2', state: 'refund_rejected' } }), KEY),
		);
		await l.waitForDeliveries(3);
		expect(l.started).toHaveLength(1);
		expect(l.started[0][0].json._ottu).toMatchObject({ event: 'operation', kind: 'refund', result: 'rejected', isSuccess: false });
	});

	it('treats a save-card webhook as its own event', async () => {
		const l = await listen({ events: ['save_card'] });
		await post(l.url, signed(paidPayment(), KEY));
		await post(l.url, signed(paidPayment({ payment_type: 'save_card', amount: '0.000', token: { token: 't-1', pg_code: 'mpgs' } }), KEY));
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
		const store = (l.staticData[`node:${TRIGGER_NAME}`] as IDataObject)[DEDUP_STORE_KEY] as IDataObject;
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

describe('lifecycle hooks (no registration API)', () => {
	function hookContext(parameters: IDataObject, creds: IDataObject) {
		const logs: string[] = [];
		const log = (m: string) => logs.push(m);
		const ctx = {
			getNodeParameter: (name: string, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
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

	it('create and delete have nothing to register and say so', async () => {
		const { ctx, logs } = hookContext({}, {});
		await expect(hooks.create.call(ctx as never)).resolves.toBe(true);
		await expect(hooks.delete.call(ctx as never)).resolves.toBe(true);
		expect(logs).toHaveLength(2);
	});
});
