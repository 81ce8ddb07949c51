import { createTxn, ledger, startHarness } from './helpers';
import type { Harness } from './helpers';

const apple = {
	paymentData: {
		version: 'EC_v1',
		data: 'blob',
		signature: 'sig',
		header: { publicKeyHash: 'pkh', transactionId: 'tid' },
	},
	paymentMethod: { displayName: 'Visa 1111', network: 'Visa', type: 'debit' },
	transactionIdentifier: 'tid',
};

describe('checkout: gateway permissions and one-step checkout', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness({
			users: [
				{
					username: 'shop',
					password: 'pw-shop-1',
					permissions: ['add_e_commerce', 'change_e_commerce', 'use_pg:knet-test'],
				},
			],
		});
	});
	afterAll(async () => h.sandbox.close());
	beforeEach(async () => {
		await h.client.reset();
	});

	const body = (over: Record<string, unknown> = {}) => ({
		type: 'e_commerce',
		amount: '10.000',
		currency_code: 'KWD',
		pg_codes: ['knet-test'],
		...over,
	});

	it('Basic users need "Can use <pg_code>" for every gateway they set', async () => {
		const shop = h.as('shop', 'pw-shop-1');
		const ok = await shop.post('/b/checkout/v1/pymt-txn/', body());
		expect(ok.status).toBe(201);
		expect(ok.data.initiator).toBeUndefined();
		expect(
			(
				await shop.post(
					'/b/checkout/v1/pymt-txn/',
					body({ pg_codes: ['knet-test', 'credit-card'] }),
				)
			).status,
		).toBe(403);
		expect(
			(await shop.patch(`/b/checkout/v1/pymt-txn/${ok.data.session_id}/`, { amount: '12' })).status,
		).toBe(200);
		expect(
			(
				await shop.patch(`/b/checkout/v1/pymt-txn/${ok.data.session_id}/`, {
					pg_codes: ['credit-card'],
				})
			).status,
		).toBe(403);
		// View is implied by add/change.
		expect((await shop.get(`/b/checkout/v1/pymt-txn/${ok.data.session_id}/`)).data.amount).toBe(
			'12.000',
		);
	});

	it('creates and pays in one call with payment_instrument (Apple Pay), answering the webhook payload', async () => {
		const res = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({
				pg_codes: ['apple-pay'],
				payment_instrument: { instrument_type: 'apple_pay', payload: apple },
			}),
		);
		expect(res.status).toBe(201);
		expect(res.data).toMatchObject({
			state: 'paid',
			result: 'success',
			gateway_account: 'apple-pay',
			amount: '10.000',
		});
		expect(res.data.signature).toMatch(/^[0-9a-f]{64}$/);
		expect((await ledger(h, res.data.session_id)).paid).toBe('10.000');
	});

	it('one-step checkout with a saved card token', async () => {
		await h.client.seedCard({
			customer_id: 'c-1',
			pg_code: 'credit-card',
			token: '5123450000000008',
		});
		const res = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({
				pg_codes: ['credit-card'],
				customer_id: 'c-1',
				payment_instrument: { instrument_type: 'token', payload: { token: '5123450000000008' } },
			}),
		);
		expect(res.status).toBe(201);
		expect(res.data).toMatchObject({ state: 'paid', token: { token: '5123450000000008' } });
		const other = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({
				pg_codes: ['credit-card'],
				customer_id: 'c-2',
				payment_instrument: { instrument_type: 'token', payload: { token: '5123450000000008' } },
			}),
		);
		expect(other.status).toBe(400);
		expect(other.data).toEqual({
			detail: 'Invalid token: no saved card of this customer matches it.',
			result: 'failed',
		});
	});

	it('validates payment_instrument and the single pg_code rule', async () => {
		const two = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({
				pg_codes: ['apple-pay', 'credit-card'],
				payment_instrument: { instrument_type: 'apple_pay', payload: apple },
			}),
		);
		expect(two.data).toEqual({
			pg_codes: ['Exactly one pg_code is allowed with payment_instrument.'],
		});
		const kind = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({ payment_instrument: { instrument_type: 'cash' } }),
		);
		expect(kind.data).toEqual({
			payment_instrument: { instrument_type: ['"cash" is not a valid choice.'] },
		});
		const missing = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({ amount: undefined, payment_instrument: { instrument_type: 'token', payload: {} } }),
		);
		expect(missing.data).toEqual({
			amount: ['This field is required.'],
			payment_instrument: { payload: { token: ['This field is required.'] } },
		});
		// OpenAPI WalletInstrument: the payload "must specify wallet_code".
		const noWallet = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({ payment_instrument: { instrument_type: 'wallet', payload: {} } }),
		);
		expect(noWallet.data).toEqual({
			payment_instrument: { payload: { wallet_code: ['This field is required.'] } },
		});
		expect(
			(await h.client.requests()).filter((r: { status: number }) => r.status === 201),
		).toHaveLength(0);
	});

	it('checks billing country codes and expiration_time durations', async () => {
		const res = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({
				billing_address: { line1: 'a', city: 'b', country: 'XX' },
				expiration_time: 'tomorrow',
			}),
		);
		expect(res.data).toEqual({
			billing_address: { country: ['"XX" is not a valid choice.'] },
			expiration_time: [
				'Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].',
			],
		});
		expect(
			(
				await h.api.post(
					'/b/checkout/v1/pymt-txn/',
					body({
						billing_address: { line1: 'a', city: 'b', country: 'KW' },
						expiration_time: '2 00:00:00',
					}),
				)
			).status,
		).toBe(201);
	});

	it("checks attachment file types and branding colours as Ottu's OpenAPI patterns do", async () => {
		const branding = (color: string) => ({
			payment_methods: { 'knet-test': { text: 'Pay with KNET', color } },
		});
		const res = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({ attachment_upload_url: 'attachments/setup.exe', branding_options: branding('red') }),
		);
		expect(res.status).toBe(400);
		expect(res.data).toEqual({
			attachment_upload_url: ['Enter a valid value.'],
			branding_options: { payment_methods: { 'knet-test': { color: ['Enter a valid value.'] } } },
		});
		expect(
			(
				await h.api.post(
					'/b/checkout/v1/pymt-txn/',
					body({ branding_options: { knet: { text: 'x', color: '#fff' } } }),
				)
			).data,
		).toEqual({
			branding_options: { payment_methods: ['This field is required.'] },
		});
		const ok = await h.api.post(
			'/b/checkout/v1/pymt-txn/',
			body({
				attachment_upload_url: 'attachments/invoice.pdf',
				branding_options: branding('#0a7'),
			}),
		);
		expect(ok.status).toBe(201);
	});

	it('update is refused once paid, and the ledger follows a currency change before payment', async () => {
		const txn = await createTxn(h);
		const usd = await h.api.patch(`/b/checkout/v1/pymt-txn/${txn.session_id}/`, {
			currency_code: 'USD',
			amount: '5',
		});
		expect(usd.data.amount).toBe('5.00');
		expect((await ledger(h, txn.session_id)).refunded).toBe('0.00');
		await h.client.pay(txn.session_id, 'paid');
		const late = await h.api.patch(`/b/checkout/v1/pymt-txn/${txn.session_id}/`, { amount: '6' });
		expect(late.status).toBe(400);
		expect(late.data).toEqual({ detail: 'A transaction in state "paid" cannot be updated.' });
	});
});
