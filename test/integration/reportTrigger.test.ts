import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { useDatabaseBinaryData, useFilesystemBinaryData } from '../helpers/n8n';
import { Poller } from '../helpers/poll';
import { apiKeyCredentials } from '../helpers/sandbox';
import { addFault, addReports, apiRequests, useSandbox } from './support';

describe("Ottu Report Trigger through n8n-core's poll path and the sandbox", () => {
	const harness = useSandbox({ reports: [] });
	let binaryDir: string;
	beforeAll(async () => {
		binaryDir = mkdtempSync(join(tmpdir(), 'ottu-report-trigger-'));
		await useFilesystemBinaryData(binaryDir);
	});
	afterAll(async () => {
		rmSync(binaryDir, { recursive: true, force: true });
	});

	const poller = (parameters: IDataObject = {}) =>
		new Poller(parameters, apiKeyCredentials(harness.sandbox));
	const ids = (items: Array<{ json: IDataObject }> | null) =>
		(items ?? []).map((i) => i.json.encrypted_id);

	it('emits nothing old on activation, then each new report file once, also after n8n loads the workflow again', async () => {
		await addReports(harness.sandbox, { report_name: 'Old daily', days_ago: 1, count: 2 });
		const trigger = poller();
		expect(await trigger.poll()).toBeNull();

		const [fresh] = await addReports(harness.sandbox, { report_name: 'New daily' });
		const items = await trigger.poll();
		expect(ids(items)).toEqual([fresh]);
		expect(items![0].json).toMatchObject({
			report_name: 'New daily',
			status: 'finished',
			download_action: { method: 'GET' },
		});
		expect(await trigger.poll()).toBeNull();

		trigger.restart();
		expect(await trigger.poll()).toBeNull();
		const [next] = await addReports(harness.sandbox, { report_name: 'Next' });
		expect(ids(await trigger.poll())).toEqual([next]);
	});

	it('on activation with "include reports from the last N days", emits those (oldest first) and no older', async () => {
		const [ten] = await addReports(harness.sandbox, { report_name: 'Ten days', days_ago: 10 });
		const [five] = await addReports(harness.sandbox, { report_name: 'Five days', days_ago: 5 });
		const [one] = await addReports(harness.sandbox, { report_name: 'One day', days_ago: 1 });
		const trigger = poller({ includeDays: 7 });
		expect(ids(await trigger.poll())).toEqual([five, one]);
		expect(ids(await trigger.poll())).toEqual([]);
		expect(ten).toBeDefined();
	});

	it('filters by interval and source as Report → Get Many does', async () => {
		const trigger = poller({ filters: { interval: 'weekly', source: 'manual' } });
		expect(await trigger.poll()).toBeNull();
		await addReports(harness.sandbox, { interval: 'daily', source: 'manual' });
		const [wanted] = await addReports(harness.sandbox, { interval: 'weekly', source: 'manual' });
		await addReports(harness.sandbox, { interval: 'weekly', source: 'auto' });
		expect(ids(await trigger.poll())).toEqual([wanted]);
	});

	it('downloads the file into the output when asked', async () => {
		const trigger = poller({ download: true, binaryPropertyName: 'report' });
		await trigger.poll();
		await addReports(harness.sandbox, { report_name: 'Settlement', size_bytes: 4096 });
		const items = await trigger.poll();
		expect(items).toHaveLength(1);
		expect(items![0].binary?.report).toMatchObject({
			fileName: 'Settlement.csv',
			mimeType: 'text/csv',
		});
		expect(
			(await apiRequests(harness.sandbox)).filter((r) => r.endsWith('/download/')),
		).toHaveLength(1);
	});

	it('a failed download waits alone: the other reports are emitted, and it comes with its file next poll', async () => {
		const trigger = poller({ download: true });
		await trigger.poll();
		const [newer, older] = await addReports(harness.sandbox, { report_name: 'Pair', count: 2 });
		await addFault(harness.sandbox, {
			route: 'GET /b/api/v1/reports/files/*/download/',
			kind: 'status',
			status: 404,
			body: { detail: 'Not found.' },
			count: 1,
		});
		const first = await trigger.poll();
		expect(ids(first)).toEqual([newer]);
		expect(first![0].binary?.data).toBeDefined();
		trigger.restart();
		const second = await trigger.poll();
		expect(ids(second)).toEqual([older]);
		expect(second![0].binary?.data).toBeDefined();
		expect(await trigger.poll()).toBeNull();
	});

	it('after three failed polls, emits the report without its file and says why', async () => {
		const trigger = poller({ download: true });
		await trigger.poll();
		const [report] = await addReports(harness.sandbox, { report_name: 'Gone' });
		await addFault(harness.sandbox, {
			route: 'GET /b/api/v1/reports/files/*/download/',
			kind: 'status',
			status: 404,
			body: { detail: 'Not found.' },
			count: 3,
		});
		expect(await trigger.poll()).toBeNull();
		expect(await trigger.poll()).toBeNull();
		const items = await trigger.poll();
		expect(ids(items)).toEqual([report]);
		expect(items![0].binary).toBeUndefined();
		expect(items![0].json.file_missing).toMatch(
			/^The file could not be downloaded in 3 polls: .*404/,
		);
		expect(await trigger.poll()).toBeNull();
	});

	it('a file over Max Download Size is emitted without its file, saying why, and blocks nothing', async () => {
		const trigger = poller({ download: true, downloadOptions: { maxSizeMb: 1 } });
		await trigger.poll();
		const [big] = await addReports(harness.sandbox, {
			report_name: 'Big',
			size_bytes: 20 * 1024 * 1024,
		});
		const [small] = await addReports(harness.sandbox, { report_name: 'Small', size_bytes: 4096 });
		const items = await trigger.poll();
		expect(ids(items)).toEqual([big, small]);
		expect(items![0].binary).toBeUndefined();
		expect(items![0].json.file_missing).toBe(
			'The file is larger than the Max Download Size of 1 MB; raise it in Download Options to get the file',
		);
		expect(items![1].binary?.data).toMatchObject({ fileName: 'Small.csv', fileSize: '4.1 kB' });
		expect(await trigger.poll()).toBeNull();
	});

	it('streams a file over 16 MB into binary data under the default Max Download Size', async () => {
		const trigger = poller({ download: true });
		await trigger.poll();
		const [big] = await addReports(harness.sandbox, {
			report_name: 'Month',
			size_bytes: 40 * 1024 * 1024,
		});
		const items = await trigger.poll();
		expect(ids(items)).toEqual([big]);
		expect(items![0].json.file_missing).toBeUndefined();
		expect(items![0].binary?.data).toMatchObject({ fileName: 'Month.csv', fileSize: '41.9 MB' });
	});

	it('a test run ("Fetch Test Event") shows the newest report and changes nothing', async () => {
		await addReports(harness.sandbox, { report_name: 'Older', days_ago: 2 });
		const [newest] = await addReports(harness.sandbox, { report_name: 'Newest' });
		const trigger = poller();
		expect(ids(await trigger.poll('manual', 'manual'))).toEqual([newest]);
		expect(trigger.staticData()).toEqual({});
		// The real activation still emits nothing old.
		expect(await trigger.poll()).toBeNull();
	});
});

