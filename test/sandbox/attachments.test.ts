import type { Harness } from './helpers';
import { createTxn, startHarness } from './helpers';

/** Ottu's upload endpoint as its OpenAPI documents it (AttachmentUpload* schemas): multipart, string messages. */
describe('sandbox: POST /b/checkout/v1/upload-attachment/', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(async () => {
		await h.sandbox.close();
	});

	const form = (fields: Record<string, string>, file?: { name: string; data?: string }) => {
		const body = new FormData();
		if (file)
			body.append(
				'file',
				new Blob([file.data ?? 'content'], { type: 'application/pdf' }),
				file.name,
			);
		for (const [key, value] of Object.entries(fields)) body.append(key, value);
		return body;
	};
	const upload = (body: FormData | object) => h.api.post('/b/checkout/v1/upload-attachment/', body);

	it.each([
		['no file', form({}), { file: 'No file was submitted.' }],
		[
			'a zip file',
			form({}, { name: 'a.zip' }),
			{
				file: "File extension 'zip' is not allowed. Allowed extensions are: pdf, jpeg, png, doc, docx, jpg, xls, xlsx, txt.",
			},
		],
		[
			'both identifiers',
			form({ session_id: 'abc', order_no: 'o-1' }, { name: 'a.pdf' }),
			{
				session_id: 'Please provide only `order_no` or `session_id`, not both.',
				order_no: 'Please provide only `order_no` or `session_id`, not both.',
			},
		],
		[
			'an unknown session_id',
			form({ session_id: 'nope' }, { name: 'a.pdf' }),
			{ session_id: 'No PaymentTransaction found with `session_id` of nope.' },
		],
		[
			'a short link without a transaction',
			form({ shortify_attachment_url: 'true' }, { name: 'a.pdf' }),
			{
				attachment_short_url:
					'You must provide either `session_id` or `order_no` to identify the PaymentTransaction.',
			},
		],
	])('refuses %s with 400 and a string message', async (_case, body, expected) => {
		const res = await upload(body);
		expect(res.status).toBe(400);
		expect(res.data).toEqual(expected);
	});

	it('refuses JSON (multipart only) with 415', async () => {
		expect((await upload({ file: 'x.pdf' })).status).toBe(415);
	});

	it('stores the file, attaches it by order_no and serves it from the checkout object', async () => {
		const txn = await createTxn(h, { order_no: 'SBX-ATT-1' });
		const res = await upload(form({ order_no: 'SBX-ATT-1' }, { name: 'Quote.PDF', data: 'quote' }));
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ file_url: 'attachments/Quote.PDF', original_filename: 'Quote.PDF' });
		const checkout = (await h.api.get(`/b/checkout/v1/pymt-txn/${txn.session_id as string}/`)).data;
		expect(checkout.attachment).toBe(`${h.sandbox.url}/media/attachments/Quote.PDF`);
		expect((await h.control.get(checkout.attachment as string)).data).toBe('quote');
	});
});
