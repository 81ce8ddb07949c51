import { createTxn, ledger, operation, payTxn, startHarness } from './helpers';
import type { Harness } from './helpers';

const fault = (h: Harness, body: Record<string, unknown>) =>
	h.client.send('POST', '/__sandbox/faults', body);

describe('fault injection', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(async () => h.sandbox.close());
	beforeEach(async () => {
		await h.client.reset();
	});

	async function paidTxn() {
		const txn = await createTxn(h);
		await payTxn(h, txn.session_id, 'paid');
		return txn;
	}

	it('latency delays matching requests only', async () => {
		await fault(h, {
			route: 'POST /b/pbl/v2/payment-methods/',
			kind: 'latency',
			ms: 400,
			count: 1,
		});
		const t = Date.now();
		expect((await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' })).status).toBe(
			200,
		);
		expect(Date.now() - t).toBeGreaterThanOrEqual(390);
		// count: 1 is used up.
		expect(await h.client.faults()).toEqual([]);
	});

	it('status answers before doing anything, with an HTML body if asked, count times', async () => {
		const txn = await paidTxn();
		await fault(h, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'status',
			status: 502,
			body: '<html><body>Bad Gateway</body></html>',
			count: 2,
		});
		const a = await operation(h, { operation: 'refund', session_id: txn.session_id });
		expect(a.status).toBe(502);
		expect(a.headers['content-type']).toContain('text/html');
		expect(a.data).toContain('Bad Gateway');
		expect((await operation(h, { operation: 'refund', session_id: txn.session_id })).status).toBe(
			502,
		);
		expect((await ledger(h, txn.session_id)).refunded).toBe('0.000');
		expect(
			(await operation(h, { operation: 'refund', session_id: txn.session_id, amount: '1' })).status,
		).toBe(200);
		await fault(h, {
			route: 'GET /b/checkout/v1/pymt-txn/*',
			kind: 'status',
			status: 503,
			body: { detail: 'Service Unavailable' },
			count: 1,
		});
		const json = await h.api.get(`/b/checkout/v1/pymt-txn/${txn.session_id}/`);
		expect(json.status).toBe(503);
		expect(json.data).toEqual({ detail: 'Service Unavailable' });
	});

	it('reset destroys the connection before anything happens', async () => {
		const txn = await paidTxn();
		await fault(h, { route: 'POST /b/pbl/v2/operation/', kind: 'reset', count: 1 });
		await expect(
			operation(h, { operation: 'refund', session_id: txn.session_id }),
		).rejects.toMatchObject({
			code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/),
		});
		expect((await ledger(h, txn.session_id)).operations).toHaveLength(0);
	});

	it('rate_limit answers 429 with Retry-After', async () => {
		await fault(h, { route: '* /b/pbl/v2/*', kind: 'rate_limit', retry_after: 7, count: 1 });
		const res = await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' });
		expect(res.status).toBe(429);
		expect(res.headers['retry-after']).toBe('7');
		expect(res.data).toEqual({ detail: 'Request was throttled. Expected available in 7 seconds.' });
		expect((await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' })).status).toBe(
			200,
		);
	});

	it('drop_after_commit: the refund happens, the answer is lost, a Tracking-Key retry yields exactly one refund', async () => {
		const txn = await paidTxn();
		await fault(h, { route: 'POST /b/pbl/v2/operation/', kind: 'drop_after_commit', count: 1 });
		await expect(
			operation(h, { operation: 'refund', session_id: txn.session_id, amount: '5' }, 'tk-drop'),
		).rejects.toBeDefined();
		expect((await ledger(h, txn.session_id)).refunded).toBe('5.000');
		const retry = await operation(
			h,
			{ operation: 'refund', session_id: txn.session_id, amount: '5' },
			'tk-drop',
		);
		expect(retry.status).toBe(200);
		expect(retry.data).toMatchObject({ amount: '5.000', state: 'refunded', result: 'success' });
		const l = await ledger(h, txn.session_id);
		expect(l.refunded).toBe('5.000');
		expect(l.operations).toHaveLength(1);
	});

	it('malformed: the work is done, the answer is 200 with broken JSON', async () => {
		const txn = await paidTxn();
		await fault(h, { route: 'POST /b/pbl/v2/operation/', kind: 'malformed', count: 1 });
		const res = await h.api.post(
			'/b/pbl/v2/operation/',
			{ operation: 'refund', session_id: txn.session_id },
			{ responseType: 'text', transformResponse: (x) => x },
		);
		expect(res.status).toBe(200);
		expect(() => JSON.parse(res.data)).toThrow();
		expect((await ledger(h, txn.session_id)).refunded).toBe('20.000');
		await fault(h, {
			route: 'POST /b/pbl/v2/payment-methods/',
			kind: 'malformed',
			body: '',
			count: 1,
		});
		const empty = await h.api.post(
			'/b/pbl/v2/payment-methods/',
			{ plugin: 'e_commerce' },
			{ responseType: 'text', transformResponse: (x) => x },
		);
		expect(empty.status).toBe(200);
		expect(empty.data).toBe('');
	});

	it('faults without count last until DELETE; the control API is never faulted', async () => {
		await fault(h, { route: '* *', kind: 'status', status: 500 });
		expect((await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' })).status).toBe(
			500,
		);
		expect((await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' })).status).toBe(
			500,
		);
		expect(await h.client.faults()).toEqual([
			expect.objectContaining({ kind: 'status', remaining: null }),
		]);
		expect(await h.client.clearFaults()).toEqual({ removed: 1 });
		expect((await h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' })).status).toBe(
			200,
		);
	});

	it('validates fault definitions', async () => {
		const res = await fault(h, { route: '/no-method', kind: 'explode', count: 0 });
		expect(res.status).toBe(400);
		expect(Object.keys(res.data).sort()).toEqual(['count', 'kind', 'route']);
	});

	it('reset forgets transactions, faults and the clock offset', async () => {
		const txn = await createTxn(h);
		await fault(h, { route: 'GET /x', kind: 'latency', ms: 1 });
		await h.client.clock({ advance_seconds: 3600 });
		await h.client.reset();
		expect((await h.api.get(`/b/checkout/v1/pymt-txn/${txn.session_id}/`)).status).toBe(404);
		expect(await h.client.faults()).toEqual([]);
		const now = (await h.client.clock({ advance_seconds: 0 })).now;
		expect(Math.abs(Date.parse(now) - Date.now())).toBeLessThan(5000);
	});
});

describe('daily rate limit and authentication', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness({
			limits: { dailyRequests: 3 },
			users: [{ username: 'u2', password: 'pw-u2-1', permissions: ['view_e_commerce'] }],
		});
	});
	afterAll(async () => h.sandbox.close());

	it('allows N requests per user per day, then 429 with Retry-After until the window moves', async () => {
		const call = () => h.api.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' });
		for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
		const limited = await call();
		expect(limited.status).toBe(429);
		expect(Number(limited.headers['retry-after'])).toBeGreaterThan(86_000);
		// Another user has their own allowance.
		expect(
			(await h.as('u2', 'pw-u2-1').post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' }))
				.status,
		).toBe(200);
		await h.client.clock({ advance_seconds: 86_400 });
		expect((await call()).status).toBe(200);
	});

	it('answers 401 for missing or wrong credentials', async () => {
		expect(
			(await h.browser.post('/b/pbl/v2/payment-methods/', { plugin: 'e_commerce' })).data,
		).toEqual({ detail: 'Authentication credentials were not provided.' });
		const wrong = await h.browser.post(
			'/b/pbl/v2/payment-methods/',
			{ plugin: 'e_commerce' },
			{ headers: { Authorization: 'Api-Key nope' } },
		);
		expect(wrong.status).toBe(401);
		expect((await h.as('u2', 'bad').post('/b/pbl/v2/payment-methods/', {})).status).toBe(401);
	});
});

describe('unknown routes and methods', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(async () => h.sandbox.close());

	it('answers 404 for unknown paths, 405 for a wrong method, and redirects a GET missing its trailing slash', async () => {
		expect((await h.api.get('/b/pbl/v9/nothing/')).data).toEqual({ detail: 'Not found.' });
		const wrong = await h.api.get('/b/pbl/v2/operation/');
		expect(wrong.status).toBe(405);
		expect(wrong.data).toEqual({ detail: 'Method "GET" not allowed.' });
		const slash = await h.api.get('/b/checkout/v1/pymt-txn/abc', { maxRedirects: 0 });
		expect(slash.status).toBe(301);
		expect(slash.headers.location).toBe('/b/checkout/v1/pymt-txn/abc/');
	});
});
