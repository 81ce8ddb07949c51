import { createHmac } from 'crypto';

import fc from 'fast-check';

import { parseRawJson } from '../../nodes/OttuTrigger/rawJson';
import {
	EXTENDED_SIGNED_PATHS,
	extendedMessage,
	hmacHex,
	signedMessage,
	STANDARD_SIGNED_FIELDS,
	standardMessage,
	verifyOttuSignature,
} from '../../nodes/OttuTrigger/signature';
import type { SignatureScheme } from '../../nodes/OttuTrigger/signature';
import { paidPayment, referenceSignature, signed } from '../helpers/webhook';

const json = (v: unknown) => JSON.stringify(v);

/** The signature the node's module computes for a raw body with one scheme. */
function signRawBody(rawBody: string, key: string, scheme: SignatureScheme): string {
	return hmacHex(key, signedMessage(parseRawJson(rawBody), scheme));
}

describe('Ottu signature vectors', () => {
	it('verifies the documentation example (standard scheme)', () => {
		const body = json({
			amount: '86.000',
			currency_code: 'KWD',
			customer_first_name: 'example-customer',
			signature: '6143b8ad4bd283540721ab000f6de746e722231aaaa90bc38f639081d3ff9f67',
		});
		expect(standardMessage(parseRawJson(body))).toBe(
			'amount86.000currency_codeKWDcustomer_first_nameexample-customer',
		);
		expect(verifyOttuSignature(body, 'pu9MpX3yPR')).toEqual({ valid: true, scheme: 'standard' });
	});

	it('verifies the SDK subscription vector (extended scheme; empty state and unsigned token.brand left out)', () => {
		const body = json({
			amount: '100.000',
			result: 'success',
			session_id: 'sess-1',
			token: { token: 'tok-1', brand: 'VISA' },
			state: '',
			signature: '46ba93a62680c8750567583bb8074e37ccaadc6f374268b78a0c574c8424baff',
		});
		expect(extendedMessage(parseRawJson(body))).toBe(
			'amount=100.000\nresult=success\nsession_id=sess-1\ntoken.token=tok-1',
		);
		expect(verifyOttuSignature(body, 'test-key')).toEqual({ valid: true, scheme: 'extended' });
	});

	it('verifies the SDK fixture under the standard scheme (customer_id and session_id unsigned)', () => {
		const body = json({
			amount: '50.000',
			currency_code: 'KWD',
			gateway_name: 'knet',
			gateway_account: 'default',
			order_no: 'ord-1',
			reference_number: 'ref-1',
			result: 'success',
			state: 'paid',
			customer_id: 'cust-top',
			session_id: 'sess-1',
			signature: '5768ccbefbfc7a3872827d727567b75e6b3ce2cc24c64509dab2d09596def8c9',
		});
		expect(standardMessage(parseRawJson(body))).toBe(
			'amount50.000currency_codeKWDgateway_accountdefaultgateway_nameknetorder_noord-1reference_numberref-1resultsuccessstatepaid',
		);
		expect(verifyOttuSignature(body, 'test-key')).toEqual({ valid: true, scheme: 'standard' });
	});

	it('accepts an upper-case hex signature', () => {
		const body = json({
			amount: '86.000',
			currency_code: 'KWD',
			customer_first_name: 'example-customer',
			signature: '6143B8AD4BD283540721AB000F6DE746E722231AAAA90BC38F639081D3FF9F67',
		});
		expect(verifyOttuSignature(body, 'pu9MpX3yPR').valid).toBe(true);
	});

	it('keeps the field lists sorted as Ottu signs them', () => {
		expect(STANDARD_SIGNED_FIELDS).toHaveLength(18);
		expect(EXTENDED_SIGNED_PATHS).toHaveLength(26);
		expect([...STANDARD_SIGNED_FIELDS].sort()).toEqual(STANDARD_SIGNED_FIELDS);
		expect([...EXTENDED_SIGNED_PATHS].sort()).toEqual(EXTENDED_SIGNED_PATHS);
	});
});

