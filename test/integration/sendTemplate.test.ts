import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import type { TestFile } from '../helpers/n8n';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, resetSandbox, startSandbox } from '../helpers/sandbox';
import { addFault, apiRequests, sentNotifications } from './support';

const PDF = Buffer.from('%PDF-1.4 receipt\n');
const files: Record<string, TestFile> = {
	receipt: { base64: PDF.toString('base64'), fileName: 'receipt.pdf', mimeType: 'application/pdf' },
	terms: {
		base64: Buffer.from('terms').toString('base64'),
		fileName: 'terms.txt',
		mimeType: 'text/plain',
	},
};

describe('Notification → Send Template through the real n8n engine and the sandbox', () => {
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

	const run = (over: IDataObject, input: Array<Record<string, TestFile> | null> = [files]) =>
		runOttu({
			parameters: {
				resource: 'notification',
				operation: 'sendTemplate',
				channel: 'email',
				templateId: 'communication-notification-email',
				to: 'buyer@example.com',
				...over,
			},
			credentials: apiKeyCredentials(sandbox),
			files: input,
		});

	it('sends an email template with cc/bcc, subject, context, language and two attachments from binary fields', async () => {
		const { items, error } = await run({
			templateOptions: {
				cc: 'sales@example.com, ops@example.com',
				bcc: 'audit@example.com',
				subject: 'Your receipt',
				context: '{"customer_name": "Sara", "amount": "12.500"}',
				language: 'ar',
				attachmentProperties: 'receipt, terms',
				traceId: 'trace-1',
				tags: 'receipts, q4',
			},
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			message: 'Notification sent.',
			result: 'success',
			channel: 'email',
			template_id: 'communication-notification-email',
			to: 'buyer@example.com',
		});
		const [sent] = await sentNotifications(sandbox);
		expect(sent).toMatchObject({
			kind: 'template',
			channels: ['email'],
			to: 'buyer@example.com',
			language: 'ar',
			cc: ['sales@example.com', 'ops@example.com'],
			bcc: ['audit@example.com'],
			subject: 'Your receipt',
			context: { customer_name: 'Sara', amount: '12.500' },
			attachments: [
				{ filename: 'receipt.pdf', content_type: 'application/pdf', bytes: PDF.length },
				{ filename: 'terms.txt', content_type: 'text/plain', bytes: 5 },
			],
		});
	});

	it('sends SMS to an international number (spaces removed) and WhatsApp with its unit config', async () => {
		expect((await run({ channel: 'sms', to: '+965 5000 0000' })).error).toBeUndefined();
		expect(
			(await run({ channel: 'whatsapp', to: '+96550000001', unitConfig: 7 })).error,
		).toBeUndefined();
		const sent = await sentNotifications(sandbox);
		expect(sent.map((s) => [s.channels, s.to, s.unit_config])).toEqual([
			[['sms'], '+96550000000', undefined],
			[['whatsapp'], '+96550000001', 7],
		]);
	});

	it.each([
		[{ to: 'buyer-at-example.com' }, 'To "buyer-at-example.com" is not an email address [item 0]'],
		[
			{ channel: 'sms', to: 'buyer@example.com' },
			'To "buyer@example.com" is not an international phone number [item 0]',
		],
		[
			{ channel: 'whatsapp', to: '50000000', unitConfig: 7 },
			'To "50000000" is not an international phone number [item 0]',
		],
		[{ channel: 'whatsapp', to: '+96550000001' }, 'WhatsApp needs a Unit Config [item 0]'],
		[{ templateId: '={{ "" }}' }, 'Template ID is required, got an empty value [item 0]'],
		[
			{ templateOptions: { cc: 'sales@example.com, nobody' } },
			'CC contains "nobody", which is not an email address [item 0]',
		],
		[
			{ templateOptions: { attachmentProperties: 'invoice' } },
			'Attachments (Binary Properties): the input item has no binary property "invoice" [item 0]',
		],
		[{ templateOptions: { context: '{"a": ' } }, undefined],
	])('refuses %p before anything is sent', async (over, message) => {
		const { error } = await run(over);
		if (message) expect(error?.message).toBe(message);
		else expect(error?.message).toMatch(/^Context \(JSON\)/);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('is sent once: a lost answer is not repeated (a repeat would send the message twice) and the error says so', async () => {
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/send-notification/',
			kind: 'drop_after_commit',
			count: 1,
		});
		const { error } = await run({});
		expect(error?.message).toBe('The connection to Ottu was interrupted [item 0]');
		expect(error?.description).toContain('check in Ottu before running it again');
		expect(await sentNotifications(sandbox)).toHaveLength(1);
	});
});
