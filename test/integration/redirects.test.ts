/**
 * Redirects through n8n's real engine and request helper: the credential (API key or Basic), a request body and
 * the Tracking-Key never reach another origin. Two small servers on 127.0.0.1 (two ports, two origins) record
 * everything they receive: "Ottu" answers with the redirect a test scripts, "elsewhere" is where it points.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import {
	apiKeyCredentials,
	basicCredentials,
	resetSandbox,
	seedReports,
	startSandbox,
	storageRequests,
} from '../helpers/sandbox';

interface Received {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	body: string;
}

interface Recorder {
	url: string;
	received: Received[];
	handle: (req: Received, res: ServerResponse) => void;
	close(): Promise<void>;
}

async function recorder(handle: Recorder['handle']): Promise<Recorder> {
	const received: Received[] = [];
	const self = { received, handle } as Recorder;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const entry = {
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			received.push(entry);
			self.handle(entry, res);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	self.close = async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	return self;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
	res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
const EMPTY_PAGE = { count: 0, next: null, previous: null, results: [] };
/** A refund (a POST that moves money) by session_id. */
// By Order No: the refund is the first request (with a Session ID the node reads the transaction first).
const REFUND = {
	resource: 'paymentOperation',
	operation: 'refund',
	identifyBy: 'orderNo',
	orderNo: 'ORD-abc123',
	amount: '2.5',
};

describe('redirects never carry the credential to another origin', () => {
	let ottu: Recorder;
	let elsewhere: Recorder;
	const credentials = {
		baseUrl: '',
		authentication: 'apiKey',
		apiKey: 'key.redirect-test-secret-0001',
	};
	const basic = {
		baseUrl: '',
		authentication: 'basicAuth',
		username: 'merchant',
		password: 'pw-redirect-test-0002',
	};

	beforeAll(async () => {
		elsewhere = await recorder((_req, res) => json(res, 200, EMPTY_PAGE));
		ottu = await recorder((_req, res) => json(res, 200, EMPTY_PAGE));
		credentials.baseUrl = ottu.url;
		basic.baseUrl = ottu.url;
	});
	afterAll(async () => {
		await ottu.close();
		await elsewhere.close();
	});
	beforeEach(() => {
		ottu.received.length = 0;
		elsewhere.received.length = 0;
	});

	const redirectTo = (status: number, location: () => string) => {
		ottu.handle = (_req, res) => res.writeHead(status, { Location: location() }).end();
	};
	const run = (parameters: IDataObject, creds: ICredentialDataDecryptedObject = credentials) =>
		runOttu({ parameters, credentials: creds });

	it.each([
		['an API key', () => credentials, 'Api-Key key.redirect-test-secret-0001'],
		[
			'Basic auth',
			() => basic,
			`Basic ${Buffer.from('merchant:pw-redirect-test-0002').toString('base64')}`,
		],
	])(
		'stops a GET with %s at a redirect to another origin, and nothing reaches it',
		async (_label, creds, authorization) => {
			redirectTo(302, () => `${elsewhere.url}/b/api/v1/reports/files/?limit=50`);
			const { error } = await run(
				{ resource: 'report', operation: 'getAll', returnAll: true },
				creds(),
			);
			expect(ottu.received).toHaveLength(1);
			expect(ottu.received[0].headers.authorization).toBe(authorization);
			expect(elsewhere.received).toEqual([]);
			expect(error?.message).toBe(
				`Ottu answered HTTP 302 with a redirect to another address (${elsewhere.url}), which was not followed [item 0]`,
			);
			expect(error?.description).toContain(`The credential is only ever sent to ${ottu.url}`);
		},
	);

	it('does not re-send a refund (body and Tracking-Key) to the origin a 307 points at', async () => {
		redirectTo(307, () => `${elsewhere.url}/b/pbl/v2/operation/`);
		const { error } = await run(REFUND);
		expect(ottu.received).toHaveLength(1);
		expect(ottu.received[0].headers['tracking-key']).toBeDefined();
		expect(elsewhere.received).toEqual([]);
		expect(error?.message).toBe(
			`Ottu answered HTTP 307 with a redirect to ${elsewhere.url}, which was not followed [item 0]`,
		);
	});

	it('does not follow even a same-origin redirect for a POST', async () => {
		redirectTo(307, () => `${ottu.url}/b/pbl/v2/operation/again/`);
		const { error } = await run(REFUND);
		expect(ottu.received.map((r) => r.path)).toEqual(['/b/pbl/v2/operation/']);
		expect(error?.message).toMatch(
			/^Ottu answered HTTP 307 with a redirect to http:\/\/127\.0\.0\.1:\d+, which was not followed \[item 0\]$/,
		);
	});

	it('follows a same-origin redirect of a GET, with the credential, and keeps the query of the new address', async () => {
		ottu.handle = (req, res) =>
			req.path.startsWith('/b/api/v1/reports/files/')
				? res.writeHead(301, { Location: '/moved/reports/?limit=50&offset=0' }).end()
				: json(res, 200, {
						count: 1,
						next: null,
						previous: null,
						results: [{ encrypted_id: 'r1' }],
					});
		const { items, error } = await run({
			resource: 'report',
			operation: 'getAll',
			returnAll: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.encrypted_id)).toEqual(['r1']);
		expect(ottu.received.map((r) => [r.path, r.headers.authorization])).toEqual([
			['/b/api/v1/reports/files/?limit=200&offset=0', 'Api-Key key.redirect-test-secret-0001'],
			['/moved/reports/?limit=50&offset=0', 'Api-Key key.redirect-test-secret-0001'],
		]);
	});

	it('follows a download redirected to storage without the credential or Ottu headers', async () => {
		redirectTo(302, () => `${elsewhere.url}/bucket/report.csv?X-Amz-Signature=abc`);
		elsewhere.handle = (_req, res) =>
			res.writeHead(200, { 'Content-Type': 'text/csv' }).end('a,b\n1,2\n');
		const { items, error } = await run({
			resource: 'report',
			operation: 'download',
			report: 'token-1',
			binaryPropertyName: 'data',
		});
		expect(error).toBeUndefined();
		expect(items[0].binary?.data).toMatchObject({ mimeType: 'text/csv', bytes: 8 });
		expect(elsewhere.received).toHaveLength(1);
		expect(elsewhere.received[0].path).toBe('/bucket/report.csv?X-Amz-Signature=abc');
		expect(elsewhere.received[0].headers.authorization).toBeUndefined();
		expect(elsewhere.received[0].headers.accept).not.toBe('application/json');
		elsewhere.handle = (_req, res) => json(res, 200, EMPTY_PAGE);
	});

	it('stops a download after too many redirects', async () => {
		let n = 0;
		ottu.handle = (_req, res) => res.writeHead(302, { Location: `/loop/${++n}/` }).end();
		const { error } = await run({
			resource: 'report',
			operation: 'download',
			report: 'token-1',
			binaryPropertyName: 'data',
		});
		expect(ottu.received).toHaveLength(6);
		expect(error?.message).toMatch(
			/^Ottu answered HTTP 302 with more than 5 redirects \(the last to http:\/\/127\.0\.0\.1:\d+\), which was not followed \[item 0\]$/,
		);
	});
});

