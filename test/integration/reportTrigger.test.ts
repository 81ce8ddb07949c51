import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { useFilesystemBinaryData } from '../helpers/n8n';
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

	it('remembers nothing when a download fails, so the next poll emits the file again', async () => {
		const trigger = poller({ download: true });
		await trigger.poll();
		const [report] = await addReports(harness.sandbox, { report_name: 'Retry me' });
		await addFault(harness.sandbox, {
			route: 'GET /b/api/v1/reports/files/*/download/',
			kind: 'status',
			status: 404,
			body: { detail: 'Not found.' },
			count: 1,
		});
		await expect(trigger.poll()).rejects.toThrow('Ottu refused the request (HTTP 404): Not found.');
		expect(ids(await trigger.poll())).toEqual([report]);
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
