import type { IHttpRequestOptions } from 'n8n-workflow';

import { OttuApi } from '../../credentials/OttuApi.credentials';
import { ottuApiRequest } from '../../nodes/Ottu/transport';
import { connectionCodeOf, explainConnectionCode } from '../../nodes/Ottu/transport/errors';
import { MAX_REDIRECTS, redirectDecision } from '../../nodes/Ottu/transport/redirects';
import { scripted } from '../helpers/scriptedTransport';

describe('redirectDecision', () => {
	const get = { method: 'GET', mayLeaveOrigin: false, hops: 0 };
	const download = { method: 'GET', mayLeaveOrigin: true, hops: 0 };
	const from = 'https://merchant.ottu.net/b/api/v1/reports/files/t/download/';

	it('never follows from https to plain http, not even a download to storage or the same host', () => {
		expect(
			redirectDecision(from, 'http://bucket.s3.amazonaws.com/f.csv?X-Amz-Signature=s', download),
		).toEqual({
			refuse: 'a redirect to plain http (http://bucket.s3.amazonaws.com)',
		});
		expect(redirectDecision(from, 'http://merchant.ottu.net/b/api/', get)).toEqual({
			refuse: 'a redirect to plain http (http://merchant.ottu.net)',
		});
	});

	it('follows a download to another origin over https, marked as another origin (so it goes without Ottu headers)', () => {
		expect(
			redirectDecision(from, 'https://bucket.s3.amazonaws.com/f.csv?X-Amz-Signature=s', download),
		).toEqual({
			follow: 'https://bucket.s3.amazonaws.com/f.csv?X-Amz-Signature=s',
			sameOrigin: false,
		});
	});

	it('refuses another host, port or scheme for API calls, naming only the origin (a query may hold a signature)', () => {
		expect(redirectDecision(from, 'https://evil.example/steal?token=x', get)).toEqual({
			refuse: 'a redirect to another address (https://evil.example)',
		});
		expect(redirectDecision(from, 'https://merchant.ottu.net:8443/b/', get)).toEqual({
			refuse: 'a redirect to another address (https://merchant.ottu.net:8443)',
		});
		expect(redirectDecision('http://localhost:3000/b/', 'https://localhost:3000/b/', get)).toEqual({
			refuse: 'a redirect to another address (https://localhost:3000)',
		});
		expect(redirectDecision(from, 'https://sub.merchant.ottu.net/b/', get)).toEqual({
			refuse: 'a redirect to another address (https://sub.merchant.ottu.net)',
		});
	});

	it('follows a same-origin GET (relative Location too), and no POST at all', () => {
		expect(redirectDecision(from, '/b/api/v2/reports/', get)).toEqual({
			follow: 'https://merchant.ottu.net/b/api/v2/reports/',
			sameOrigin: true,
		});
		expect(redirectDecision(from, '/b/pbl/v2/operation/', { ...get, method: 'POST' })).toEqual({
			refuse: 'a redirect to https://merchant.ottu.net',
		});
	});

	it('stops after MAX_REDIRECTS, without a Location, and at other schemes', () => {
		expect(redirectDecision(from, '/again/', { ...get, hops: MAX_REDIRECTS })).toEqual({
			refuse: `more than ${MAX_REDIRECTS} redirects (the last to https://merchant.ottu.net)`,
		});
		expect(redirectDecision(from, undefined, get)).toEqual({
			refuse: 'a redirect without a Location',
		});
		expect(redirectDecision(from, 'file:///etc/passwd', download)).toEqual({
			refuse: 'a redirect to a file: address',
		});
	});
});

