import {
	describeOttuErrorBody,
	hintForStatus,
	redactSecrets,
	secretsOf,
} from '../../nodes/Ottu/transport/errors';

describe('describeOttuErrorBody', () => {
	it('lists DRF field errors as "field: message"', () => {
		expect(
			describeOttuErrorBody({
				amount: ['This field is required.'],
				currency_code: ['"XXX" is not a valid choice.'],
			}),
		).toBe('amount: This field is required.; currency_code: "XXX" is not a valid choice.');
	});

	it('flattens nested field errors with dotted paths', () => {
		expect(
			describeOttuErrorBody({ billing_address: { country: ['This field is required.'] } }),
		).toBe('billing_address.country: This field is required.');
		expect(
			describeOttuErrorBody({ invoice_items: [{ sku: ['This field is required.'] }, {}] }),
		).toBe('invoice_items[0].sku: This field is required.');
	});

	it('shows detail as is, ignoring envelope keys', () => {
		expect(describeOttuErrorBody({ detail: 'Not found.' })).toBe('Not found.');
		expect(
			describeOttuErrorBody({
				detail: 'Amount exceeds refundable amount.',
				operation: 'refund',
				result: 'failed',
			}),
		).toBe('Amount exceeds refundable amount.');
	});

	it('reads the alternative {error:{message,field}} envelope', () => {
		expect(
			describeOttuErrorBody({
				error: { type: 'validation_error', message: 'Invalid amount', field: 'amount' },
			}),
		).toBe('amount: Invalid amount');
	});

	it('summarises HTML and long text bodies, and has nothing to say for empty ones', () => {
		expect(describeOttuErrorBody('<!DOCTYPE html><html><body>Bad Gateway</body></html>')).toBe(
			'Ottu answered with an HTML page instead of JSON',
		);
		expect(describeOttuErrorBody('x'.repeat(500))).toHaveLength(300);
		expect(describeOttuErrorBody('')).toBeUndefined();
		expect(describeOttuErrorBody(undefined)).toBeUndefined();
		expect(describeOttuErrorBody({ result: 'failed' })).toBeUndefined();
	});
});

describe('hintForStatus', () => {
	it('gives a fix for the statuses Ottu uses', () => {
		expect(hintForStatus(401)).toContain('Check the API key');
		expect(hintForStatus(403)).toContain('permission');
		expect(hintForStatus(429)).toContain('rate limiting');
		expect(hintForStatus(503)).toContain('Try again later');
	});
});

describe('redactSecrets', () => {
	const credentials = {
		apiKey: 'abcd1234.secretsecret',
		username: 'merchant',
		password: 'hunter22',
		hmacSecret: 'hmac-key-0001',
	};
	const secrets = secretsOf(credentials);

	it('removes the API key, password, its Basic encoding and the HMAC key everywhere', () => {
		const basic = Buffer.from('merchant:hunter22').toString('base64');
		const input = {
			message: 'key abcd1234.secretsecret failed',
			nested: { list: ['hunter22', `Basic ${basic}`, 'hmac-key-0001 leaked'] },
			headers: { Authorization: 'Api-Key abcd1234.secretsecret', authorization: 'x' },
		};
		const out = redactSecrets(input, secrets);
		const text = JSON.stringify(out);
		for (const s of [...secrets, basic]) expect(text).not.toContain(s);
		expect(out.headers.Authorization).toBe('***');
		expect(out.message).toBe('key *** failed');
	});

	it('leaves values alone when there are no secrets, and ignores very short ones', () => {
		expect(redactSecrets('abc', [])).toBe('abc');
		expect(redactSecrets('a b c', ['b'])).toBe('a b c');
	});
});

describe('describeOttuErrorBody and failure echoes', () => {
	it("leaves out the identifiers a notification failure echoes, keeping Ottu's explanation", () => {
		expect(
			describeOttuErrorBody({
				session_id: 'abc',
				channels: 'No sms notification is configured for the "paid" state.',
				result: 'failed',
			}),
		).toBe('channels: No sms notification is configured for the "paid" state.');
		expect(
			describeOttuErrorBody({ session_id: ['Ensure this field has no more than 128 characters.'] }),
		).toBe('session_id: Ensure this field has no more than 128 characters.');
	});
});
