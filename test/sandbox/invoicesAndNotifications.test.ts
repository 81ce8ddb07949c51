import Decimal from 'decimal.js';
import fc from 'fast-check';

import { computeInvoice } from '../../sandbox/domains/invoices';
import { createTxn, payTxn, startHarness } from './helpers';
import type { Harness } from './helpers';

const invoiceBody = (over: Record<string, unknown> = {}) => ({
	type: 'e_commerce',
	currency_code: 'KWD',
	pg_codes: ['credit-card'],
	invoice_number: 'INV-1',
	due_date: '2030-01-31',
	invoice_items: [{ sku: 'A-1', description: 'Dates', quantity: '1.111', unit_price: '5.234' }],
	...over,
});

describe('POST /b/invoice/v1/invoice/', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness({
			users: [{ username: 'noinv', password: 'pw-noinv-1', permissions: ['add_e_commerce'] }],
		});
	});
	afterAll(async () => h.sandbox.close());
	beforeEach(async () => {
		await h.client.reset();
	});

	it("computes Ottu's documented example (1.111 × 5.234 KWD = 5.815) and creates a payable transaction", async () => {
		const res = await h.api.post('/b/invoice/v1/invoice/', invoiceBody());
		expect(res.status).toBe(201);
		expect(res.data).toMatchObject({
			amount: '5.815',
			subtotal: '5.815',
			total_incl_tax: '5.815',
			status: 'sent',
			invoice_number: 'INV-1',
			state: 'created',
		});
		expect(res.data.invoice_items[0]).toMatchObject({
			id: 1,
			total_excl_tax: '5.815',
			tax_amount: '0.000',
			total_incl_tax: '5.815',
			currency_code: 'KWD',
		});
		expect(res.data.session_id).toMatch(/^[0-9a-f]{40}$/);
		expect(res.data.checkout_url).toContain(res.data.session_id);
		const ledger = await h.client.ledger(res.data.session_id);
		expect(ledger.amount).toBe('5.815');
	});

	it('applies item tax and discount, invoice discount, tax and shipping, rounding half up at every step', async () => {
		const body = invoiceBody({
			invoice_items: [
				{
					sku: 'A',
					description: 'a',
					quantity: '3',
					unit_price: '1.005',
					discount_percentage: '10',
					tax_rate: '5',
				},
				{
					sku: 'B',
					description: 'b',
					quantity: '2',
					unit_price: '0.125',
					discount_amount: '0.050',
				},
			],
			discount_percentage: '2.5',
			tax_rate: '15',
			shipping_excl_tax: '1.250',
			shipping_tax_rate: '5',
		});
		// item A: qp 3.015, disc round(0.3015)=0.302 → 2.713, tax round(0.13565)=0.136 → 2.849
		// item B: qp 0.250, disc 0.050 → 0.200, tax 0 → 0.200
		// subtotal 3.049; discount round(0.076225)=0.076 → 2.973; tax round(0.44595)=0.446
		// shipping 1.250 + round(0.0625)=0.063 → 1.313; total 2.973 + 0.446 + 1.313 = 4.732
		const res = await h.api.post('/b/invoice/v1/invoice/', {
			...body,
			amount: '4.732',
			subtotal: '3.049',
			tax_amount: '0.446',
		});
		expect(res.status).toBe(201);
		expect(res.data).toMatchObject({
			subtotal: '3.049',
			discount_amount: '0.076',
			total_excl_tax: '2.973',
			tax_amount: '0.446',
			shipping_incl_tax: '1.313',
			total_incl_tax: '4.732',
			amount: '4.732',
		});
		expect(res.data.invoice_items.map((i: Record<string, string>) => i.total_incl_tax)).toEqual([
			'2.849',
			'0.200',
		]);
	});

	it('refuses VAL-CALC fields that differ from the computation, at invoice and item level', async () => {
		const res = await h.api.post(
			'/b/invoice/v1/invoice/',
			invoiceBody({
				amount: '5.814',
				invoice_items: [
					{
						sku: 'A-1',
						description: 'Dates',
						quantity: '1.111',
						unit_price: '5.234',
						total_excl_tax: '5.814',
					},
				],
			}),
		);
		expect(res.status).toBe(400);
		expect(res.data).toEqual({
			invoice_items: [
				{
					total_excl_tax: [
						'Ensure this value matches the calculated total_excl_tax 5.815 (got 5.814).',
					],
				},
			],
			amount: ['Ensure this value matches the calculated amount 5.815 (got 5.814).'],
		});
		expect((await h.client.requests()).at(-1)).toMatchObject({ status: 400 });
	});

	it('validates required fields, discounts, gateways and permissions', async () => {
		const empty = await h.api.post('/b/invoice/v1/invoice/', {});
		expect(empty.data).toMatchObject({
			type: ['This field is required.'],
			currency_code: ['This field is required.'],
			pg_codes: ['This field is required.'],
			invoice_number: ['This field is required.'],
			due_date: ['This field is required.'],
			invoice_items: ['This field is required.'],
		});
		const both = await h.api.post(
			'/b/invoice/v1/invoice/',
			invoiceBody({ discount_amount: '1', discount_percentage: '5' }),
		);
		expect(both.data.non_field_errors).toEqual([
			'Use either discount_amount or discount_percentage, not both.',
		]);
		const tooBig = await h.api.post(
			'/b/invoice/v1/invoice/',
			invoiceBody({ discount_amount: '6' }),
		);
		expect(tooBig.data.discount_amount).toEqual([
			'The discount 6.000 is more than the invoice total 5.815.',
		]);
		const rate = await h.api.post('/b/invoice/v1/invoice/', invoiceBody({ tax_rate: '5.125' }));
		expect(rate.data.tax_rate).toEqual(['Ensure that there are no more than 2 decimal places.']);
		const date = await h.api.post(
			'/b/invoice/v1/invoice/',
			invoiceBody({ due_date: '31/01/2030' }),
		);
		expect(date.data.due_date).toEqual([
			'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
		]);
		const auth = await h.api.post(
			'/b/invoice/v1/invoice/',
			invoiceBody({ pg_codes: ['mpgs-auth'] }),
		);
		expect(auth.data.pg_codes).toEqual([
			'Invoices need a purchase gateway; "mpgs-auth" only authorizes.',
		]);
		const item = await h.api.post(
			'/b/invoice/v1/invoice/',
			invoiceBody({ invoice_items: [{ sku: 'x' }] }),
		);
		expect(item.data.invoice_items).toEqual([
			{
				description: ['This field is required.'],
				quantity: ['This field is required.'],
				unit_price: ['This field is required.'],
			},
		]);
		const denied = await h.as('noinv', 'pw-noinv-1').post('/b/invoice/v1/invoice/', invoiceBody());
		expect(denied.status).toBe(403);
	});

	it('the invoice total always equals the sum of its rounded parts (property)', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						q: fc.integer({ min: 1, max: 5000 }),
						p: fc.integer({ min: 1, max: 100000 }),
						t: fc.integer({ min: 0, max: 2500 }),
					}),
					{ minLength: 1, maxLength: 5 },
				),
				fc.integer({ min: 0, max: 2000 }),
				(items, ship) => {
					const errors: Record<string, unknown> = {};
					const totals = computeInvoice(
						{
							invoice_items: items.map((i) => ({
								sku: 's',
								description: 'd',
								quantity: new Decimal(i.q).div(1000).toString(),
								unit_price: new Decimal(i.p).div(1000).toString(),
								tax_rate: new Decimal(i.t).div(100).toString(),
							})),
							shipping_excl_tax: new Decimal(ship).div(1000).toString(),
						},
						3,
						errors,
					);
					const sum = totals.items
						.reduce((s, i) => s.plus(i.total_incl_tax as string), new Decimal(0))
						.plus(totals.shipping_incl_tax);
					expect(totals.amount).toBe(sum.toFixed(3));
					expect(totals.amount).toMatch(/^\d+\.\d{3}$/);
				},
			),
			{ numRuns: 200 },
		);
	});
});

