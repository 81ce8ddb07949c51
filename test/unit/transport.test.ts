import type { IHttpRequestOptions } from 'n8n-workflow';

import {
	backoffDelay,
	ottuApiRequest,
	ottuApiRequestAllItems,
	parseRetryAfter,
	RETRY_LIMITS,
} from '../../nodes/Ottu/transport';
import { scripted } from '../helpers/scriptedTransport';

describe('ottuApiRequest', () => {
	it('sends JSON to the normalised base URL with the Tracking-Key header', async () => {
		const { ctx, calls } = scripted([{ statusCode: 200, body: { ok: true } }]);
		const out = await ottuApiRequest.call(ctx, {
			method: 'POST',
			path: '/b/pbl/v2/operation/',
			body: { operation: 'refund' },
			trackingKey: 'tk-1',
			retry: 'tracked',
		});
		expect(out).toEqual({ ok: true });
		expect(calls[0].url).toBe('https://merchant.ottu.net/b/pbl/v2/operation/');
		expect(calls[0].body).toBe('{"operation":"refund"}');
		expect(calls[0].headers).toMatchObject({
			'Tracking-Key': 'tk-1',
			'Content-Type': 'application/json',
		});
	});

	it('authenticates with the credential it read for the item, so n8n does not read it again per request', async () => {
		const { ctx, reads, extras } = scripted([{ statusCode: 200, body: '{"ok":true}' }], {
			node: { credentials: { ottuApi: { id: 'cred-7', name: 'Ottu live' } } },
			credentials: (itemIndex) => ({
				baseUrl: 'https://merchant.ottu.net/',
				authentication: 'apiKey',
				apiKey: `key.item-${itemIndex}`,
			}),
		});
		await ottuApiRequest.call(ctx, {
			method: 'GET',
			path: '/b/checkout/v1/pymt-txn/abc/',
			itemIndex: 3,
		});
		expect(reads).toEqual([3]);
		expect(extras[0]).toEqual({
			credentialsDecrypted: {
				id: 'cred-7',
				name: 'Ottu live',
				type: 'ottuApi',
				data: {
					baseUrl: 'https://merchant.ottu.net/',
					authentication: 'apiKey',
					apiKey: 'key.item-3',
				},
			},
		});
	});

	it('waits per Retry-After on 429 and then succeeds', async () => {
		const { ctx, calls } = scripted([
			{
				statusCode: 429,
				body: { detail: 'Request was throttled.' },
				headers: { 'retry-after': '0' },
			},
			{ statusCode: 200, body: { ok: 1 } },
		]);
		await expect(
			ottuApiRequest.call(ctx, { method: 'POST', path: '/b/checkout/v1/pymt-txn/', body: {} }),
		).resolves.toEqual({ ok: 1 });
		expect(calls).toHaveLength(2);
	});

	it('gives up after the attempt limit with a readable 429 error', async () => {
		const { ctx, calls } = scripted(() => ({
			statusCode: 429,
			body: { detail: 'Request was throttled.' },
			headers: { 'retry-after': '0' },
		}));
		await expect(
			ottuApiRequest.call(ctx, { method: 'GET', path: '/x/', itemIndex: 2 }),
		).rejects.toThrow('Ottu refused the request (HTTP 429): Request was throttled. [item 2]');
		expect(calls).toHaveLength(RETRY_LIMITS.maxAttempts);
	});

	it('does not repeat a non-idempotent POST after a 5xx', async () => {
		const { ctx, calls } = scripted([{ statusCode: 502, body: '<html>bad gateway</html>' }]);
		await expect(
			ottuApiRequest.call(ctx, { method: 'POST', path: '/b/checkout/v1/pymt-txn/', body: {} }),
		).rejects.toThrow(
			'Ottu refused the request (HTTP 502): Ottu answered with an HTML page instead of JSON',
		);
		expect(calls).toHaveLength(1);
	});

	it('repeats a tracked request after a connection reset', async () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const { ctx, calls } = scripted([reset, { statusCode: 200, body: { result: 'success' } }]);
		await expect(
			ottuApiRequest.call(ctx, {
				method: 'POST',
				path: '/b/pbl/v2/operation/',
				body: {},
				trackingKey: 't',
				retry: 'tracked',
			}),
		).resolves.toEqual({ result: 'success' });
		expect(calls).toHaveLength(2);
		expect(calls[1].headers).toMatchObject({ 'Tracking-Key': 't' });
	});

	it('says the outcome is unknown when a one-shot POST loses its connection', async () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const { ctx } = scripted([reset]);
		const error: Error & { description?: string } = await ottuApiRequest
			.call(ctx, { method: 'POST', path: '/b/checkout/v1/pymt-txn/', body: {} })
			.then(
				() => {
					throw new Error('expected failure');
				},
				(e: Error & { description?: string }) => e,
			);
		expect(error.message).toBe('The connection to Ottu was interrupted');
		expect(error.description).toContain('may or may not have been carried out');
	});

	it('never repeats "tracked" without a Tracking-Key, and never calls such a request safe to run again', async () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const { ctx, calls } = scripted([reset, { statusCode: 200, body: { result: 'success' } }]);
		const error = await ottuApiRequest
			.call(ctx, { method: 'POST', path: '/b/pbl/v2/operation/', body: {}, retry: 'tracked' })
			.then(
				() => undefined,
				(e: Error & { description?: string }) => e,
			);
		expect(calls).toHaveLength(1);
		expect(error?.description).toContain('may or may not have been carried out');
		expect(error?.description).not.toContain('safe');
	});

	it("gives a one-shot request's own sentence for an unknown outcome, and tells the caller when it asks again after a lost answer", async () => {
		const { ctx } = scripted([{ statusCode: 200, body: '{"result": "succ' }]);
		const error = await ottuApiRequest
			.call(ctx, {
				method: 'POST',
				path: '/b/pbl/v2/payment/auto-debit/',
				body: {},
				retry: 'once',
				unknownOutcome: 'The charge may have gone through.',
			})
			.then(
				() => undefined,
				(e: Error & { description?: string }) => e,
			);
		expect(error?.description).toBe('The charge may have gone through.');
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		let lost = 0;
		const again = scripted([reset, { statusCode: 200, body: { state: 'refunded' } }]);
		await ottuApiRequest.call(again.ctx, {
			method: 'POST',
			path: '/b/pbl/v2/operation/',
			body: {},
			trackingKey: 't',
			retry: 'tracked',
			onLostAnswer: () => lost++,
		});
		expect(lost).toBe(1);
	});
});