describe("Ottu Report Trigger under Ottu's download quota", () => {
	const harness = useSandbox({ reports: [], limits: { reportDownloadsPerHour: 3 } });
	let binaryDir: string;
	const realNow = Date.now.bind(Date);
	let shift = 0;
	/** Moves n8n's clock and the in-process sandbox's clock on together. */
	const later = (seconds: number) => {
		shift += seconds * 1000;
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
	};
	beforeAll(async () => {
		binaryDir = mkdtempSync(join(tmpdir(), 'ottu-report-quota-'));
		await useFilesystemBinaryData(binaryDir);
	});
	afterAll(async () => {
		rmSync(binaryDir, { recursive: true, force: true });
	});
	afterEach(() => {
		jest.restoreAllMocks();
		shift = 0;
	});

	const poller = (parameters: IDataObject = {}) =>
		new Poller(parameters, apiKeyCredentials(harness.sandbox));
	const names = (items: Array<{ json: IDataObject }> | null) =>
		(items ?? []).map((i) => i.json.report_name);
	const downloads = async () =>
		(await apiRequests(harness.sandbox)).filter((r) => r.endsWith('/download/')).length;

	it('keeps to its own share, spreading a backlog over polls oldest first, each file once', async () => {
		const trigger = poller({ download: true, downloadOptions: { downloadsPerWindow: 2 } });
		await trigger.poll();
		await addReports(harness.sandbox, { report_name: 'Day', count: 5 });
		const first = await trigger.poll();
		expect(names(first)).toEqual(['Day #5', 'Day #4']);
		expect(first!.every((i) => i.binary?.data !== undefined)).toBe(true);
		expect(await trigger.poll()).toBeNull();
		expect(await downloads()).toBe(2);
		later(3601);
		trigger.restart();
		expect(names(await trigger.poll())).toEqual(['Day #3', 'Day #2']);
		later(3601);
		expect(names(await trigger.poll())).toEqual(['Day #1']);
		expect(await trigger.poll()).toBeNull();
		expect(await downloads()).toBe(5);
	});

	it("after Ottu's 429, emits what it has, downloads nothing until Retry-After, even after a restart", async () => {
		const trigger = poller({ download: true });
		await trigger.poll();
		await addReports(harness.sandbox, { report_name: 'Day', count: 5 });
		const items = await trigger.poll();
		// Ottu allows 3 here: the fourth download is refused with Retry-After 3600.
		expect(names(items)).toEqual(['Day #5', 'Day #4', 'Day #3']);
		expect(await downloads()).toBe(4);
		const state = trigger.staticData()['node:Ottu Report Trigger'] as IDataObject;
		const pausedUntil = state.pausedUntil as number;
		expect(pausedUntil).toBeGreaterThan(Date.now() + 3_500_000);
		trigger.restart();
		later(1800);
		expect(await trigger.poll()).toBeNull();
		expect(await downloads()).toBe(4);
		later(1801);
		const rest = await trigger.poll();
		expect(names(rest)).toEqual(['Day #2', 'Day #1']);
		expect(rest!.every((i) => i.binary?.data !== undefined)).toBe(true);
	});

	it('a poll started while the last one still downloads does nothing (no file twice)', async () => {
		const trigger = poller({ download: true });
		await trigger.poll();
		await addReports(harness.sandbox, { report_name: 'Day', count: 2 });
		const [a, b] = await Promise.all([trigger.poll(), trigger.poll()]);
		expect([...names(a), ...names(b)]).toEqual(['Day #2', 'Day #1']);
		expect(await downloads()).toBe(2);
		expect(await trigger.poll()).toBeNull();
	});

	it('on activation with a look-back, emits the backlog without downloading it, unless asked', async () => {
		await addReports(harness.sandbox, { report_name: 'Old', count: 4, days_ago: 2 });
		const items = await poller({ download: true, includeDays: 7 }).poll();
		expect(names(items)).toEqual(['Old #4', 'Old #3', 'Old #2', 'Old #1']);
		expect(items!.every((i) => i.binary === undefined)).toBe(true);
		expect(items![0].json.file_missing).toMatch(
			/^Not downloaded: .*Download Files of Older Reports/,
		);
		expect(await downloads()).toBe(0);

		const asked = poller({
			download: true,
			includeDays: 7,
			downloadOptions: { downloadBacklog: true, downloadsPerWindow: 3 },
		});
		expect(names(await asked.poll())).toEqual(['Old #4', 'Old #3', 'Old #2']);
		later(3601);
		const last = await asked.poll();
		expect(names(last)).toEqual(['Old #1']);
		expect(last![0].binary?.data).toBeDefined();
		expect(await downloads()).toBe(4);
	});
});