describe('refusals', () => {
	const key = 'hmac-test-9d8c7b6a5f4e3d2c';
	const good = signed(paidPayment(), key);

	it('accepts the untampered payload', () => {
		expect(verifyOttuSignature(json(good), key)).toEqual({ valid: true, scheme: 'standard' });
	});

	const presentStandardFields = STANDARD_SIGNED_FIELDS.filter((f) => good[f] !== undefined);
	it('the sample payload carries most standard fields', () => {
		expect(presentStandardFields.length).toBeGreaterThanOrEqual(11);
	});

	it.each(presentStandardFields)('fails when %s is changed', (field) => {
		const tampered = { ...good, [field]: `${String(good[field])}0` };
		expect(verifyOttuSignature(json(tampered), key)).toEqual({ valid: false, reason: 'mismatch' });
	});

	it.each(presentStandardFields)('fails when %s is removed', (field) => {
		const tampered = { ...good };
		delete tampered[field];
		expect(verifyOttuSignature(json(tampered), key).valid).toBe(false);
	});

	it.each(STANDARD_SIGNED_FIELDS.filter((f) => good[f] === undefined))(
		'fails when unsigned-so-far %s is added',
		(field) => {
			expect(verifyOttuSignature(json({ ...good, [field]: 'x' }), key).valid).toBe(false);
		},
	);

	it('ignores changes to unsigned fields (extra, session_id in the standard scheme)', () => {
		expect(
			verifyOttuSignature(json({ ...good, extra: { basket: 'other' }, is_sandbox: false }), key)
				.valid,
		).toBe(true);
	});

	it('fails with the wrong key', () => {
		expect(verifyOttuSignature(json(good), 'hmac-test-9d8c7b6a5f4e3d2d')).toEqual({
			valid: false,
			reason: 'mismatch',
		});
	});

	it('fails with an empty or blank key, before computing anything', () => {
		expect(verifyOttuSignature(json(good), '')).toEqual({ valid: false, reason: 'no-key' });
		expect(verifyOttuSignature(json(good), '   ')).toEqual({ valid: false, reason: 'no-key' });
		// An attacker signing with the empty key gets nowhere either.
		expect(verifyOttuSignature(json(signed(paidPayment(), '')), '')).toEqual({
			valid: false,
			reason: 'no-key',
		});
	});

	it('accepts the key with surrounding whitespace from a paste', () => {
		expect(verifyOttuSignature(json(good), `  ${key}\n`).valid).toBe(true);
	});

	it('fails without a signature, with an empty, null, numeric or malformed one', () => {
		const unsigned = { ...good };
		delete unsigned.signature;
		expect(verifyOttuSignature(json(unsigned), key)).toEqual({
			valid: false,
			reason: 'no-signature',
		});
		expect(verifyOttuSignature(json({ ...unsigned, signature: '' }), key)).toEqual({
			valid: false,
			reason: 'no-signature',
		});
		expect(verifyOttuSignature(json({ ...unsigned, signature: null }), key)).toEqual({
			valid: false,
			reason: 'no-signature',
		});
		expect(verifyOttuSignature(json({ ...unsigned, signature: 12 }), key)).toEqual({
			valid: false,
			reason: 'malformed-signature',
		});
		expect(
			verifyOttuSignature(
				json({ ...unsigned, signature: String(good.signature).slice(0, 63) }),
				key,
			),
		).toEqual({ valid: false, reason: 'malformed-signature' });
		expect(
			verifyOttuSignature(
				json({ ...unsigned, signature: `${String(good.signature).slice(0, 63)}g` }),
				key,
			),
		).toEqual({ valid: false, reason: 'malformed-signature' });
	});

	it('fails on a body that is not a JSON object', () => {
		expect(verifyOttuSignature('not json', key)).toEqual({
			valid: false,
			reason: 'unreadable-body',
		});
		expect(verifyOttuSignature('[1,2]', key)).toEqual({ valid: false, reason: 'unreadable-body' });
		expect(verifyOttuSignature(`${json(good)} trailing`, key)).toEqual({
			valid: false,
			reason: 'unreadable-body',
		});
		expect(verifyOttuSignature('', key)).toEqual({ valid: false, reason: 'unreadable-body' });
	});

	it('verifies what JSON.parse would see when a signed key is repeated (last one wins)', () => {
		// A genuine body with "state":"failed", plus an appended forged "state":"paid".
		const failed = signed(paidPayment({ state: 'failed', result: 'failed' }), key);
		const forged = json(failed).replace(/}$/, ',"state":"paid"}');
		expect((JSON.parse(forged) as { state: string }).state).toBe('paid');
		expect(verifyOttuSignature(forged, key).valid).toBe(false);
	});
});

