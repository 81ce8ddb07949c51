import type { INodeProperties, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { OttuApi } from '../../credentials/OttuApi.credentials';

const properties = new OttuApi().properties;
const property = (name: string) => properties.find((p) => p.name === name) as INodeProperties;

/** Whether n8n's credential editor shows a field for these values (n8n-workflow's own rule). */
const shown = (name: string, values: INodeParameters) =>
	NodeHelpers.displayParameter(
		{ authentication: 'apiKey', ...values },
		property(name),
		null,
		null,
	) as boolean;

describe('Ottu API credential: what the editor says', () => {
	it('says, while the Webhook HMAC Key is empty, that the Ottu Trigger will need it', () => {
		expect(property('noHmacKeyNotice').type).toBe('notice');
		expect(property('noHmacKeyNotice').displayName).toMatch(
			/Ottu Trigger needs it and refuses to start listening/,
		);
		expect(shown('noHmacKeyNotice', { baseUrl: 'https://merchant.ottu.net', hmacSecret: '' })).toBe(
			true,
		);
		expect(shown('noHmacKeyNotice', { hmacSecret: 'a-key' })).toBe(false);
		expect(property('hmacSecret').description).toMatch(/Test button cannot check it/);
	});

	it('explains Test failure codes only once there is a Base URL, as failures before Ottu answered', () => {
		expect(property('baseUrl').hint).toBeUndefined();
		expect(shown('testCodesNotice', { baseUrl: '' })).toBe(false);
		expect(shown('testCodesNotice', { baseUrl: 'merchant.ottu.net' })).toBe(true);
		const text = property('testCodesNotice').displayName;
		for (const code of ['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'EPROTO', 'CERT_'])
			expect(text).toContain(code);
		expect(text).toMatch(/before Ottu could answer/);
	});

	it('warns about plain http:// to any host but this machine, as the node refuses it', () => {
		for (const refused of [
			'http://merchant.ottu.net',
			' HTTP://merchant.ottu.net/',
			'http://localhost.evil.example',
		])
			expect(shown('plainHttpNotice', { baseUrl: refused })).toBe(true);
		for (const allowed of [
			'https://merchant.ottu.net',
			'merchant.ottu.net',
			'http://localhost:8787',
			'http://127.0.0.1:8787/',
			'http://[::1]',
			'',
		])
			expect(shown('plainHttpNotice', { baseUrl: allowed })).toBe(false);
	});
});
