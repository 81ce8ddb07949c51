import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, resetSandbox, startSandbox } from '../helpers/sandbox';
import { apiRequests, createTransaction, paidTransaction } from './support';

describe('Payment Transaction fields, Update and Payment Methods through the real engine and the sandbox', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await resetSandbox(sandbox);
	});

	const run = (
		parameters: IDataObject,
		extra: { items?: IDataObject[]; continueOnFail?: boolean } = {},
	) => runOttu({ parameters, credentials: apiKeyCredentials(sandbox), ...extra });

	it('creates a checkout with the long tail of fields: addresses, notifications, agreement, extra as key-value pairs', async () => {
		const { items, error } = await run(
			{
				resource: 'paymentTransaction',
				operation: 'create',
				type: 'e_commerce',
				amount: '15',
				currencyCode: 'KWD',
				pgCodes: ['credit-card'],
				orderNo: 'SUB-1',
				extraMode: 'keyValue',
				extraFields: {
					field: [
						{ key: 'plan', value: 'gold' },
						{ key: 'ref', value: '={{ $json.ref }}' },
					],
				},
				additionalFields: {
					paymentType: 'auto_debit',
					customerId: 'cust-9',
					customerEmail: 'sara@example.com',
					customerPhone: '+96599999999',
					emailNotifications: ['created', 'paid'],
					smsNotifications: ['paid'],
					language: 'ar',
					dueDatetime: '2026-12-31T18:30:00.000Z',
					billingAddress: {
						address: { line1: 'Block 1, Street 2', city: 'Kuwait City', country: 'kw' },
					},
					shippingAddress: {
						address: {
							firstName: 'Sara',
							lastName: 'Ali',
							email: 'sara@example.com',
							phone: '+96599999999',
							line1: 'Block 3',
							city: 'Salmiya',
							country: 'KW',
						},
					},
					agreement: {
						agreement: {
							id: 'AG-9',
							type: 'recurring',
							frequency: 'monthly',
							amountVariability: 'fixed',
							expiryDate: '2027-12-01',
							cycleIntervalDays: 30,
							totalCycles: 12,
							maxAmountPerCycle: '15',
						},
					},
					cardAcceptanceCriteria: { criteria: { minExpiryTime: 60 } },
					generateQrCode: true,
					vendorName: 'Gold Gym',
				},
			},
			{ items: [{ ref: 'R-77' }] },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			payment_type: 'auto_debit',
			customer_id: 'cust-9',
			language: 'ar',
			due_datetime: '31/12/2026 18:30',
			extra: { plan: 'gold', ref: 'R-77' },
			notifications: { email: ['created', 'paid'], sms: ['paid'] },
			billing_address: { line1: 'Block 1, Street 2', city: 'Kuwait City', country: 'KW' },
			agreement: {
				id: 'AG-9',
				frequency: 'monthly',
				cycle_interval_days: 30,
				total_cycles: 12,
				max_amount_per_cycle: '15.000',
			},
			card_acceptance_criteria: { min_expiry_time: 60 },
		});
	});

	it('creates a save-card checkout with amount 0, and refuses 0 for an ordinary payment before sending', async () => {
		const saved = await run({
			resource: 'paymentTransaction',
			operation: 'create',
			type: 'e_commerce',
			amount: '0',
			currencyCode: 'KWD',
			pgCodes: ['credit-card'],
			additionalFields: { paymentType: 'save_card', customerId: 'cust-1' },
		});
		expect(saved.error).toBeUndefined();
		expect(saved.items[0].json).toMatchObject({ amount: '0.000', payment_type: 'save_card' });
		await resetSandbox(sandbox);
		const refused = await run({
			resource: 'paymentTransaction',
			operation: 'create',
			type: 'e_commerce',
			amount: '0',
			currencyCode: 'KWD',
			pgCodes: ['credit-card'],
		});
		expect(refused.error?.message).toBe('Amount must be greater than zero [item 0]');
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it.each([
		[
			{ additionalFields: { emailNotifications: ['paid'] } },
			'Email Notifications need a Customer Email [item 0]',
		],
		[
			{ additionalFields: { paymentType: 'auto_debit', customerId: 'c' } },
			'Payment Type Auto-Debit needs an Agreement [item 0]',
		],
		[
			{ extraMode: 'json', extraJson: '{"a": }' },
			/^Extra \(JSON\) is not valid JSON: .+ \[item 0\]$/,
		],
		[
			{
				additionalFields: {
					shippingAddress: {
						address: {
							firstName: 'S',
							lastName: 'A',
							email: 'bad',
							phone: '1',
							line1: 'x',
							city: 'y',
							country: 'KW',
						},
					},
				},
			},
			'Shipping Address Email "bad" is not an email address [item 0]',
		],
	])('stops invalid fields %p before anything is sent', async (params, message) => {
		const { error } = await run({
			resource: 'paymentTransaction',
			operation: 'create',
			type: 'e_commerce',
			amount: '5',
			currencyCode: 'KWD',
			pgCodes: ['credit-card'],
			...params,
		});
		if (typeof message === 'string') expect(error?.message).toBe(message);
		else expect(error?.message).toMatch(message);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('updates an unpaid transaction with PATCH, reading its currency to check a new amount', async () => {
		const txn = await createTransaction(sandbox, {
			amount: '10.000',
			currency_code: 'KWD',
			pg_codes: ['credit-card'],
		});
		const { items, error } = await run({
			resource: 'paymentTransaction',
			operation: 'update',
			sessionId: txn.session_id,
			extraMode: 'json',
			extraJson: '{"cart": "v2"}',
			updateFields: {
				amount: '12.5',
				customerFirstName: 'Sara',
				pgCodes: ['credit-card', 'knet-test'],
			},
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			amount: '12.500',
			customer_first_name: 'Sara',
			pg_codes: ['credit-card', 'knet-test'],
			extra: { cart: 'v2' },
		});
		expect(await apiRequests(sandbox)).toEqual([
			'POST /b/checkout/v1/pymt-txn/',
			`GET /b/checkout/v1/pymt-txn/${txn.session_id as string}/`,
			`PATCH /b/checkout/v1/pymt-txn/${txn.session_id as string}/`,
		]);
	});

	it('refuses an amount with too many decimals for the new currency, and an empty update, before sending', async () => {
		const wrong = await run({
			resource: 'paymentTransaction',
			operation: 'update',
			sessionId: 'abc',
			updateFields: { amount: '12.505', currencyCode: 'USD' },
		});
		expect(wrong.error?.message).toBe(
			'Amount "12.505" has 3 decimal places but USD allows 2 [item 0]',
		);
		const empty = await run({
			resource: 'paymentTransaction',
			operation: 'update',
			sessionId: 'abc',
			updateFields: {},
		});
		expect(empty.error?.message).toBe('There is nothing to update [item 0]');
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it("surfaces Ottu's refusal to update a paid transaction", async () => {
		const sid = await paidTransaction(sandbox);
		const { error } = await run({
			resource: 'paymentTransaction',
			operation: 'update',
			sessionId: sid,
			updateFields: { customerFirstName: 'Late' },
		});
		expect(error?.message).toMatch(
			/^Ottu refused the request \(HTTP 400\): .*cannot be updated.* \[item 0\]$/,
		);
	});

	it("surfaces Ottu's refusal of a payment-methods filter readably", async () => {
		const { error } = await run({
			resource: 'paymentMethod',
			operation: 'getAll',
			plugin: '={{ "shop" }}',
			returnAll: true,
		});
		expect(error?.message).toMatch(
			/^Ottu refused the request \(HTTP 400\): plugin: .*shop.* \[item 0\]$/,
		);
	});

	it('lists payment methods as one item per gateway, filtered and limited', async () => {
		const all = await run({
			resource: 'paymentMethod',
			operation: 'getAll',
			plugin: 'e_commerce',
			returnAll: true,
			filters: { currencies: 'kwd' },
		});
		expect(all.error).toBeUndefined();
		const codes = all.items.map((i) => i.json.code);
		expect(codes).toEqual(expect.arrayContaining(['knet-test', 'credit-card']));
		expect(codes).not.toContain('stcpay');
		const tokenizable = await run({
			resource: 'paymentMethod',
			operation: 'getAll',
			plugin: 'e_commerce',
			returnAll: true,
			filters: { tokenizable: true },
		});
		expect(tokenizable.items.every((i) => i.json.is_tokenizable === true)).toBe(true);
		expect(tokenizable.items.length).toBeGreaterThan(0);
		const limited = await run({
			resource: 'paymentMethod',
			operation: 'getAll',
			plugin: 'e_commerce',
			returnAll: false,
			limit: 2,
		});
		expect(limited.items).toHaveLength(2);
	});
});
