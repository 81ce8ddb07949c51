import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BinaryDataService } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu, useFilesystemBinaryData } from '../helpers/n8n';
import {
	apiKeyCredentials,
	ottuCall,
	requestLog,
	sandboxClient,
	startSandbox,
} from '../helpers/sandbox';
import { apiRequests, useSandbox } from './support';

const MB = 1024 * 1024;

/** The whole report list as a client paging one page at a time sees it, in Ottu's order. */
async function listedOneByOne(sandbox: Sandbox): Promise<string[]> {
	const ids: string[] = [];
	for (let offset = 0; ;) {
		const { data } = await ottuCall<{
			next: string | null;
			results: Array<{ encrypted_id: string }>;
		}>(sandbox, 'GET', `/b/api/v1/reports/files/?limit=200&offset=${offset}`);
		ids.push(...data.results.map((r) => r.encrypted_id));
		offset += data.results.length;
		if (!data.next || data.results.length === 0) return ids;
	}
}

describe('Report through the real n8n engine and the sandbox', () => {
	const harness = useSandbox({ reports: [] });
	let binaryDir: string;
	let binaryData: BinaryDataService;
	beforeAll(async () => {
		binaryDir = mkdtempSync(join(tmpdir(), 'ottu-binary-'));
		binaryData = await useFilesystemBinaryData(binaryDir);
	});
	afterAll(async () => {
		rmSync(binaryDir, { recursive: true, force: true });
	});

	const seed = async (report: IDataObject) => {
		return await sandboxClient(harness.sandbox).seedReports(report);
	};
	const run = harness.runner({ resource: 'report' });

	/** The first bytes of a file n8n stored. */
	const head = async (id: string, bytes = 64) => {
		const file = await open(binaryData.getPath(id), 'r');
		try {
			const buf = Buffer.alloc(bytes);
			const { bytesRead } = await file.read(buf, 0, bytes, 0);
			return buf.subarray(0, bytesRead).toString('latin1');
		} finally {
			await file.close();
		}
	};

	it('lists all reports over limit/offset pages with Return All, and 50 by default with Limit', async () => {
		// Pages of 200, Ottu's documented maximum: 453 reports take three requests.
		await seed({ report_name: 'Daily', count: 450, interval: 'daily', source: 'auto' });
		await seed({ report_name: 'Manual', count: 3, interval: 'monthly', source: 'manual' });
		const all = await run({ operation: 'getAll', returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(453);
		expect(new Set(all.items.map((i) => i.json.encrypted_id)).size).toBe(453);
		const pages = (await apiRequests(harness.sandbox)).filter(
			(r) => r === 'GET /b/api/v1/reports/files/',
		);
		expect(pages).toHaveLength(3);
		// Pages 2 and 3 are fetched together, but the items keep Ottu's order (newest first).
		expect(all.items.map((i) => i.json.encrypted_id)).toEqual(
			await listedOneByOne(harness.sandbox),
		);

		const limited = await run({ operation: 'getAll', returnAll: false, limit: 50 });
		expect(limited.items).toHaveLength(50);
		const manual = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { source: 'manual', interval: 'monthly' },
		});
		expect(manual.items.map((i) => i.json.report_name).sort()).toEqual([
			'Manual #1',
			'Manual #2',
			'Manual #3',
		]);
	});

	it('follows the page size Ottu really uses when it is smaller than asked, without gaps or repeats', async () => {
		const small = await startSandbox({ reports: [], reportsMaxPageSize: 50 });
		try {
			await sandboxClient(small).seedReports({
				report_name: 'Daily',
				count: 453,
				interval: 'daily',
				source: 'auto',
			});
			const expected = await listedOneByOne(small);
			expect(expected).toHaveLength(453);
			const listRequests = async () =>
				(await requestLog(small)).filter((r) => r.path === '/b/api/v1/reports/files/').length;

			const before = await listRequests();
			const all = await runOttu({
				parameters: { resource: 'report', operation: 'getAll', returnAll: true },
				credentials: apiKeyCredentials(small),
			});
			expect(all.error).toBeUndefined();
			expect(all.items.map((i) => i.json.encrypted_id)).toEqual(expected);
			expect((await listRequests()) - before).toBe(10); // 453 in pages of 50

			const beforeLimited = await listRequests();
			const limited = await runOttu({
				parameters: { resource: 'report', operation: 'getAll', returnAll: false, limit: 120 },
				credentials: apiKeyCredentials(small),
			});
			expect(limited.items.map((i) => i.json.encrypted_id)).toEqual(expected.slice(0, 120));
			expect((await listRequests()) - beforeLimited).toBe(3); // 50 + 50 + 20
		} finally {
			await small.close();
		}
	});

	it('stops swapped dates before anything is sent', async () => {
		const { error } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { createdAfter: '2026-11-20', createdBefore: '2026-11-01' },
		});
		expect(error?.message).toBe(
			'Created Before (2026-11-01) is earlier than Created After (2026-11-20) [item 0]',
		);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it('downloads a listed report as a binary file named and typed by Ottu, from download_action', async () => {
		await seed({ report_name: 'Weekly settlements', size_bytes: 256 * 1024, interval: 'weekly' });
		const listed = await run({ operation: 'getAll', returnAll: true });
		const { items, error } = await run(
			{
				operation: 'download',
				report: '={{ $json.download_action }}',
				binaryPropertyName: 'report',
			},
			{ items: listed.items.map((i) => i.json) },
		);
		expect(error).toBeUndefined();
		const file = items[0].binary?.report;
		expect(file).toMatchObject({
			fileName: 'Weekly_settlements.csv',
			mimeType: 'text/csv',
			bytes: 256 * 1024,
		});
		expect(items[0].json).toMatchObject({
			file_name: 'Weekly_settlements.csv',
			mime_type: 'text/csv',
		});
		expect(file?.id).toMatch(/^filesystem/);
		expect(await head(file!.id!, 15)).toBe('session_id,orde');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('downloads by token and by URL string too, and refuses a link to another host before sending', async () => {
		await seed({ report_name: 'Daily', size_bytes: 4096 });
		const listed = await run({ operation: 'getAll', returnAll: true });
		const url = (listed.items[0].json.download_action as { url: string }).url;
		const token = /files\/([^/]+)\/download/.exec(url)![1];
		const byToken = await run({
			operation: 'download',
			report: token,
			binaryPropertyName: 'data',
			downloadOptions: { fileName: 'mine.csv' },
		});
		expect(byToken.error).toBeUndefined();
		expect(byToken.items[0].binary?.data).toMatchObject({ fileName: 'mine.csv', bytes: 4096 });
		const byUrl = await run({ operation: 'download', report: url, binaryPropertyName: 'data' });
		expect(byUrl.items[0].binary?.data?.bytes).toBe(4096);

		const before = (await apiRequests(harness.sandbox)).length;
		const elsewhere = await run({
			operation: 'download',
			report: url.replace('127.0.0.1', 'localhost'),
			binaryPropertyName: 'data',
		});
		expect(elsewhere.error?.message).toMatch(
			/^The report address is on localhost:\d+, not on your Ottu instance 127\.0\.0\.1:\d+ \[item 0\]$/,
		);
		expect((await apiRequests(harness.sandbox)).length).toBe(before);
	});

	it("explains an unknown or expired token in Ottu's words", async () => {
		const { error } = await run({
			operation: 'download',
			report: '3f2b8c1e-9a4d-4e7f-b6c5-1d2e3f4a5b6c',
			binaryPropertyName: 'data',
		});
		expect(error?.message).toBe('Ottu refused the request (HTTP 404): Not found. [item 0]');
	});

	it('streams a 100 MB report into the filesystem binary store with flat memory', async () => {
		const size = 100 * MB;
		await seed({ report_name: 'Yearly export', size_bytes: size, interval: 'yearly' });
		const listed = await run({ operation: 'getAll', returnAll: true });
		global.gc?.();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => {
			peak = Math.max(peak, process.memoryUsage().rss);
		}, 5);
		const { items, error } = await run(
			{ operation: 'download', report: '={{ $json.download_action }}', binaryPropertyName: 'data' },
			{ items: [listed.items[0].json] },
		);
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().rss);
		expect(error).toBeUndefined();
		const file = items[0].binary!.data;
		expect(file.bytes).toBe(size);
		expect(statSync(binaryData.getPath(file.id!)).size).toBe(size);
		expect(file.data).toBe('filesystem-v2');
		const growth = peak - baseline;
		// Buffering would need the whole file at least once (and n8n's base64 copy on top); streaming stays at the
		// few tens of MB V8 lets pass-through buffers pile up before collecting them, whatever the file size.
		expect(growth).toBeLessThan(60 * MB);
	});
});
