import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, resetSandbox, sandboxClient, startSandbox } from '../helpers/sandbox';
import { apiRequests, createTransaction, paidTransaction } from './support';

describe('Invoice and Notification through the real n8n engine and the sandbox', () => {
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

	const invoice = (over: IDataObject = {}): IDataObject => ({
		resource: 'invoice',
		operation: 'create',
		type: 'payment_request',
		currencyCode: 'KWD',
		pgCodes: ['knet-test', 'credit-card'],
		invoiceNumber: 'INV-2026-0042',
		dueDate: '2026-12-31T00:00:00.000Z',
		invoiceItems: {
			item: [
				{
					sku: 'TS-1',
					description: 'T-shirt',
					quantity: '2',
					unitPrice: '3.125',
					taxRate: '5',
					discountPercentage: '10',
				},
				{ sku: 'CAP', description: 'Cap', quantity: '1.111', unitPrice: '5.234' },
			],
		},
		invoiceOptions: {
			discountAmount: '1',
			taxRate: '2.5',
			shippingExclTax: '1.5',
			shippingTaxRate: '5',
			shippingMethod: 'Courier',
			companyName: 'Acme',
		},
		additionalFields: { customerEmail: 'billing@acme.example', orderNo: 'INV-ORD-1' },
		...over,
	});

	it("creates an invoice whose exactly computed totals Ottu confirms (Ottu's own arithmetic, half up at every step)", async () => {
		const { items, error } = await run(
			invoice({
				invoiceOptions: {
					discountAmount: '1',
					taxRate: '2.5',
					shippingExclTax: '1.5',
					shippingTaxRate: '5',
					expectedTotal: '12.564',
				},
			}),
		);
		expect(error).toBeUndefined();
		const json = items[0].json;
		expect(json.amount).toBe('12.564');
		expect(json.invoice_number).toBe('INV-2026-0042');
		expect(json.due_date).toBe('2026-12-31');
		expect(json.session_id).toMatch(/^[0-9a-f]{40}$/);
		expect(json.checkout_url).toContain(json.session_id as string);
		expect(json.order_no).toBe('INV-ORD-1');
	});

	it('stops an invoice that does not add up to the expected total before anything is sent', async () => {
		const { error } = await run(invoice({ invoiceOptions: { expectedTotal: '13' } }));
		expect(error?.message).toBe(
			'The invoice adds up to 11.721 KWD, not the expected 13.000 KWD [item 0]',
		);
		expect(error?.description).toContain('subtotal 11.721');
		expect(error?.description).toContain('Nothing was sent to Ottu.');
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it.each([
		[{ invoiceItems: { item: [] } }, 'The invoice has no line items [item 0]'],
		[
			{
				invoiceItems: {
					item: [
						{ sku: 'A', description: 'a', quantity: '1', unitPrice: '5', discountAmount: '6' },
					],
				},
			},
			'Item 1 discount 6.000 is larger than its value 5.000 (quantity × unit price) [item 0]',
		],
		[{ dueDate: '31/12/2026' }, 'Due Date "31/12/2026" is not a date [item 0]'],
	])('stops invalid invoice input %p before sending', async (over, message) => {
		const { error } = await run(invoice(over));
		expect(error?.message).toBe(message);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it("surfaces Ottu's refusal readably (a gateway that cannot take KWD)", async () => {
		const { error } = await run(invoice({ pgCodes: ['stcpay'] }));
		expect(error?.message).toMatch(
			/^Ottu refused the request \(HTTP 400\): pg_codes: .*stcpay.* \[item 0\]$/,
		);
	});

	it('resends the paid notification by order_no and records it once per run', async () => {
		const sid = await paidTransaction(sandbox, {
			order_no: 'ORD-N-1',
			customer_email: 'buyer@example.com',
			notifications: { email: ['paid'] },
		});
		const { items, error } = await run({
			resource: 'notification',
			operation: 'resend',
			identifyBy: 'orderNo',
			orderNo: 'ORD-N-1',
			channels: ['email'],
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			message: 'Customer notified.',
			order_no: 'ORD-N-1',
			channels: ['email'],
		});
		const sent = await sandboxClient(sandbox).notifications();
		expect(sent).toEqual([expect.objectContaining({ session_id: sid, channels: ['email'] })]);
	});

	it("explains Ottu's refusal of a channel with no notification for the state, without echo noise", async () => {
		const txn = await createTransaction(sandbox, { customer_email: 'buyer@example.com' });
		const { error } = await run({
			resource: 'notification',
			operation: 'resend',
			identifyBy: 'sessionId',
			sessionId: txn.session_id,
			channels: ['email', 'sms'],
		});
		expect(error?.message).toBe(
			'Ottu refused the request (HTTP 400): channels: No email, sms notification is configured for the "created" state of this transaction. [item 0]',
		);
	});

	it('stops an empty channel list before sending', async () => {
		const { error } = await run({
			resource: 'notification',
			operation: 'resend',
			identifyBy: 'sessionId',
			sessionId: 'abc',
			channels: '={{ [] }}',
		});
		expect(error?.message).toBe('Choose at least one channel [item 0]');
		expect(await apiRequests(sandbox)).toEqual([]);
	});
});
