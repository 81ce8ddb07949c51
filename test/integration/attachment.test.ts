import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import type { TestFile } from '../helpers/n8n';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, ottuCall } from '../helpers/sandbox';
import { apiRequests, createTransaction, useSandbox } from './support';

const PDF = Buffer.from('%PDF-1.4\n% invoice INV-42\n%%EOF\n');
const pdf = (fileName = 'invoice.pdf', data = PDF): Record<string, TestFile> => ({
	data: { base64: data.toString('base64'), fileName, mimeType: 'application/pdf' },
});

describe('Attachments from n8n binary data through the real n8n engine and the sandbox', () => {
	const harness = useSandbox();

	const run = (parameters: IDataObject, files: Array<Record<string, TestFile> | null> = [pdf()]) =>
		runOttu({ parameters, credentials: apiKeyCredentials(harness.sandbox), files });
	const upload = (over: IDataObject = {}) => ({
		resource: 'paymentTransaction',
		operation: 'uploadAttachment',
		binaryPropertyName: 'data',
		...over,
	});
	const download = async (url: string) =>
		Buffer.from((await axios.get(url, { responseType: 'arraybuffer' })).data as ArrayBuffer);

	it('uploads the file to a transaction by session_id with a short link; the checkout object and hosted page offer it', async () => {
		const txn = await createTransaction(harness.sandbox, { order_no: 'ORD-A-1' });
		const { items, error } = await run(
			upload({ attachTo: 'sessionId', sessionId: txn.session_id, shortifyAttachmentUrl: true }),
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			file_url: 'attachments/invoice.pdf',
			original_filename: 'invoice.pdf',
			attachment_short_url: expect.stringMatching(/\/media\/s\/[0-9a-f]+\/$/),
		});

		const checkout = (
			await ottuCall<IDataObject>(
				harness.sandbox,
				'GET',
				`/b/checkout/v1/pymt-txn/${txn.session_id}/`,
			)
		).data;
		expect(await download(checkout.attachment as string)).toEqual(PDF);
		expect(await download(items[0].json.attachment_short_url as string)).toEqual(PDF);
		const page = (await axios.get(txn.checkout_url as string)).data as string;
		expect(page).toContain(
			`<a id="attachment" href="${checkout.attachment as string}">invoice.pdf</a>`,
		);
	});

	it('attaches by order_no, and a second file of the same name gets its own file_url', async () => {
		await createTransaction(harness.sandbox, { order_no: 'ORD-A-2' });
		await run(upload());
		const { items, error } = await run(upload({ attachTo: 'orderNo', orderNo: 'ORD-A-2' }));
		expect(error).toBeUndefined();
		expect(items[0].json.file_url).toMatch(/^attachments\/invoice_[0-9a-f]{8}\.pdf$/);
	});

	it('Create with Attachment (Binary Property) uploads the file first and creates the link with its file_url', async () => {
		const { items, error } = await run({
			resource: 'paymentTransaction',
			operation: 'create',
			type: 'payment_request',
			amount: '12.500',
			currencyCode: 'KWD',
			pgCodes: ['credit-card'],
			additionalFields: { attachmentBinaryProperty: 'data', customerEmail: 'buyer@example.com' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json.attachment_upload_url).toBe('attachments/invoice.pdf');
		expect(await apiRequests(harness.sandbox)).toEqual([
			'POST /b/checkout/v1/upload-attachment/',
			'POST /b/checkout/v1/pymt-txn/',
		]);
		expect(await download(items[0].json.attachment as string)).toEqual(PDF);
	});

	it('Update with only Attachment (Binary Property) attaches the file to an unpaid link', async () => {
		const txn = await createTransaction(harness.sandbox);
		const { items, error } = await run(
			{
				resource: 'paymentTransaction',
				operation: 'update',
				sessionId: txn.session_id,
				updateFields: { attachmentBinaryProperty: 'scan' },
			},
			[
				{
					scan: {
						base64: Buffer.from('hello').toString('base64'),
						fileName: 'NOTE.TXT',
						mimeType: 'text/plain',
					},
				},
			],
		);
		expect(error).toBeUndefined();
		// Ottu matches the extension case-sensitively, so it is sent lower-cased.
		expect(items[0].json.attachment_upload_url).toBe('attachments/NOTE.txt');
		expect((await download(items[0].json.attachment as string)).toString()).toBe('hello');
	});

	it.each([
		[
			'a missing binary property',
			upload({ binaryPropertyName: 'invoice' }),
			[pdf()],
			'Input Binary Field: the input item has no binary property "invoice" [item 0]',
			"The item's binary properties are: data",
		],
		[
			'a file type Ottu does not accept',
			upload(),
			[pdf('invoice.zip')],
			'Input Binary Field: Ottu does not accept the file "invoice.zip" (.zip) [item 0]',
			'pdf, jpeg, png',
		],
		[
			'a file over 2.5 MB',
			upload(),
			[pdf('big.pdf', Buffer.alloc(2_500_001, 0x41))],
			'Input Binary Field: the file "big.pdf" is 2.50 MB; Ottu accepts at most 2.5 MB [item 0]',
			'Compress',
		],
		[
			'Create with an attachment and an Attachment Upload URL',
			{
				resource: 'paymentTransaction',
				operation: 'create',
				amount: '1',
				currencyCode: 'KWD',
				pgCodes: ['credit-card'],
				additionalFields: {
					attachmentBinaryProperty: 'data',
					attachmentUploadUrl: 'attachments/x.pdf',
				},
			},
			[pdf()],
			'Both Attachment (Binary Property) and Attachment Upload URL are set [item 0]',
			'Keep one',
		],
		[
			'Create with no file in the item',
			{
				resource: 'paymentTransaction',
				operation: 'create',
				amount: '1',
				currencyCode: 'KWD',
				pgCodes: ['credit-card'],
				additionalFields: { attachmentBinaryProperty: 'data' },
			},
			[null],
			'Attachment (Binary Property): the input item has no binary property "data" [item 0]',
			'carries no file',
		],
	])('refuses %s before anything is sent', async (_case, parameters, files, message, hint) => {
		const { error } = await run(
			parameters as IDataObject,
			files as Array<Record<string, TestFile> | null>,
		);
		expect(error?.message).toBe(message);
		expect(error?.description).toContain(hint);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it("shows Ottu's refusal of an unknown order_no readably", async () => {
		const { error } = await run(upload({ attachTo: 'orderNo', orderNo: 'NO-SUCH' }));
		expect(error?.message).toBe(
			'Ottu refused the request (HTTP 400): order_no: No PaymentTransaction found with `order_no` of NO-SUCH. [item 0]',
		);
	});
});