describe('POST /b/pbl/v2/message-notification/', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(async () => h.sandbox.close());

	it('notifies on configured channels for the current state and records it', async () => {
		const txn = await createTxn(h, {
			customer_email: 'a@example.com',
			customer_phone: '96550000000',
			notifications: { email: ['created', 'paid'], sms: ['paid'] },
		});
		const created = await h.api.post('/b/pbl/v2/message-notification/', {
			session_id: txn.session_id,
			channels: ['email'],
		});
		expect(created.status).toBe(200);
		expect(created.data).toEqual({ message: 'Customer notified.' });
		const sms = await h.api.post('/b/pbl/v2/message-notification/', {
			order_no: txn.order_no,
			channels: ['sms'],
		});
		expect(sms.status).toBe(400);
		expect(sms.data).toEqual({
			order_no: txn.order_no,
			channels: 'No sms notification is configured for the "created" state of this transaction.',
			result: 'failed',
		});
		await payTxn(h, txn.session_id, 'paid');
		expect(
			(
				await h.api.post('/b/pbl/v2/message-notification/', {
					session_id: txn.session_id,
					channels: ['sms', 'email'],
				})
			).status,
		).toBe(200);
		const log = await h.client.notifications();
		expect(log.map((n) => [n.state, n.channels])).toEqual([
			['created', ['email']],
			['paid', ['sms', 'email']],
		]);
	});

	it('validates channels and identifiers', async () => {
		expect((await h.api.post('/b/pbl/v2/message-notification/', { session_id: 'x' })).data).toEqual(
			{ channels: ['This field is required.'] },
		);
		expect(
			(await h.api.post('/b/pbl/v2/message-notification/', { session_id: 'x', channels: ['fax'] }))
				.data,
		).toEqual({ channels: ['"fax" is not a valid choice.'] });
		expect(
			(await h.api.post('/b/pbl/v2/message-notification/', { channels: ['sms'] })).data,
		).toEqual({ channels: 'Either session_id or order_no must be provided.', result: 'failed' });
		expect(
			(
				await h.api.post('/b/pbl/v2/message-notification/', {
					session_id: 'nope',
					channels: ['sms'],
				})
			).status,
		).toBe(404);
	});
});