describe('retry timing', () => {
	it('reads Retry-After as seconds or an HTTP date', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
		expect(parseRetryAfter('soon')).toBeUndefined();
	});

	it('backs off exponentially and caps each wait', () => {
		expect(backoffDelay(1)).toBe(RETRY_LIMITS.baseDelayMs);
		expect(backoffDelay(3)).toBe(RETRY_LIMITS.baseDelayMs * 4);
		expect(backoffDelay(1, 999_999)).toBe(RETRY_LIMITS.maxDelayMs);
	});
});

describe('ottuApiRequestAllItems', () => {
	const pages = (total: number) => (options: IHttpRequestOptions) => {
		const { limit, offset } = options.qs as { limit: number; offset: number };
		const results = Array.from(
			{ length: Math.max(0, Math.min(limit, total - offset)) },
			(_, i) => ({ n: offset + i }),
		);
		const next =
			offset + results.length < total ? `https://x/?limit=${limit}&offset=${offset + limit}` : null;
		return { statusCode: 200, body: { count: total, next, previous: null, results } };
	};

	it('follows limit/offset pages until the end', async () => {
		const { ctx, calls } = scripted(pages(450));
		const all = await ottuApiRequestAllItems.call(ctx, { path: '/b/api/v1/reports/files/' });
		expect(all).toHaveLength(450);
		expect(all[449]).toEqual({ n: 449 });
		expect(calls.map((c) => (c.qs as { offset: number }).offset)).toEqual([0, 200, 400]);
	});

	it("stops at the user's limit without fetching more than needed", async () => {
		const { ctx, calls } = scripted(pages(450));
		const some = await ottuApiRequestAllItems.call(ctx, { path: '/r/', limit: 50 });
		expect(some).toHaveLength(50);
		expect(calls).toHaveLength(1);
		expect(calls[0].qs).toMatchObject({ limit: 50, offset: 0 });
	});

	it('follows `next` one page at a time when Ottu gives no count', async () => {
		const withoutCount = (options: IHttpRequestOptions) => {
			const body: Record<string, unknown> = { ...pages(450)(options).body };
			delete body.count;
			return { statusCode: 200, body };
		};
		const { ctx, calls } = scripted(withoutCount);
		const all = await ottuApiRequestAllItems.call(ctx, { path: '/r/' });
		expect(all.map((r) => r.n)).toEqual(Array.from({ length: 450 }, (_, i) => i));
		expect(calls.map((c) => (c.qs as { offset: number }).offset)).toEqual([0, 200, 400]);
	});

	it('asks for at most three pages at a time and keeps their order whatever order they come back in', async () => {
		let inFlight = 0;
		let most = 0;
		const { ctx } = scripted([]);
		const answer = pages(2000);
		(ctx.helpers as { httpRequestWithAuthentication: unknown }).httpRequestWithAuthentication =
			async (_type: string, options: IHttpRequestOptions) => {
				inFlight++;
				most = Math.max(most, inFlight);
				// Later pages answer sooner, so completion order is the reverse of request order.
				await new Promise((resolve) =>
					setTimeout(resolve, 40 - (options.qs as { offset: number }).offset / 100),
				);
				inFlight--;
				return { ...answer(options), body: JSON.stringify(answer(options).body), headers: {} };
			};
		const all = await ottuApiRequestAllItems.call(ctx, { path: '/r/' });
		expect(all.map((r) => r.n)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
		expect(most).toBe(3);
	});

	it('raises the error of a failed page after the pages in flight have settled', async () => {
		const { ctx, calls } = scripted((options) =>
			(options.qs as { offset: number }).offset === 400
				? { statusCode: 403, body: { detail: 'No permission assigned' } }
				: pages(1200)(options),
		);
		await expect(ottuApiRequestAllItems.call(ctx, { path: '/r/' })).rejects.toThrow(
			'Ottu refused the request (HTTP 403): No permission assigned',
		);
		// The first page, then pages at 200/400/600 together; the 403 stops further pages from being asked for.
		expect(calls.map((c) => (c.qs as { offset: number }).offset).slice(0, 4)).toEqual([
			0, 200, 400, 600,
		]);
		expect(calls.length).toBeLessThan(6);
	});

	it('keeps filters on every page and handles an empty list', async () => {
		const { ctx, calls } = scripted(pages(0));
		expect(
			await ottuApiRequestAllItems.call(ctx, { path: '/r/', qs: { interval: 'daily' } }),
		).toEqual([]);
		expect(calls[0].qs).toMatchObject({ interval: 'daily' });
	});
});

describe('ottuApiRequest and long Retry-After waits', () => {
	it('does not sit out a Retry-After longer than one back-off step, and says how long to wait', async () => {
		const { ctx, calls } = scripted(() => ({
			statusCode: 429,
			body: { detail: 'Request was throttled. Expected available in 600 seconds.' },
			headers: { 'retry-after': '600' },
		}));
		const started = Date.now();
		const error = await ottuApiRequest
			.call(ctx, {
				method: 'POST',
				path: '/b/pbl/v2/inquiry/',
				body: {},
				retry: 'read',
				itemIndex: 0,
			})
			.catch((e: Error & { description?: string }) => e);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(calls).toHaveLength(1);
		expect((error as Error).message).toBe(
			'Ottu refused the request (HTTP 429): Request was throttled. Expected available in 600 seconds. [item 0]',
		);
		expect((error as { description?: string }).description).toContain(
			'Ottu asks to wait 600 seconds before trying again.',
		);
	});
});

describe('ottuApiRequestAllItems bounds', () => {
	it('refuses, after the first page, a count that needs more pages than the ceiling at the page size Ottu uses', async () => {
		const { ctx, calls } = scripted([
			{
				statusCode: 200,
				body: { count: 5000, next: 'https://merchant.ottu.net/next', results: [{ id: 1 }] },
			},
		]);
		await expect(
			ottuApiRequestAllItems.call(ctx, { path: '/b/api/v1/reports/files/', itemIndex: 0 }),
		).rejects.toMatchObject({
			message:
				'The listing is too long: 5000 results in pages of 1 make 5000 pages, more than one run fetches (at most 100000 results in 1000 pages and 64 MB) [item 0]',
		});
		expect(calls).toHaveLength(1);
	});

	it('refuses a count that is not a number of results', async () => {
		const { ctx } = scripted([
			{
				statusCode: 200,
				body: { count: 1e300, next: 'https://merchant.ottu.net/next', results: [{ id: 1 }] },
			},
		]);
		await expect(
			ottuApiRequestAllItems.call(ctx, { path: '/b/api/v1/reports/files/' }),
		).rejects.toMatchObject({
			message: expect.stringMatching(/^The listing is too long: Ottu announced a count of 1e\+300/),
		});
	});
});

describe('an operation Ottu is still carrying out (operation_tracking)', () => {
	const inFlight = {
		statusCode: 400,
		body: '{"detail":"Still being processed.","operation":"operation_tracking","result":"failed"}',
	};
	const saved = { ...RETRY_LIMITS };
	beforeEach(() => {
		RETRY_LIMITS.inFlightDelayMs = 1;
		RETRY_LIMITS.maxTotalWaitMs = 10;
	});
	afterEach(() => {
		Object.assign(RETRY_LIMITS, saved);
	});
	const refund = { method: 'POST', path: '/b/pbl/v2/operation/', body: {} } as const;

	it('asks again with the same Tracking-Key until Ottu answers, past the attempt limit', async () => {
		const { ctx, calls } = scripted([
			...Array.from({ length: 6 }, () => inFlight),
			{ statusCode: 200, body: { state: 'refunded' } },
		]);
		const out = await ottuApiRequest.call(ctx, { ...refund, trackingKey: 'k', retry: 'tracked' });
		expect(out).toEqual({ state: 'refunded' });
		expect(calls.map((c) => (c.headers as Record<string, string>)['Tracking-Key'])).toEqual(
			Array.from({ length: 7 }, () => 'k'),
		);
	});

	it('gives up within the total wait, saying Ottu is still at it and a repeat with the key is safe', async () => {
		const { ctx, calls } = scripted(() => inFlight);
		const error = await ottuApiRequest
			.call(ctx, { ...refund, trackingKey: 'k-9', retry: 'tracked' })
			.catch((e: Error & { description?: string }) => e);
		expect(calls.length).toBe(11);
		expect((error as Error).message).toBe(
			'Ottu refused the request (HTTP 400): Still being processed.',
		);
		expect((error as { description?: string }).description).toContain(
			'Ottu is still carrying out the operation sent earlier with this Tracking-Key, so it started no other.',
		);
		expect((error as { description?: string }).description).toContain(
			'running it again with the same Tracking-Key (k-9) is safe',
		);
	});

	it('is final for a request sent once', async () => {
		const { ctx, calls } = scripted(() => inFlight);
		await expect(ottuApiRequest.call(ctx, { ...refund, retry: 'once' })).rejects.toThrow(
			'Still being processed.',
		);
		expect(calls).toHaveLength(1);
	});
});