describe('OttuApi.authenticate (the node and the Test button)', () => {
	const credential = new OttuApi();
	const data = {
		baseUrl: 'https://merchant.ottu.net/',
		authentication: 'apiKey',
		apiKey: 'key.secret-value',
	};
	const auth = async (
		options: Partial<IHttpRequestOptions>,
		creds: Record<string, unknown> = data,
	) =>
		await credential.authenticate(creds as never, { url: '', ...options } as IHttpRequestOptions);

	it('adds the credential only for its own scheme, host and port', async () => {
		expect((await auth({ url: 'https://merchant.ottu.net/b/pbl/v2/operation/' })).headers).toEqual({
			Authorization: 'Api-Key key.secret-value',
		});
		for (const url of [
			'https://bucket.s3.amazonaws.com/f.csv',
			'http://merchant.ottu.net/b/',
			'https://merchant.ottu.net:8443/b/',
			'https://x.merchant.ottu.net/b/',
		]) {
			expect(
				(await auth({ url, headers: { Authorization: 'Api-Key planted', Accept: '*/*' } })).headers,
			).toEqual({ Accept: '*/*' });
		}
	});

	it("authenticates the Test button's request (baseURL plus a path), Basic auth alike", async () => {
		const basic = {
			baseUrl: 'merchant.ottu.net',
			authentication: 'basicAuth',
			username: 'u',
			password: 'p',
		};
		const out = await auth(
			{ baseURL: 'https://merchant.ottu.net', url: '/b/pbl/v2/payment-methods/' },
			basic,
		);
		expect(out.headers).toEqual({
			Authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
		});
	});

	it("normalises the Test button's baseURL as typed (a bare host, trailing slashes) with the node's rule", async () => {
		const typed = { ...data, baseUrl: ' merchant.ottu.net/// ' };
		const out = await auth({ baseURL: typed.baseUrl, url: '/b/pbl/v2/payment-methods/' }, typed);
		expect(out.baseURL).toBe('https://merchant.ottu.net');
		expect(out.headers).toEqual({ Authorization: 'Api-Key key.secret-value' });
		const plain = { ...data, baseUrl: 'http://merchant.ottu.net' };
		await expect(auth({ baseURL: plain.baseUrl, url: '/b/' }, plain)).rejects.toThrow(
			'uses plain http (merchant.ottu.net)',
		);
	});

	it('turns off n8n following redirects for every request it authenticates', async () => {
		const out = await auth({ url: 'https://merchant.ottu.net/b/' });
		expect(out).toMatchObject({
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		});
	});

	it("explains a redirect answer to the Test button instead of n8n's bare status text", () => {
		const rules = credential.test.rules as Array<{
			properties: { value: number; message: string };
		}>;
		for (const code of [301, 302, 303, 307, 308]) {
			expect(rules.find((r) => r.properties.value === code)?.properties.message).toMatch(
				new RegExp(`redirect to another address \\(HTTP ${code}\\), which is not followed`),
			);
		}
	});
});

describe('connection failures in plain words', () => {
	it('names the cause and the fix for codes that a retry does not fix', () => {
		expect(explainConnectionCode('ENOTFOUND', 'merchnt.ottu.net')).toBe(
			'The host name merchnt.ottu.net does not exist: check the Base URL for a typo',
		);
		expect(explainConnectionCode('EPROTO', 'localhost:3000')).toMatch(
			/^localhost:3000 did not answer over https: it may speak plain http/,
		);
		expect(explainConnectionCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'h')).toMatch(
			/^The certificate of h is not trusted/,
		);
		expect(explainConnectionCode('ECONNRESET', 'h')).toBeUndefined();
	});

	it('finds the code on the error, its causes or in a message', () => {
		expect(connectionCodeOf({ message: 'wrapped', cause: { code: 'ENOTFOUND' } })).toBe(
			'ENOTFOUND',
		);
		expect(
			connectionCodeOf(
				new Error(
					'write EPROTO 40E8:error:0A00010B:SSL routines:ssl3_get_record:wrong version number',
				),
			),
		).toBe('EPROTO');
		expect(connectionCodeOf(new Error('socket hang up'))).toBeUndefined();
	});

	it('reaches the node error through the transport, once (no retry)', async () => {
		const { ctx, calls } = scripted(
			[
				Object.assign(new Error('getaddrinfo ENOTFOUND merchnt.ottu.net'), {
					code: 'ENOTFOUND',
				}),
			],
			{
				credentials: () => ({
					baseUrl: 'https://merchnt.ottu.net',
					authentication: 'apiKey',
					apiKey: 'key.secret-value',
				}),
			},
		);
		await expect(
			ottuApiRequest.call(ctx, {
				method: 'GET',
				path: '/b/checkout/v1/pymt-txn/abc/',
				itemIndex: 2,
			}),
		).rejects.toMatchObject({
			message:
				'The host name merchnt.ottu.net does not exist: check the Base URL for a typo [item 2]',
			description: expect.stringContaining('(Connection error code ENOTFOUND.)'),
			// n8n's editor shows an error's messages and httpCode under "From Ottu": Ottu said nothing here.
			messages: [],
			httpCode: null,
		});
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			encoding: 'stream',
		});
	});
});