describe('template notifications', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(async () => h.sandbox.close());

	it('sends by body channel or path channel and records the message', async () => {
		const email = await h.api.post('/b/pbl/v2/send-notification/', {
			channel: 'email',
			template_id: 'receipt',
			to: 'a@example.com',
			context: { name: 'Noor' },
			cc: ['b@example.com'],
		});
		expect(email.data).toEqual({ message: 'Notification sent.', result: 'success' });
		const sms = await h.api.post('/b/pbl/v2/notifications/send/sms/', {
			template_id: 'otp',
			to: '+96550000000',
			language: 'ar',
		});
		expect(sms.status).toBe(200);
		const log = await h.client.notifications();
		expect(log.map((n) => [n.kind, n.channels, n.template_id, n.to, n.language])).toEqual([
			['template', ['email'], 'receipt', 'a@example.com', 'en'],
			['template', ['sms'], 'otp', '+96550000000', 'ar'],
		]);
	});

	it('validates addresses, channel-only fields and attachments', async () => {
		const send = (body: Record<string, unknown>) =>
			h.api.post('/b/pbl/v2/send-notification/', body);
		expect((await send({})).data).toEqual({
			channel: ['This field is required.'],
			template_id: ['This field is required.'],
			to: ['This field is required.'],
		});
		expect((await send({ channel: 'email', template_id: 't', to: 'nobody' })).data).toEqual({
			to: ['Enter a valid email address.'],
		});
		expect((await send({ channel: 'sms', template_id: 't', to: '12' })).data).toEqual({
			to: ['Enter a valid phone number in international format.'],
		});
		expect(
			(await send({ channel: 'sms', template_id: 't', to: '+96550000000', cc: ['a@example.com'] }))
				.data,
		).toEqual({
			detail: 'cc, bcc and attachments are only for the email channel.',
			result: 'failed',
		});
		expect(
			(await send({ channel: 'whatsapp', template_id: 't', to: '+96550000000' })).data,
		).toEqual({ unit_config: ['This field is required for WhatsApp.'] });
		expect(
			(
				await send({
					channel: 'email',
					template_id: 't',
					to: 'a@example.com',
					attachments: [{ filename: 'x.pdf' }],
				})
			).data,
		).toEqual({ detail: 'Attachment 1 needs content (base64) or a url.', result: 'failed' });
		expect(
			(await h.api.post('/b/pbl/v2/notifications/send/fax/', { template_id: 't', to: 'a' })).data,
		).toEqual({ channel: ['"fax" is not a valid choice.'] });
	});
});
