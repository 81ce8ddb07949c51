import { randomUUID } from 'node:crypto';
import http from 'node:http';

import { CSV_HEADER, CsvReportStream, recordsAmount } from '../../sandbox/core/reportFiles';
import { API_KEY, startHarness } from './helpers';
import type { Harness, Json } from './helpers';

const list = (h: Harness, params: Record<string, unknown> = {}) =>
	h.api.get('/b/api/v1/reports/files/', { params });

/** Streams a download to nowhere, counting bytes and sampling this process's RSS. */
function download(url: string): Promise<{
	status: number;
	bytes: number;
	headers: http.IncomingHttpHeaders;
	peakRssGrowth: number;
	first: string;
}> {
	return new Promise((resolve, reject) => {
		const start = process.memoryUsage().rss;
		let peak = start;
		const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		http
			.get(url, { headers: { Authorization: `Api-Key ${API_KEY}` } }, (res) => {
				let bytes = 0;
				let first = '';
				res.on('data', (chunk: Buffer) => {
					if (first.length < 300) first += chunk.toString('latin1', 0, Math.min(chunk.length, 300));
					bytes += chunk.length;
				});
				res.on('end', () => {
					clearInterval(timer);
					resolve({
						status: res.statusCode ?? 0,
						bytes,
						headers: res.headers,
						peakRssGrowth: peak - start,
						first,
					});
				});
				res.on('error', reject);
			})
			.on('error', reject);
	});
}