describe('report download from S3 storage (the sandbox 302 variant)', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ reports: [] });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await resetSandbox(sandbox);
	});

	it.each([
		['an API key', apiKeyCredentials],
		['Basic auth', (s: Sandbox) => basicCredentials(s)],
	])(
		'follows Ottu to the pre-signed link without the credential (%s), and storage serves the file',
		async (_label, creds) => {
			await seedReports(sandbox, {
				report_name: 'Monthly S3',
				size_bytes: 64 * 1024,
				storage: 's3',
			});
			const listed = await runOttu({
				parameters: { resource: 'report', operation: 'getAll', returnAll: true },
				credentials: creds(sandbox),
			});
			const { items, error } = await runOttu({
				parameters: {
					resource: 'report',
					operation: 'download',
					report: '={{ $json.download_action }}',
					binaryPropertyName: 'data',
				},
				items: [listed.items[0].json],
				credentials: creds(sandbox),
			});
			expect(error).toBeUndefined();
			expect(items[0].binary?.data).toMatchObject({
				fileName: 'Monthly_S3.csv',
				mimeType: 'text/csv',
				bytes: 64 * 1024,
			});
			const reached = await storageRequests(sandbox);
			expect(reached.slice(-1)).toEqual([
				expect.objectContaining({ method: 'GET', signed: true, authorization: false, status: 200 }),
			]);
		},
	);
});
