import { createTxn, payTxn, startHarness } from './helpers';
import type { Harness, Json } from './helpers';

describe('POST /b/pbl/v2/payment-methods/', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness({
			users: [{ username: 'k', password: 'pw-k-1', permissions: ['use_pg:knet-test'] }],
		});
	});
	afterAll(async () => h.sandbox.close());

	const codes = (data: Json) => data.payment_methods.map((m: Json) => m.code);

	it('filters the catalogue and lists the gateways a customer paid with', async () => {
		const all = await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' });
		expect(codes(all.data)).toEqual([
			'knet-test',
			'credit-card',
			'mpgs-auth',
			'apple-pay',
			'google-pay',
			'stcpay',
			'benefit',
			'knet',
		]);
		expect(
			codes(
				(
					await h.api.post('/b/pbl/v2/payment-methods/', {
						plugin: 'e_commerce',
						currencies: ['SAR'],
					})
				).data,
			),
		).toEqual(['credit-card', 'mpgs-auth', 'apple-pay', 'google-pay', 'stcpay']);
		expect(
			codes(
				(
					await h.api.post('/b/pbl/v2/payment-methods/', {
						plugin: 'e_commerce',
						operation: 'authorize',
					})
				).data,
			),
		).toEqual(['mpgs-auth']);
		expect(
			codes(
				(
					await h.api.post('/b/pbl/v2/payment-methods/', {
						plugin: 'e_commerce',
						type: 'production',
					})
				).data,
			),
		).toEqual(['knet']);
		expect(
			codes(
				(
					await h.api.post('/b/pbl/v2/payment-methods/', {
						plugin: 'e_commerce',
						payment_services: ['apple_pay'],
					})
				).data,
			),
		).toEqual(['apple-pay']);
		expect(
			codes(
				(
					await h.api.post('/b/pbl/v2/payment-methods/', {
						plugin: 'e_commerce',
						tokenizable: true,
						pg_names: ['mpgs'],
					})
				).data,
			),
		).toEqual(['credit-card', 'mpgs-auth']);
		expect(
			codes(
				(await h.as('k', 'pw-k-1').post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' }))
					.data,
			),
		).toEqual(['knet-test']);
		const txn = await createTxn(h, {
			customer_id: 'cust-pm',
			pg_codes: ['knet-test', 'credit-card'],
		});
		await payTxn(h, txn.session_id, 'paid', { pg_code: 'knet-test' });
		const mine = await h.api.post('/b/pbl/v2/payment-methods/', {
			plugin: 'e_commerce',
			customer_id: 'cust-pm',
		});
		expect(mine.data.customer_payment_methods.map((m: Json) => m.code)).toEqual(['knet-test']);
		expect(
			(
				await h.api.post('/b/pbl/v2/payment-methods/', {
					plugin: 'e_commerce',
					customer_id: 'someone-else',
				})
			).data.customer_payment_methods,
		).toEqual([]);
	});

	it('validates the filters', async () => {
		expect((await h.api.post('/b/pbl/v2/payment-methods/', {})).data).toEqual({
			plugin: ['This field is required.'],
		});
		expect(
			(await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'shop', operation: 'sell' })).data,
		).toEqual({
			plugin: ['"shop" is not a valid choice.'],
			operation: ['"sell" is not a valid choice.'],
		});
		// Ottu's tags are business verticals (an enum in its OpenAPI), not gateway kinds.
		expect(
			(await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce', tags: ['cards'] }))
				.data,
		).toEqual({ tags: ['"cards" is not a valid choice.'] });
		expect(
			codes(
				(await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce', tags: ['retail'] }))
					.data,
			),
		).toEqual(['knet']);
	});
});