describe('reports', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness({
			limits: { reportDownloadsPerHour: 4 },
			users: [
				{ username: 'analyst', password: 'pw-analyst-1', permissions: ['report.can_view_report'] },
				{ username: 'clerk', password: 'pw-clerk-1', permissions: ['add_e_commerce'] },
			],
		});
	});
	afterAll(async () => h.sandbox.close());
	beforeEach(async () => {
		await h.client.reset();
	});

	it('lists the default reports newest first with download actions', async () => {
		const res = await list(h);
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({ count: 3, next: null, previous: null });
		expect(res.data.results.map((r: Json) => r.report_name)).toEqual([
			'Daily transactions',
			'Weekly settlements',
			'Refunds (manual export)',
		]);
		const first = res.data.results[0];
		expect(first).toMatchObject({
			interval: 'daily',
			source: 'auto',
			file_format: 'csv',
			status: 'finished',
			records_amount: recordsAmount(64 * 1024),
		});
		expect(first.download_action.method).toBe('GET');
		expect(first.download_action.url).toMatch(
			new RegExp(`^${h.sandbox.url}/b/api/v1/reports/files/[0-9a-f-]{36}/download/$`),
		);
		// Listing again reuses a valid link.
		expect((await list(h)).data.results[0].download_action.url).toBe(first.download_action.url);
	});

	it('pages with limit/offset and keeps the filters in next/previous', async () => {
		const seeded = await h.client.seedReports({
			report_name: 'Bulk',
			count: 25,
			interval: 'weekly',
			source: 'manual',
		});
		expect(seeded.created).toBe(25);
		const page1 = await list(h, { interval: 'weekly', source: 'manual', limit: 10 });
		expect(page1.data.count).toBe(25);
		expect(page1.data.results).toHaveLength(10);
		expect(page1.data.previous).toBeNull();
		const next = new URL(page1.data.next);
		expect(Object.fromEntries(next.searchParams)).toEqual({
			interval: 'weekly',
			source: 'manual',
			limit: '10',
			offset: '10',
		});
		const page3 = await h.api.get(`${page1.data.next.replace('offset=10', 'offset=20')}`);
		expect(page3.data.results).toHaveLength(5);
		expect(page3.data.next).toBeNull();
		expect(Object.fromEntries(new URL(page3.data.previous).searchParams)).toEqual({
			interval: 'weekly',
			source: 'manual',
			limit: '10',
			offset: '10',
		});
		const names = new Set<string>();
		for (let offset = 0; offset < 25; offset += 10)
			(
				await list(h, { interval: 'weekly', source: 'manual', limit: 10, offset })
			).data.results.forEach((r: Json) => names.add(r.report_name));
		expect(names.size).toBe(25);
		expect((await list(h, { limit: 1000 })).data.results).toHaveLength(28);
	});

	it('filters by dates (last 30 days by default) and refuses inverted or malformed dates', async () => {
		await h.client.seedReports({ report_name: 'Old', days_ago: 40 });
		expect((await list(h)).data.count).toBe(3);
		const today = new Date().toISOString().slice(0, 10);
		const longAgo = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
		expect((await list(h, { created_after: longAgo })).data.count).toBe(4);
		expect((await list(h, { created_after: today, created_before: today })).data.count).toBe(0);
		const inverted = await list(h, { created_after: today, created_before: longAgo });
		expect(inverted.status).toBe(400);
		expect(inverted.data).toEqual({
			created_before: ['created_before must be the same as or later than created_after.'],
		});
		expect((await list(h, { created_after: '01/02/2026' })).data).toEqual({
			created_after: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
		});
		expect((await list(h, { interval: 'hourly' })).data).toEqual({
			interval: ['"hourly" is not a valid choice.'],
		});
		expect((await list(h, { limit: 0 })).data).toEqual({
			limit: ['Ensure this value is greater than or equal to 1.'],
		});
	});

	it('downloads a CSV of exactly the listed size with the right headers', async () => {
		const { data } = await list(h);
		const small = data.results[2];
		const res = await h.api.get(small.download_action.url, { responseType: 'text' });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
		expect(res.headers['content-disposition']).toBe(
			'attachment; filename="Refunds_manual_export_.csv"',
		);
		expect(res.headers['content-length']).toBe(String(16 * 1024));
		expect(res.data.length).toBe(16 * 1024);
		expect(res.data.startsWith(CSV_HEADER)).toBe(true);
		const lines = res.data.trimEnd().split('\n');
		expect(lines).toHaveLength(small.records_amount + 1);
		expect(lines.slice(1).every((l: string) => l.split(',').length === 8)).toBe(true);
	});

	it('checks report permission, token owner, validity and expiry', async () => {
		expect((await h.as('clerk', 'pw-clerk-1').get('/b/api/v1/reports/files/')).status).toBe(403);
		const analyst = h.as('analyst', 'pw-analyst-1');
		const mine = (await analyst.get('/b/api/v1/reports/files/')).data.results[0].download_action
			.url;
		const stranger = await h.api.get(mine);
		expect(stranger.status).toBe(403);
		expect(stranger.data).toEqual({ detail: 'You are not authorized to download this file.' });
		expect((await h.api.get(mine.replace(/[0-9a-f-]{36}/, randomUUID()))).status).toBe(404);
		expect((await analyst.get(mine, { responseType: 'text' })).status).toBe(200);
		expect((await h.api.get('/b/api/v1/reports/files/not-a-token/download/')).data).toEqual({
			detail: 'Invalid download token.',
		});
		await h.client.clock({ advance_seconds: 3601 });
		const expired = await analyst.get(mine);
		expect(expired.status).toBe(410);
		const fresh = (await analyst.get('/b/api/v1/reports/files/')).data.results[0].download_action
			.url;
		expect(fresh).not.toBe(mine);
	});

	it('limits downloads per user per hour with 429 and Retry-After', async () => {
		const url = (await list(h)).data.results[2].download_action.url;
		for (let i = 0; i < 4; i++)
			expect((await h.api.get(url, { responseType: 'text' })).status).toBe(200);
		const limited = await h.api.get(url);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3590);
		expect(limited.data.detail).toMatch(
			/^Request was throttled\. Expected available in \d+ seconds\.$/,
		);
		await h.client.clock({ advance_seconds: 3600 });
		expect(
			(
				await h.api.get((await list(h)).data.results[2].download_action.url, {
					responseType: 'text',
				})
			).status,
		).toBe(200);
	});

	it('checks the token before the download limit: refused tokens spend none of it', async () => {
		const url = (await list(h)).data.results[2].download_action.url;
		const unknown = url.replace(/[0-9a-f-]{36}/, randomUUID());
		for (let i = 0; i < 6; i++) {
			expect((await h.api.get(unknown)).status).toBe(404);
			expect((await h.api.get('/b/api/v1/reports/files/bad/download/')).status).toBe(400);
		}
		for (let i = 0; i < 4; i++)
			expect((await h.api.get(url, { responseType: 'text' })).status).toBe(200);
		const limited = await h.api.get(unknown);
		expect(limited.status).toBe(404);
		expect((await h.api.get(url)).status).toBe(429);
	});

	it('streams a 200 MB report with flat memory', async () => {
		await h.client.seedReports({ report_name: 'Big', size_bytes: 200 * 1024 * 1024 });
		const big = (await list(h)).data.results.find((r: Json) => r.report_name === 'Big');
		const res = await download(big.download_action.url);
		expect(res.status).toBe(200);
		expect(res.bytes).toBe(200 * 1024 * 1024);
		expect(res.headers['content-length']).toBe(String(200 * 1024 * 1024));
		expect(res.first.startsWith(CSV_HEADER)).toBe(true);
		// Holding the file would add 200 MB or more; streaming keeps growth to chunk buffers awaiting GC.
		expect(res.peakRssGrowth).toBeLessThan(100 * 1024 * 1024);
	}, 120_000);

	it('streams a report seeded without Content-Length, and logs the bytes each download sent', async () => {
		// The abandoned file is far larger than the loopback socket buffers can absorb, so a hang-up
		// after the first chunk always leaves most of it unsent.
		const abandonedSize = 256 * 1024 * 1024;
		await h.client.seedReports({
			report_name: 'Unsized',
			size_bytes: 5 * 1024 * 1024,
			content_length: false,
		});
		await h.client.seedReports({
			report_name: 'Abandoned',
			size_bytes: abandonedSize,
			content_length: false,
		});
		const results = (await list(h)).data.results as Json[];
		const unsized = results.find((r) => r.report_name === 'Unsized');
		const abandoned = results.find((r) => r.report_name === 'Abandoned');
		const whole = await download(unsized.download_action.url);
		expect(whole.headers['content-length']).toBeUndefined();
		expect(whole.headers['transfer-encoding']).toBe('chunked');
		expect(whole.bytes).toBe(5 * 1024 * 1024);
		await hangUpAfterFirstChunk(abandoned.download_action.url);
		await new Promise((r) => setTimeout(r, 200));
		const log = await h.client.reportDownloads();
		expect(log.map((d) => [d.encrypted_id, d.size_bytes])).toEqual([
			[unsized.encrypted_id, 5 * 1024 * 1024],
			[abandoned.encrypted_id, abandonedSize],
		]);
		expect(log[0].sent_bytes).toBe(5 * 1024 * 1024);
		expect(log[1].sent_bytes).toBeGreaterThan(0);
		expect(log[1].sent_bytes).toBeLessThan(abandonedSize / 2);
	});

	it('generates exactly the requested bytes for odd sizes', async () => {
		for (const size of [CSV_HEADER.length + 128, 1000, 65_537, 1_000_003]) {
			let bytes = 0;
			for await (const chunk of new CsvReportStream(size)) bytes += (chunk as Buffer).length;
			expect(bytes).toBe(size);
		}
	});
});

describe('reports: a shorter download window (to test a backlog quickly)', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness({
			limits: { reportDownloadsPerHour: 1, reportDownloadWindowSeconds: 10 },
		});
	});
	afterAll(async () => h.sandbox.close());

	it('answers 429 with a Retry-After within the window, and serves again after it', async () => {
		const url = (await list(h)).data.results[0].download_action.url;
		expect((await h.api.get(url, { responseType: 'text' })).status).toBe(200);
		const limited = await h.api.get(url);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(10);
		await h.client.clock({ advance_seconds: 10 });
		expect((await h.api.get(url, { responseType: 'text' })).status).toBe(200);
	});
});

/** A client that reads the first chunk of a download and hangs up. */
async function hangUpAfterFirstChunk(url: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		http
			.get(url, { headers: { Authorization: `Api-Key ${API_KEY}` } }, (res) =>
				res.once('data', () => {
					res.destroy();
					resolve();
				}),
			)
			.on('error', reject);
	});
}
