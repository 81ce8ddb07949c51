import axios from 'axios';

import { seedReports, storageRequests } from '../helpers/sandbox';
import { advanceClock } from '../integration/support';
import { startHarness } from './helpers';
import type { Harness } from './helpers';

/** Reports kept in S3: the download answers 302 to a pre-signed link on another origin, which wants no credential. */
describe('report storage (S3 variant)', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness({ reports: [] });
	});
	afterAll(async () => {
		await h.sandbox.close();
	});

	async function presigned(): Promise<string> {
		await seedReports(h.sandbox, { report_name: 'In S3', size_bytes: 4096, storage: 's3' });
		const listed = await h.api.get('/b/api/v1/reports/files/');
		const first = listed.data.results.find(
			(r: { report_name: string }) => r.report_name === 'In S3',
		);
		const answer = await h.api.get(first.download_action.url, { maxRedirects: 0 });
		expect(answer.status).toBe(302);
		return answer.headers.location as string;
	}

	it('redirects to another origin, which serves the file to the pre-signed link alone', async () => {
		const link = await presigned();
		expect(new URL(link).origin).not.toBe(new URL(h.sandbox.url).origin);
		const file = await axios.get(link, { validateStatus: () => true });
		expect(file.status).toBe(200);
		expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
		expect(String(file.data)).toHaveLength(4096);
	});

	it('refuses the link when it also carries Authorization, or a wrong signature, as S3 does', async () => {
		const link = await presigned();
		const withKey = await axios.get(link, {
			headers: { Authorization: 'Api-Key sbx.leaked' },
			validateStatus: () => true,
		});
		expect(withKey.status).toBe(400);
		expect(String(withKey.data)).toContain('<Code>InvalidArgument</Code>');
		const forged = await axios.get(link.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=z'), {
			validateStatus: () => true,
		});
		expect(forged.status).toBe(403);
		const log = await storageRequests(h.sandbox);
		expect(log.slice(-2)).toEqual([
			expect.objectContaining({ authorization: true, status: 400 }),
			expect.objectContaining({ authorization: false, signed: false, status: 403 }),
		]);
	});

	it('answers only requests addressed to the loopback host, like every sandbox route', async () => {
		const link = new URL(await presigned());
		const rebound = await axios.get(link.toString(), {
			headers: { Host: `evil.example:${link.port}` },
			validateStatus: () => true,
		});
		expect(rebound.status).toBe(403);
		expect(String(rebound.data)).toContain('<Code>AccessDenied</Code>');
		expect((await axios.get(link.toString(), { validateStatus: () => true })).status).toBe(200);
	});

	it('lets the link expire', async () => {
		const link = await presigned();
		await advanceClock(h.sandbox, 301);
		const late = await axios.get(link, { validateStatus: () => true });
		expect(late.status).toBe(403);
		expect(String(late.data)).toContain('Request has expired');
	});
});