describe('values as Ottu signs them', () => {
	const key = 'k-values';

	it('signs unicode names and addresses as UTF-8', () => {
		const payload = signed(
			paidPayment({
				customer_first_name: 'سارة',
				customer_last_name: 'Müller 😀',
				customer_address_city: 'الكويت',
			}),
			key,
		);
		expect(verifyOttuSignature(json(payload), key).valid).toBe(true);
		// The same text written with \u escapes is the same value.
		const escaped = json(payload).replace(
			/[\u0080-\uffff]/g,
			(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
		);
		expect(escaped).not.toBe(json(payload));
		expect(verifyOttuSignature(escaped, key).valid).toBe(true);
	});

	it('signs a bare JSON number by its text in the body, not as JSON.parse re-prints it', () => {
		const message = 'amount86.000currency_codeKWDresultsuccessstatepaid';
		const signature = referenceSignatureOfMessage(message, key);
		const body = `{"amount": 86.000, "currency_code":"KWD","result":"success","state":"paid","signature":"${signature}"}`;
		expect(String((JSON.parse(body) as { amount: number }).amount)).toBe('86');
		expect(verifyOttuSignature(body, key)).toEqual({ valid: true, scheme: 'standard' });
		expect(verifyOttuSignature(body.replace('86.000', '86'), key).valid).toBe(false);
		expect(verifyOttuSignature(body.replace('86.000', '86.0001'), key).valid).toBe(false);
	});

	it('signs numbers in nested extended paths by their raw text too', () => {
		const message = 'amount=0\nextra.merchant_id=1e3\npayment_type=save_card\nsession_id=s-9';
		const signature = referenceSignatureOfMessage(message, key);
		const body = `{"amount":0,"payment_type":"save_card","session_id":"s-9","extra":{"merchant_id":1e3},"signature":"${signature}"}`;
		expect(verifyOttuSignature(body, key)).toEqual({ valid: true, scheme: 'extended' });
	});

	it('verifies nested token and agreement fields (extended scheme) and fails when one is changed', () => {
		const payload = signed(
			paidPayment({
				payment_type: 'auto_debit',
				customer_id: 'cust-7',
				agreement: { id: 'agr-2026-01', type: 'recurring', frequency: 'monthly' },
				token: {
					token: '9923965822244314',
					pg_code: 'mpgs-test',
					customer_id: 'cust-7',
					brand: 'VISA',
					number: '**** 1019',
				},
				extra: { merchant_id: 'm-1', autopay: { subscription_id: 'sub-55' } },
			}),
			key,
			'extended',
		);
		expect(verifyOttuSignature(json(payload), key)).toEqual({ valid: true, scheme: 'extended' });
		const nested: Array<[string, (p: typeof payload) => void]> = [
			['agreement.id', (p) => ((p.agreement as { id: string }).id = 'agr-2026-02')],
			['token.token', (p) => ((p.token as { token: string }).token = '9923965822244315')],
			['token.pg_code', (p) => ((p.token as { pg_code: string }).pg_code = 'knet')],
			['token.customer_id', (p) => ((p.token as { customer_id: string }).customer_id = 'cust-8')],
			['extra.merchant_id', (p) => ((p.extra as { merchant_id: string }).merchant_id = 'm-2')],
			[
				'extra.autopay.subscription_id',
				(p) =>
					((p.extra as { autopay: { subscription_id: string } }).autopay.subscription_id =
						'sub-56'),
			],
			['payment_type', (p) => (p.payment_type = 'one_off')],
			['session_id', (p) => (p.session_id = 'other')],
		];
		for (const [path, tamper] of nested) {
			const copy = JSON.parse(json(payload)) as typeof payload;
			tamper(copy);
			expect([path, verifyOttuSignature(json(copy), key).valid]).toEqual([path, false]);
		}
		// Unsigned nested fields may change.
		const copy = JSON.parse(json(payload)) as typeof payload;
		(copy.token as { brand: string }).brand = 'MASTERCARD';
		(copy.agreement as { frequency: string }).frequency = 'weekly';
		expect(verifyOttuSignature(json(copy), key).valid).toBe(true);
	});

	it('fails every single-path tamper of every extended path', () => {
		const payload = signed(
			paidPayment({
				customer_address_city: 'Kuwait City',
				customer_address_country: 'KW',
				customer_address_line1: 'Block 1',
				customer_address_line2: 'Street 2',
				customer_address_postal_code: '13001',
				customer_address_state: 'Capital',
				agreement: { id: 'agr-1' },
				token: { token: 't-1', pg_code: 'mpgs', customer_id: 'c-1' },
				extra: { merchant_id: 'm-1', autopay: { subscription_id: 'sub-1' } },
			}),
			key,
			'extended',
		);
		expect(verifyOttuSignature(json(payload), key).valid).toBe(true);
		for (const path of EXTENDED_SIGNED_PATHS) {
			const copy = JSON.parse(json(payload)) as Record<string, unknown>;
			const keys = path.split('.');
			let holder = copy;
			for (const k of keys.slice(0, -1)) holder = holder[k] as Record<string, unknown>;
			const last = keys[keys.length - 1];
			expect(holder[last]).toEqual(expect.any(String));
			holder[last] = `${String(holder[last])}x`;
			expect([path, verifyOttuSignature(json(copy), key).valid]).toEqual([path, false]);
		}
	});

	it('does not depend on key order or whitespace in the body', () => {
		const payload = signed(paidPayment(), key);
		const reversed = Object.fromEntries(Object.entries(payload).reverse());
		expect(json(reversed)).not.toBe(json(payload));
		expect(verifyOttuSignature(json(reversed), key).valid).toBe(true);
		expect(verifyOttuSignature(JSON.stringify(reversed, null, 2), key).valid).toBe(true);
	});

	it('leaves out null and empty-string fields but signs "0"', () => {
		const payload = signed(
			{ amount: '0', currency_code: 'KWD', order_no: null, customer_email: '', state: 'paid' },
			key,
		);
		expect(standardMessage(parseRawJson(json(payload)))).toBe('amount0currency_codeKWDstatepaid');
		expect(verifyOttuSignature(json(payload), key).valid).toBe(true);
	});

	it('agrees with the reference signer on generated string payloads (both schemes)', () => {
		const value = fc.oneof(
			fc.string(),
			fc.constant(''),
			fc.constant(null),
			fc.string({ unit: 'grapheme' }),
		);
		const record = fc.dictionary(
			fc.constantFrom(...STANDARD_SIGNED_FIELDS, 'session_id', 'payment_type', 'note'),
			value,
		);
		fc.assert(
			fc.property(
				record,
				fc.string({ minLength: 1 }).filter((k) => k.trim() === k && k !== ''),
				fc.boolean(),
				(fields, k, extended) => {
					const scheme = extended ? 'extended' : 'standard';
					const payload = signed(fields, k, scheme);
					expect(signRawBody(json(payload), k, scheme)).toBe(referenceSignature(fields, k, scheme));
					expect(verifyOttuSignature(json(payload), k)).toMatchObject({ valid: true });
				},
			),
			{ numRuns: 300 },
		);
	});
});

/** HMAC of a hand-written message, so the raw-number tests do not go through the module under test. */
function referenceSignatureOfMessage(message: string, key: string): string {
	return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}
