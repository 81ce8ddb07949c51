/**
 * Untrusted inputs through the real n8n engine and the sandbox: each is refused naming the field, the item and
 * what would be valid, and the sandbox records that nothing was sent. Also: Upload Attachment is sent once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { TestFile } from '../helpers/n8n';
import { runOttu, useFilesystemBinaryData } from '../helpers/n8n';
import { apiKeyCredentials } from '../helpers/sandbox';
import { addFault, apiRequests, createTransaction, useSandbox } from './support';

const PDF = Buffer.from('%PDF-1.4\n% invoice INV-42\n%%EOF\n');
const file = (over: Partial<TestFile> = {}, data: Buffer = PDF): TestFile => ({
	base64: data.toString('base64'),
	fileName: 'invoice.pdf',
	mimeType: 'application/pdf',
	...over,
});
const INJECTED = 'application/pdf\r\nX-Injected: 1';

describe('untrusted inputs are refused before anything is sent', () => {
	const harness = useSandbox();
	const run = (parameters: IDataObject, files: Array<Record<string, TestFile>> = []) =>
		runOttu({ parameters, credentials: apiKeyCredentials(harness.sandbox), files });
	const upload = {
		resource: 'paymentTransaction',
		operation: 'uploadAttachment',
		binaryPropertyName: 'data',
	};
	const template = (attachmentProperties: string) => ({
		resource: 'notification',
		operation: 'sendTemplate',
		channel: 'email',
		templateId: 'communication-notification-email',
		to: 'buyer@example.com',
		templateOptions: { attachmentProperties },
	});

	it.each([
		[
			'a MIME type carrying a line break (a header of its own in the upload)',
			{ data: file({ meta: { mimeType: INJECTED } }) },
			'Input Binary Field: the file "invoice.pdf" has the MIME type "application/pdf\\r\\nX-Injected: 1", which is not a valid MIME type [item 0]',
			'Set a plain MIME type such as application/pdf',
		],
		[
			'an empty (0-byte) file',
			{ data: file({}, Buffer.alloc(0)) },
			'Input Binary Field: the file "invoice.pdf" is empty (0 bytes) [item 0]',
			'it gave no content',
		],
		[
			'a file name with folder segments',
			{ data: file({ meta: { fileName: '../../etc/invoice.pdf' } }) },
			'Input Binary Field: the file name "../../etc/invoice.pdf" is not a plain file name (it holds a folder path) [item 0]',
			'Give the file a plain name such as invoice.pdf',
		],
		[
			'a file name with a line break',
			{ data: file({ meta: { fileName: 'invoice\r\nX-Injected: 1.pdf' } }) },
			'Input Binary Field: the file name "invoice\\r\\nX-Injected: 1.pdf" is not a plain file name (it holds a line break or another control character) [item 0]',
			'Give the file a plain name',
		],
	])('Upload Attachment refuses %s', async (_case, files, message, hint) => {
		const { error } = await run(upload, [files]);
		expect(error?.message).toBe(message);
		expect(error?.description).toContain(hint);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it('Send Template refuses a MIME type carrying a line break', async () => {
		const { error } = await run(template('data'), [
			{ data: file({ meta: { mimeType: INJECTED } }) },
		]);
		expect(error?.message).toMatch(
			/^Attachments \(Binary Properties\): the file "invoice.pdf" has the MIME type .* which is not a valid MIME type \[item 0\]$/,
		);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it('Send Template refuses attachments beyond 7.5 MB together, naming the file that passed the limit', async () => {
		const big = Buffer.alloc(4_000_000, 0x41);
		const { error } = await run(template('a, b'), [
			{ a: file({ fileName: 'a.pdf' }, big), b: file({ fileName: 'b.pdf' }, big) },
		]);
		expect(error?.message).toBe(
			'Attachments (Binary Properties): the file "b.pdf" is 4.00 MB; the attachments of one message may take at most 7.50 MB together (3.50 MB left after the files before it) [item 0]',
		);
		expect(error?.description).toContain('Compress or split the file');
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it('Report → Download refuses a link whose token has a broken %-escape, instead of a raw URIError', async () => {
		const link = `${harness.sandbox.url}/b/api/v1/reports/files/ab%E0%A4%A/download/`;
		const { error } = await run({
			resource: 'report',
			operation: 'download',
			report: link,
			binaryPropertyName: 'data',
		});
		expect(error?.message).toBe(
			`The report link "${link.slice(0, 57)}..." has a broken %-escape in its token [item 0]`,
		);
		expect(error?.description).toContain(
			'Copy the download_action URL from Report → Get Many again',
		);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it('Upload Attachment is sent once: a lost answer is not repeated (a repeat stores a second copy) and the error says so', async () => {
		const txn = await createTransaction(harness.sandbox, { order_no: 'ORD-ONCE' });
		await addFault(harness.sandbox, {
			route: 'POST /b/checkout/v1/upload-attachment/',
			kind: 'drop_after_commit',
			count: 1,
		});
		const { error } = await run({ ...upload, attachTo: 'sessionId', sessionId: txn.session_id }, [
			{ data: file() },
		]);
		expect(error?.message).toBe('The connection to Ottu was interrupted [item 0]');
		expect(error?.description).toContain(
			'The file may or may not have been uploaded (and attached)',
		);
		// One stored copy: the dropped answer was not followed by a second upload.
		expect(harness.sandbox.store.attachments.size).toBe(1);
	});

	it('Create with a file whose upload answer is lost stops there: no second upload and no link created', async () => {
		await addFault(harness.sandbox, {
			route: 'POST /b/checkout/v1/upload-attachment/',
			kind: 'drop_after_commit',
			count: 1,
		});
		const { error } = await run(
			{
				resource: 'paymentTransaction',
				operation: 'create',
				type: 'payment_request',
				amount: '12.500',
				currencyCode: 'KWD',
				pgCodes: ['credit-card'],
				additionalFields: { attachmentBinaryProperty: 'data' },
			},
			[{ data: file() }],
		);
		expect(error?.description).toContain('The file may or may not have been uploaded');
		expect(harness.sandbox.store.attachments.size).toBe(1);
		expect(harness.sandbox.store.transactions.size).toBe(0);
	});
});

describe('file size is checked before the file is read, in filesystem binary data mode', () => {
	const harness = useSandbox();
	let directory: string;
	beforeAll(async () => {
		directory = mkdtempSync(join(tmpdir(), 'ottu-untrusted-'));
		await useFilesystemBinaryData(directory);
	});
	afterAll(() => {
		rmSync(directory, { recursive: true, force: true });
	});

	it('refuses a file from the size n8n stored for it, without reading it (here its bytes are not even there)', async () => {
		// Only the metadata n8n's store keeps next to a file: a read would fail, a size check first does not read.
		const folder = join(directory, 'workflows', 'w', 'executions', 'e', 'binary_data');
		mkdirSync(folder, { recursive: true });
		writeFileSync(
			join(folder, 'big.metadata'),
			JSON.stringify({ fileName: 'big.pdf', mimeType: 'application/pdf', fileSize: 3_000_000 }),
		);
		const { error } = await runOttu({
			parameters: {
				resource: 'paymentTransaction',
				operation: 'uploadAttachment',
				binaryPropertyName: 'data',
			},
			credentials: apiKeyCredentials(harness.sandbox),
			files: [
				{
					data: file({
						meta: {
							fileName: 'big.pdf',
							id: 'filesystem-v2:workflows/w/executions/e/binary_data/big',
						},
					}),
				},
			],
		});
		expect(error?.message).toBe(
			'Input Binary Field: the file "big.pdf" is 3.00 MB; Ottu accepts at most 2.5 MB [item 0]',
		);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it('refuses a 3 MB upload from its stored size, and a stored empty file', async () => {
		const run = (data: Buffer) =>
			runOttu({
				parameters: {
					resource: 'paymentTransaction',
					operation: 'uploadAttachment',
					binaryPropertyName: 'data',
				},
				credentials: apiKeyCredentials(harness.sandbox),
				files: [{ data: file({}, data) }],
			});
		const big = await run(Buffer.alloc(3_000_000, 0x41));
		expect(big.error?.message).toBe(
			'Input Binary Field: the file "invoice.pdf" is 3.00 MB; Ottu accepts at most 2.5 MB [item 0]',
		);
		const empty = await run(Buffer.alloc(0));
		expect(empty.error?.message).toBe(
			'Input Binary Field: the file "invoice.pdf" is empty (0 bytes) [item 0]',
		);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});
});
