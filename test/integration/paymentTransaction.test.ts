import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import {
	apiKeyCredentials,
	basicCredentials,
	requestLog,
	resetSandbox,
	sandboxClient,
	startSandbox,
	TEST_API_KEY,
	TEST_PASSWORD,
} from '../helpers/sandbox';

describe('Payment Transaction through the real n8n engine and the sandbox', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await resetSandbox(sandbox);
	});

	const createParams = (over: Record<string, unknown> = {}) => ({
		resource: 'paymentTransaction',
		operation: 'create',
		type: 'payment_request',
		amount: '20',
		currencyCode: 'KWD',
		pgCodes: ['knet-test', 'credit-card'],
		orderNo: 'ORD-1',
		additionalFields: {
			customerEmail: 'buyer@example.com',
			webhookUrl: 'https://hooks.example.com/ottu',
		},
		...over,
	});

	it('creates a payment and normalises the amount to the currency decimals', async () => {
		const { items, error } = await runOttu({
			parameters: createParams(),
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const json = items[0].json;
		expect(json.amount).toBe('20.000');
		expect(json.session_id).toMatch(/^[0-9a-f]{40}$/);
		expect(json.checkout_url).toContain(`session_id=${json.session_id}`);
		expect(json.state).toBe('created');
		expect(json.customer_email).toBe('buyer@example.com');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('creates with Basic auth as well', async () => {
		const { items, error } = await runOttu({
			parameters: createParams(),
			credentials: basicCredentials(sandbox),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.state).toBe('created');
	});

	it('gets a transaction by session_id, taken from the input item by expression', async () => {
		const created = await runOttu({
			parameters: createParams(),
			credentials: apiKeyCredentials(sandbox),
		});
		const sessionId = created.items[0].json.session_id as string;
		const { items, error } = await runOttu({
			parameters: {
				resource: 'paymentTransaction',
				operation: 'get',
				sessionId: '={{ $json.sid }}',
			},
			items: [{ sid: sessionId }],
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.session_id).toBe(sessionId);
		expect(items[0].json.amount).toBe('20.000');
	});

	it('resolves Options → Timeout for each item when it is an expression', async () => {
		const fast = (
			await runOttu({
				parameters: createParams({ orderNo: 'FAST' }),
				credentials: apiKeyCredentials(sandbox),
			})
		).items[0].json.session_id as string;
		const slow = (
			await runOttu({
				parameters: createParams({ orderNo: 'SLOW' }),
				credentials: apiKeyCredentials(sandbox),
			})
		).items[0].json.session_id as string;
		// Only the second transaction answers slowly: 400 ms, within its item's 5 s but past the others' 150 ms.
		await sandboxClient(sandbox).addFault({
			route: `GET /b/checkout/v1/pymt-txn/${slow}/`,
			kind: 'latency',
			ms: 400,
		});
		try {
			const { items, error } = await runOttu({
				parameters: {
					resource: 'paymentTransaction',
					operation: 'get',
					sessionId: '={{ $json.sid }}',
					options: { timeout: '={{ $json.timeout }}' },
				},
				items: [
					{ sid: fast, timeout: 150 },
					{ sid: slow, timeout: 5000 },
					{ sid: fast, timeout: 150 },
				],
				credentials: apiKeyCredentials(sandbox),
			});
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json.session_id)).toEqual([fast, slow, fast]);
		} finally {
			await sandboxClient(sandbox).clearFaults();
		}
	});

	it('starts no new item once one has failed without Continue On Fail, at Concurrency 4', async () => {
		const sid = (
			await runOttu({ parameters: createParams(), credentials: apiKeyCredentials(sandbox) })
		).items[0].json.session_id as string;
		// The real transaction answers slowly, the unknown one at once: items 0, 1 and 3 are still in flight when item 2 fails.
		await sandboxClient(sandbox).addFault({
			route: `GET /b/checkout/v1/pymt-txn/${sid}/`,
			kind: 'latency',
			ms: 300,
		});
		try {
			const sids = Array.from({ length: 12 }, (_, i) => (i === 2 ? 'f'.repeat(40) : sid));
			const { error } = await runOttu({
				parameters: {
					resource: 'paymentTransaction',
					operation: 'get',
					sessionId: '={{ $json.sid }}',
					options: { concurrency: 4 },
				},
				items: sids.map((s) => ({ sid: s })),
				credentials: apiKeyCredentials(sandbox),
			});
			expect(error?.message).toMatch(/^Ottu refused the request \(HTTP 404\).*\[item 2\]$/);
			const gets = (await requestLog(sandbox)).filter(
				(r) => r.method === 'GET' && r.path.startsWith('/b/checkout/v1/pymt-txn/'),
			);
			expect(gets).toHaveLength(4);
		} finally {
			await sandboxClient(sandbox).clearFaults();
		}
	});

	it('stops an amount with too many decimals before sending anything', async () => {
		const { error } = await runOttu({
			parameters: createParams({ amount: '20.1234' }),
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error?.message).toBe('Amount "20.1234" has 4 decimal places but KWD allows 3 [item 0]');
		expect(error?.description).toContain('Nothing was sent to Ottu');
		expect(await requestLog(sandbox)).toEqual([]);
	});

	it("surfaces Ottu's field errors readably, with the HTTP status", async () => {
		const { error } = await runOttu({
			parameters: createParams({ pgCodes: ['no-such-gateway'] }),
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error?.message).toBe(
			'Ottu refused the request (HTTP 400): pg_codes: "no-such-gateway" is not a valid choice. [item 0]',
		);
		expect(error?.httpCode).toBe('400');
	});

	it('reports a wrong API key without revealing it', async () => {
		const wrongKey = 'wrong.key-abcdef123456';
		const { error } = await runOttu({
			parameters: createParams(),
			credentials: apiKeyCredentials(sandbox, { apiKey: wrongKey }),
		});
		expect(error?.message).toContain('HTTP 401');
		expect(error?.description).toContain('Check the API key');
		const everything = JSON.stringify({
			message: error?.message,
			description: error?.description,
			context: error?.context,
		});
		expect(everything).not.toContain(wrongKey);
		expect(everything).not.toContain(TEST_API_KEY);
		expect(everything).not.toContain(TEST_PASSWORD);
	});

	it('refuses a plain-http base URL that is not local, before any request', async () => {
		const { error } = await runOttu({
			parameters: createParams(),
			credentials: apiKeyCredentials(sandbox, { baseUrl: 'http://merchant.ottu.net' }),
		});
		expect(error?.message).toContain('plain http');
		expect(await requestLog(sandbox)).toEqual([]);
	});

	it('gives one error item per failed input item with Continue On Fail, keeping order', async () => {
		const { items, error } = await runOttu({
			parameters: createParams({ amount: '={{ $json.amount }}', orderNo: '={{ $json.order }}' }),
			items: [
				{ amount: '5', order: 'A' },
				{ amount: '-1', order: 'B' },
				{ amount: '7.250', order: 'C' },
			],
			continueOnFail: true,
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.order_no).toBe('A');
		expect(items[1].json.error).toBe('Amount cannot be negative (got "-1") [item 1]');
		expect(items[2].json.amount).toBe('7.250');
		const creates = (await requestLog(sandbox)).filter((r) => r.method === 'POST');
		expect(creates).toHaveLength(2);
	});
});
