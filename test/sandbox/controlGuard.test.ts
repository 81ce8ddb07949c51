import http from 'node:http';

import { CONTROL_HEADER } from '../../sandbox/http/guards';
import { API_KEY, createTxn, startHarness } from './helpers';
import type { Harness } from './helpers';

interface Raw {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** A request exactly as given (Host, content type, body), as a web page or a rebinding attack would send it. */
function raw(
	h: Harness,
	method: string,
	path: string,
	headers: Record<string, string>,
	body = '',
): Promise<Raw> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port: h.sandbox.port,
				method,
				path,
				headers: {
					...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
					...headers,
				},
			},
			(res) => {
				let text = '';
				res.on('data', (c: Buffer) => (text += c.toString('utf8')));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
				);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

describe('sandbox control API and Host guard', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(async () => {
		await h.sandbox.close();
	});
	beforeEach(async () => {
		await h.client.reset();
	});

	const control = { [CONTROL_HEADER]: '1' };

	it('refuses a text/plain POST to a control route, even with the header, and changes nothing', async () => {
		const txn = await createTxn(h);
		const res = await raw(
			h,
			'POST',
			'/__sandbox/reset',
			{ ...control, 'content-type': 'text/plain' },
			'{}',
		);
		expect(res.status).toBe(415);
		expect(JSON.parse(res.body).detail).toMatch(/application\/json/);
		expect((await h.client.ledger(txn.session_id)).state).toBe('created');
	});

	it('refuses a form POST to a control route, with or without the header, and changes nothing', async () => {
		const txn = await createTxn(h);
		const form = { 'content-type': 'application/x-www-form-urlencoded' };
		const path = `/__sandbox/sessions/${txn.session_id}/pay`;
		expect((await raw(h, 'POST', path, form, 'outcome=paid')).status).toBe(403);
		expect((await raw(h, 'POST', path, { ...form, ...control }, 'outcome=paid')).status).toBe(415);
		expect(
			(await raw(h, 'POST', path, { ...control, 'content-type': 'text/plain' }, 'outcome=paid'))
				.status,
		).toBe(415);
		const ledger = await h.client.ledger(txn.session_id);
		expect(ledger.state).toBe('created');
		expect(ledger.attempts).toEqual([]);
	});

	it('refuses a control request without the header: 403, nothing done, nothing read', async () => {
		const txn = await createTxn(h);
		const reset = await raw(
			h,
			'POST',
			'/__sandbox/reset',
			{ 'content-type': 'application/json' },
			'{}',
		);
		expect(reset.status).toBe(403);
		expect(JSON.parse(reset.body).detail).toMatch(/X-Ottu-Sandbox: 1/);
		expect((await raw(h, 'GET', `/__sandbox/sessions/${txn.session_id}/ledger`, {})).status).toBe(
			403,
		);
		expect((await raw(h, 'GET', '/__sandbox/webhooks', {})).status).toBe(403);
		expect((await raw(h, 'GET', '/__sandbox/requests', { [CONTROL_HEADER]: 'yes' })).status).toBe(
			403,
		);
		expect((await h.client.ledger(txn.session_id)).state).toBe('created');
	});

	it('does not let percent-encoding of the path dodge the control guard', async () => {
		const txn = await createTxn(h);
		// The router decodes the path to the control route, so the guard must look at the matched route.
		const res = await raw(h, 'POST', '/%5F%5Fsandbox/reset', {
			authorization: `Api-Key ${API_KEY}`,
		});
		expect(res.status).toBe(403);
		expect(JSON.parse(res.body).detail).toMatch(/X-Ottu-Sandbox: 1/);
		expect((await h.client.ledger(txn.session_id)).state).toBe('created');
	});

	it('answers a CORS preflight to a control route without any allow header', async () => {
		const res = await raw(h, 'OPTIONS', '/__sandbox/reset', {
			origin: 'https://evil.example',
			'access-control-request-method': 'POST',
			'access-control-request-headers': CONTROL_HEADER,
		});
		expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual(
			[],
		);
	});

	it('refuses a Host other than a loopback name, on the API and on control routes (DNS rebinding)', async () => {
		const txn = await createTxn(h);
		const evil = { host: 'evil.example' };
		const api = await raw(h, 'GET', `/b/checkout/v1/pymt-txn/${txn.session_id}/`, {
			...evil,
			authorization: `Api-Key ${API_KEY}`,
		});
		expect(api.status).toBe(403);
		expect(api.body).not.toContain(txn.session_id);
		const webhooks = await raw(h, 'GET', '/__sandbox/webhooks', { ...evil, ...control });
		expect(webhooks.status).toBe(403);
		expect(
			(
				await raw(h, 'POST', '/__sandbox/reset', {
					host: `evil.example:${h.sandbox.port}`,
					...control,
				})
			).status,
		).toBe(403);
		expect(
			(
				await raw(h, 'GET', `/b/checkout/redirect/start/?session_id=${txn.session_id}`, {
					host: '127.0.0.1.evil.example',
				})
			).status,
		).toBe(403);
		expect((await h.client.ledger(txn.session_id)).state).toBe('created');
	});

	it('accepts 127.0.0.1, localhost and [::1] with any port', async () => {
		const txn = await createTxn(h);
		for (const host of [
			'127.0.0.1',
			`127.0.0.1:${h.sandbox.port}`,
			'localhost:8787',
			'LOCALHOST',
			`[::1]:${h.sandbox.port}`,
		]) {
			const res = await raw(h, 'GET', `/b/checkout/v1/pymt-txn/${txn.session_id}/`, {
				host,
				authorization: `Api-Key ${API_KEY}`,
			});
			expect({ host, status: res.status }).toEqual({ host, status: 200 });
		}
	});

	it('serves the typed client: JSON with the header, for every control call', async () => {
		const txn = await createTxn(h);
		expect(await h.client.pay(txn.session_id, 'paid')).toMatchObject({
			session_id: txn.session_id,
			result: 'success',
		});
		expect((await h.client.ledger(txn.session_id)).paid).toBe('20.000');
		await h.client.addFault({ route: 'GET /nowhere/', kind: 'status', status: 502 });
		expect(await h.client.faults()).toEqual([
			expect.objectContaining({ route: 'GET /nowhere/', kind: 'status' }),
		]);
		expect(await h.client.clearFaults()).toEqual({ removed: 1 });
		expect((await h.client.clock({ advance_seconds: 1 })).frozen).toBe(false);
		expect((await h.client.requests()).map((r) => r.path)).toContain('/b/checkout/v1/pymt-txn/');
		await h.client.reset();
		expect(
			(await h.client.send('GET', `/__sandbox/sessions/${txn.session_id}/ledger`)).status,
		).toBe(404);
	});
});