describe("Ottu Report Trigger with n8n's database binary data mode (queue mode)", () => {
	const harness = useSandbox({ reports: [] });
	let binaryDir: string;
	let store: { files: Map<string, Buffer>; bytesRead: number[] };
	beforeAll(async () => {
		binaryDir = mkdtempSync(join(tmpdir(), 'ottu-report-trigger-db-'));
		// n8n's limit lowered from 512 MB so the test stays small.
		store = await useDatabaseBinaryData(binaryDir, 1);
	});
	beforeEach(() => {
		store.files.clear();
		store.bytesRead.length = 0;
	});
	afterAll(async () => {
		rmSync(binaryDir, { recursive: true, force: true });
		await useFilesystemBinaryData(binaryDir);
	});

	it('a file n8n refuses to store as too large is emitted at once without it, saying why, and not fetched again', async () => {
		const trigger = new Poller(
			{ download: true, downloadOptions: { maxSizeMb: 8 } },
			apiKeyCredentials(harness.sandbox),
		);
		await trigger.poll();
		const [big] = await addReports(harness.sandbox, {
			report_name: 'Big',
			size_bytes: 3 * 1024 * 1024,
		});
		const [small] = await addReports(harness.sandbox, { report_name: 'Small', size_bytes: 4096 });
		const items = await trigger.poll();
		expect(items!.map((i) => i.json.encrypted_id)).toEqual([big, small]);
		expect(items![0].binary).toBeUndefined();
		expect(items![0].json.file_missing).toMatch(
			/^The file is too large for n8n's binary data storage: Failed to write binary file "Big\.csv" .* exceeds the max size limit of 1 MB set for `database` mode\. .* Lower Max Download Size below that limit so that such files are not downloaded\.$/,
		);
		expect(items![1].binary?.data).toMatchObject({ fileName: 'Small.csv' });
		expect(store.files.size).toBe(1);
		expect(await trigger.poll()).toBeNull();
		const downloads = (await apiRequests(harness.sandbox)).filter((r) => r.endsWith('/download/'));
		expect(downloads).toHaveLength(2);
	});

	it('a file Ottu announces as larger than Max Download Size is refused at its first chunk', async () => {
		const trigger = new Poller(
			{ download: true, downloadOptions: { maxSizeMb: 1 } },
			apiKeyCredentials(harness.sandbox),
		);
		await trigger.poll();
		const [big] = await addReports(harness.sandbox, {
			report_name: 'Announced',
			size_bytes: 64 * 1024 * 1024,
		});
		const items = await trigger.poll();
		expect(items!.map((i) => i.json.encrypted_id)).toEqual([big]);
		expect(items![0].json.file_missing).toBe(
			'The file is larger than the Max Download Size of 1 MB; raise it in Download Options to get the file',
		);
		// Database mode holds what it reads in memory: with the length announced, one chunk at most.
		expect(store.bytesRead).toHaveLength(1);
		expect(store.bytesRead[0]).toBeLessThanOrEqual(256 * 1024);
	});
});
