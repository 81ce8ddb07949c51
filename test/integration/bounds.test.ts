/**
 * Bounds against a broken or hostile server, through n8n's real engine: listings that never end or announce
 * absurd sizes, JSON answers too large to hold, downloads too large, too slow or cut off midway. A small server
 * on 127.0.0.1 misbehaves as each test scripts; the size limit on a real report uses the sandbox.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { LISTING_LIMITS } from '../../nodes/Ottu/transport';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, seedReports, startSandbox } from '../helpers/sandbox';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

describe('bounds against a misbehaving server', () => {
	let server: Server;
	let handler: Handler;
	let requests = 0;
	const credentials = {
		baseUrl: '',
		authentication: 'apiKey',
		apiKey: 'key.bounds-test-secret-0001',
	};

	beforeAll(async () => {
		server = createServer((req, res) => handler(req, res, ++requests));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		credentials.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});
	beforeEach(() => {
		requests = 0;
	});
	// Ceilings lowered for speed (a thousand pages through the engine take a while); the count check keeps the real ones.
	const real = { ...LISTING_LIMITS };
	const lowered = () => Object.assign(LISTING_LIMITS, { maxPages: 50, maxItems: 2000 });
	afterEach(() => {
		Object.assign(LISTING_LIMITS, real);
	});

	const run = (parameters: IDataObject) => runOttu({ parameters, credentials });
	const list = { resource: 'report', operation: 'getAll', returnAll: true };
	const download = (extra: IDataObject = {}) => ({
		resource: 'report',
		operation: 'download',
		report: 'token-1',
		binaryPropertyName: 'data',
		...extra,
	});
	const page = (n: number, size: number, extra: IDataObject = {}) =>
		JSON.stringify({
			next: 'http://ottu/next',
			previous: null,
			results: Array.from({ length: size }, (_, i) => ({ encrypted_id: `r${n}-${i}` })),
			...extra,
		});
	const json = (res: ServerResponse, body: string) =>
		res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);

	it('stops Return All at the page ceiling when `next` never ends', async () => {
		lowered();
		handler = (_req, res, n) => json(res, page(n, 1));
		const { error } = await run(list);
		expect(requests).toBe(LISTING_LIMITS.maxPages);
		expect(error?.message).toBe(
			`The listing is too long: Ottu still had a next page after ${LISTING_LIMITS.maxPages} pages and ${LISTING_LIMITS.maxPages} results, more than one run fetches (at most ${LISTING_LIMITS.maxItems} results in ${LISTING_LIMITS.maxPages} pages and 64 MB) [item 0]`,
		);
		expect(error?.description).toMatch(/filters .* or turn off Return All and set a Limit/);
	});

	it('stops Return All at the item ceiling when full pages keep coming', async () => {
		lowered();
		handler = (_req, res, n) => json(res, page(n, 200));
		const { error } = await run(list);
		expect(requests).toBe(10);
		expect(error?.message).toMatch(
			/^The listing is too long: Ottu still had a next page after 10 pages and 2000 results, more than one run fetches \(at most 2000 results in 50 pages and 64 MB\)/,
		);
	});

	it('refuses a count of ten million after the first page, before fetching the rest', async () => {
		handler = (_req, res, n) => json(res, page(n, 200, { count: 10_000_000 }));
		const { error } = await run(list);
		expect(requests).toBe(1);
		expect(error?.message).toBe(
			'The listing is too long: Ottu announced 10000000 results, more than one run fetches (at most 100000 results in 1000 pages and 64 MB) [item 0]',
		);
	});

	it('stops Return All when the pages together pass the listing byte limit', async () => {
		Object.assign(LISTING_LIMITS, { maxTotalBytes: 64 * 1024 });
		const padding = 'x'.repeat(100);
		handler = (_req, res, n) =>
			json(
				res,
				JSON.stringify({
					next: 'http://ottu/next',
					results: Array.from({ length: 200 }, (_, i) => ({ encrypted_id: `r${n}-${i}`, padding })),
				}),
			);
		const { error } = await run(list);
		expect(error?.message).toBe(
			`The listing is too long: its pages passed 64 KB together, more than one run fetches (at most ${LISTING_LIMITS.maxItems} results in ${LISTING_LIMITS.maxPages} pages and 64 KB) [item 0]`,
		);
		expect(requests).toBe(3);
	});

	it('refuses a JSON answer beyond the size limit while it arrives', async () => {
		handler = (_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.write('{"results": [');
			const chunk = `${'"x",'.repeat(256 * 1024)}`;
			for (let i = 0; i < 17; i++) res.write(chunk);
			res.end('"x"]}');
		};
		const { error } = await run(list);
		expect(error?.message).toBe(
			"Ottu's answer is larger than the limit of 16 MB for a JSON answer [item 0]",
		);
		expect(requests).toBe(1);
	});

	it('repeats a listing page whose answer was cut off midway, like any read', async () => {
		handler = (_req, res, n) => {
			if (n <= 2) {
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '5000' });
				res.write('{"count": 1, "results": [');
				setTimeout(() => res.destroy(), 20);
				return;
			}
			json(res, JSON.stringify({ count: 1, next: null, results: [{ encrypted_id: 'whole' }] }));
		};
		const { items, error } = await run(list);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.encrypted_id)).toEqual(['whole']);
		expect(requests).toBe(3);
	});

	it('stops a download without Content-Length at Max Download Size', async () => {
		handler = (_req, res) => {
			res.writeHead(200, { 'Content-Type': 'text/csv' });
			const mb = Buffer.alloc(1024 * 1024, 0x61);
			let sent = 0;
			const more = () => {
				while (sent < 3 && res.write(mb)) sent++;
				if (sent < 3) res.once('drain', () => (sent++, more()));
				else res.end();
			};
			more();
		};
		const { error } = await run(download({ downloadOptions: { maxSizeMb: 1 } }));
		expect(error?.message).toBe('The file is larger than the Max Download Size of 1 MB [item 0]');
		expect(error?.description).toMatch(/Raise Max Download Size/);
		expect(requests).toBe(1);
	});

	it('holds a download to the Timeout as a deadline for the whole file, however slowly bytes keep coming', async () => {
		const timers: NodeJS.Timeout[] = [];
		handler = (_req, res) => {
			res.writeHead(200, { 'Content-Type': 'text/csv' });
			timers.push(setInterval(() => res.write('a,b\n'), 50));
		};
		const started = Date.now();
		const { error } = await run(download({ options: { timeout: 2000 } }));
		timers.forEach(clearInterval);
		expect(error?.message).toBe('The file did not arrive within 2 seconds [item 0]');
		expect(error?.description).toMatch(/Timeout option bounds the whole download/);
		expect(Date.now() - started).toBeLessThan(4000);
		expect(requests).toBe(1);
	});

	it('repeats a download cut off midway, and names the item when it never arrives whole', async () => {
		const cut = (res: ServerResponse) => {
			res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': '10000' });
			res.write('a'.repeat(4000));
			setTimeout(() => res.destroy(), 20);
		};
		handler = (_req, res, n) =>
			n <= 2 ? cut(res) : res.writeHead(200, { 'Content-Type': 'text/csv' }).end('a'.repeat(10000));
		const whole = await run(download());
		expect(whole.error).toBeUndefined();
		expect(whole.items[0].binary?.data?.bytes).toBe(10000);
		expect(requests).toBe(3);

		requests = 0;
		handler = (_req, res) => cut(res);
		const { error } = await run(download());
		expect(error?.message).toBe('The download was cut off before the end of the file [item 0]');
		expect(error?.description).toMatch(/^Tried 5 times\./);
		expect(requests).toBe(5);
	}, 20_000);
});

describe('Max Download Size on a report from the sandbox', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ reports: [] });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('refuses a report whose declared size is beyond the limit, before reading it', async () => {
		await seedReports(sandbox, { report_name: 'Big', size_bytes: 3 * 1024 * 1024 });
		const listed = await runOttu({
			parameters: { resource: 'report', operation: 'getAll', returnAll: true },
			credentials: apiKeyCredentials(sandbox),
		});
		const { error } = await runOttu({
			parameters: {
				resource: 'report',
				operation: 'download',
				report: '={{ $json.download_action }}',
				binaryPropertyName: 'data',
				downloadOptions: { maxSizeMb: 2 },
			},
			items: [listed.items[0].json],
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error?.message).toBe('The file is larger than the Max Download Size of 2 MB [item 0]');
	});
});
