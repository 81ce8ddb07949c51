/**
 * Secrets never leak: every operation's failure paths (refused credentials, error bodies that echo the
 * secrets back, HTML pages, throttling, lost connections, garbled answers), with and without Continue On
 * Fail, and the Ottu Trigger's refusals. Everything a user or operator could see is scanned: output items,
 * the error (message, description, context, every property, its stack), the whole execution data n8n would
 * store, and everything logged (n8n's logger, LoggerProxy, console).
 */
import { inspect } from 'util';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import { startSandbox, TEST_API_KEY, TEST_HMAC_KEY, TEST_PASSWORD } from '../helpers/sandbox';
import { paidPayment, post, signed, startTriggerListener } from '../helpers/webhook';
import { OPERATIONS } from './operations';
import type { CapturedLogs } from './support';
import { addFault, captureLogs, clearFaults, Figures, reset, useFastBackoff } from './support';

const USERNAME = 'merchant';
const WRONG_KEY = 'sbx-wrong.0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const WRONG_PASSWORD = 'wrong-pw-5c4b3a2918f7';
const basic = (user: string, password: string) =>
	Buffer.from(`${user}:${password}`, 'utf8').toString('base64');

/** Every secret and the header forms built from them. */
const SECRETS: Record<string, string> = {
	'API key': TEST_API_KEY,
	password: TEST_PASSWORD,
	'Basic base64 (user:password)': basic(USERNAME, TEST_PASSWORD),
	'HMAC key': TEST_HMAC_KEY,
	'rejected API key': WRONG_KEY,
	'rejected password': WRONG_PASSWORD,
	'rejected Basic base64': basic(USERNAME, WRONG_PASSWORD),
};

function leaks(text: string): string[] {
	return Object.entries(SECRETS)
		.filter(([, secret]) => text.includes(secret))
		.map(([name]) => name);
}

/** An error body from a server that echoes everything it was sent, secrets included. */
const echoBody = (auth: string) => ({
	detail: `Invalid request. You sent Authorization: ${auth}; key ${TEST_API_KEY}; password ${TEST_PASSWORD}; webhook key ${TEST_HMAC_KEY}`,
	api_key: [TEST_API_KEY],
	headers: { Authorization: auth, 'X-Debug-Password': TEST_PASSWORD },
});
const echoPage = (auth: string) =>
	`<!DOCTYPE html><html><body><pre>Authorization: ${auth}\nApi-Key ${TEST_API_KEY}\n${TEST_PASSWORD}</pre></body></html>`;

interface Scenario {
	name: string;
	credentials(sandbox: Sandbox): ICredentialDataDecryptedObject;
	fault?(auth: string): IDataObject;
}

// The credential holds every field, as an n8n credential does once both methods were filled in; the
// Authentication choice decides which one is sent.
const apiKey = (sandbox: Sandbox, key = TEST_API_KEY): ICredentialDataDecryptedObject => ({
	baseUrl: sandbox.url,
	authentication: 'apiKey',
	apiKey: key,
	username: USERNAME,
	password: TEST_PASSWORD,
	hmacSecret: TEST_HMAC_KEY,
});
const basicAuth = (sandbox: Sandbox, password = TEST_PASSWORD): ICredentialDataDecryptedObject => ({
	baseUrl: sandbox.url,
	authentication: 'basicAuth',
	apiKey: TEST_API_KEY,
	username: USERNAME,
	password,
	hmacSecret: TEST_HMAC_KEY,
});

const SCENARIOS: Scenario[] = [
	{ name: 'API key refused by Ottu (401)', credentials: (s) => apiKey(s, WRONG_KEY) },
	{ name: 'password refused by Ottu (401)', credentials: (s) => basicAuth(s, WRONG_PASSWORD) },
	{
		name: '400 body echoing every secret (API key)',
		credentials: (s) => apiKey(s),
		fault: (auth) => ({ kind: 'status', status: 400, body: echoBody(auth), count: 10 }),
	},
	{
		name: '400 body echoing every secret (Basic auth)',
		credentials: (s) => basicAuth(s),
		fault: (auth) => ({ kind: 'status', status: 400, body: echoBody(auth), count: 10 }),
	},
	{
		name: '500 HTML page echoing the headers',
		credentials: (s) => basicAuth(s),
		fault: (auth) => ({ kind: 'status', status: 500, body: echoPage(auth), count: 10 }),
	},
	{
		name: '403 plain text echoing the key',
		credentials: (s) => apiKey(s),
		fault: (auth) => ({ kind: 'status', status: 403, body: `Forbidden for ${auth}`, count: 10 }),
	},
	{
		name: '429 storm',
		credentials: (s) => basicAuth(s),
		fault: () => ({ kind: 'rate_limit', retry_after: 0, count: 10 }),
	},
	{
		name: 'garbled 200 answer echoing the key',
		credentials: (s) => apiKey(s),
		fault: (auth) => ({
			kind: 'malformed',
			body: `{"detail": "${auth} ${TEST_API_KEY}`,
			count: 10,
		}),
	},
	{
		name: 'connection reset',
		credentials: (s) => basicAuth(s),
		fault: () => ({ kind: 'reset', count: 10 }),
	},
	{
		name: 'instance unreachable',
		credentials: () => ({
			baseUrl: 'http://127.0.0.1:9',
			authentication: 'basicAuth',
			apiKey: TEST_API_KEY,
			username: USERNAME,
			password: TEST_PASSWORD,
			hmacSecret: TEST_HMAC_KEY,
		}),
	},
];

const figures = new Figures('secrets');
afterAll(() => figures.save());

describe('no secret appears in any output, error or log of a failing operation', () => {
	let sandbox: Sandbox;
	let logs: CapturedLogs;
	useFastBackoff();
	beforeAll(async () => {
		sandbox = await startSandbox({
			inquiryThrottling: false,
			webhooks: { timeoutMs: 200, attempts: 1, backoffMs: 1 },
		});
		logs = captureLogs();
	});
	afterAll(async () => {
		logs.restore();
		await sandbox.close();
		figures.set('secrets', Object.keys(SECRETS));
		figures.set(
			'scenarios',
			SCENARIOS.map((s) => s.name),
		);
	});
	beforeEach(async () => {
		await clearFaults(sandbox);
		await reset(sandbox);
	});

	const cases = OPERATIONS.flatMap((op) =>
		SCENARIOS.map((scenario) => [op.name, scenario.name, op, scenario] as const),
	);

	it.each(cases)('%s — %s', async (_op, _scenario, op, scenario) => {
		const prepared = await op.prepare(sandbox);
		const credentials = scenario.credentials(sandbox);
		const auth =
			credentials.authentication === 'apiKey'
				? `Api-Key ${credentials.apiKey as string}`
				: `Basic ${basic(USERNAME, credentials.password as string)}`;
		if (scenario.fault) await addFault(sandbox, { route: op.route, ...scenario.fault(auth) });
		const logsBefore = logs.lines.length;

		for (const continueOnFail of [false, true]) {
			const result = await runOttu({
				parameters: { ...prepared.parameters, options: { timeout: 2000 } },
				credentials,
				continueOnFail,
				files: prepared.files,
			});
			// Under Continue On Fail the failure is the item itself: {error, message} (message: the fix).
			const item = result.items[0]?.json;
			const error: (Error & { description?: string; context?: unknown }) | undefined =
				continueOnFail
					? item &&
						Object.assign(new Error(String(item.error ?? '')), {
							description: item.message as string | undefined,
						})
					: result.error;
			// Every path here fails (the scan is only meaningful if there is an error to scan), except a charge
			// whose garbled answer is settled by reading the transaction: then its output is what is scanned.
			const settled = result.items[0]?.json.outcome_settled_by === 'lookup';
			if (!settled) expect(error?.message).toBeTruthy();
			const seen = [
				inspect(result.items, { depth: 12, showHidden: true }),
				JSON.stringify(result.items),
				String(error?.message),
				String(error?.description),
				inspect(error?.context, { depth: 8 }),
				inspect(error, { depth: 12, showHidden: true }),
				JSON.stringify(error),
				String(error?.stack),
				inspect(result.run.data, { depth: 16 }),
				JSON.stringify(result.run.data),
			].join('\n');
			expect(leaks(seen)).toEqual([]);
			figures.count('failing runs scanned');
			figures.count('characters scanned', seen.length);
		}
		const logged = logs.lines.slice(logsBefore).join('\n');
		expect(leaks(logged)).toEqual([]);
		figures.count('log characters scanned', logged.length);
	});

	it('the echo scenarios really carried the secrets to the node (so the scans above could have failed)', async () => {
		const op = OPERATIONS.find((o) => o.name === 'Payment Transaction → Get')!;
		const prepared = await op.prepare(sandbox);
		await addFault(sandbox, {
			route: op.route,
			kind: 'status',
			status: 400,
			body: echoBody(`Basic ${basic(USERNAME, TEST_PASSWORD)}`),
			count: 1,
		});
		const { error } = await runOttu({
			parameters: prepared.parameters,
			credentials: basicAuth(sandbox),
		});
		// The explanation is kept, with each secret replaced by ***.
		expect(error?.message).toContain(
			'You sent Authorization: Basic ***; key ***; password ***; webhook key ***',
		);
		expect(leaks(inspect(error, { depth: 12, showHidden: true }))).toEqual([]);
	});
});

describe('the Ottu Trigger never reveals the HMAC key', () => {
	let logs: CapturedLogs;
	beforeAll(() => {
		logs = captureLogs();
	});
	afterAll(() => {
		logs.restore();
	});

	it('answers forged, unreadable and key-bearing bodies without the key, and logs no key', async () => {
		const credentials = {
			baseUrl: 'http://127.0.0.1:9',
			authentication: 'apiKey',
			apiKey: TEST_API_KEY,
			hmacSecret: TEST_HMAC_KEY,
		};
		const listener = await startTriggerListener({
			parameters: { options: { ignoreRepeats: false } },
			credentials,
		});
		try {
			const genuine = signed(paidPayment(), TEST_HMAC_KEY);
			const bodies: string[] = [
				JSON.stringify({ ...genuine, amount: '99.000' }),
				JSON.stringify({ ...genuine, signature: TEST_HMAC_KEY }),
				JSON.stringify({ ...genuine, customer_email: TEST_HMAC_KEY }),
				`{"signature": "${TEST_HMAC_KEY}"`,
				'not json at all',
			];
			for (const body of bodies) {
				const res = await post(listener.url, body);
				expect(res.status).toBe(401);
				expect(leaks(res.text)).toEqual([]);
				figures.count('trigger refusals scanned');
			}
			await listener.waitForDeliveries(bodies.length);
			expect(listener.started).toHaveLength(0);
			expect(leaks(inspect(listener.deliveries, { depth: 10 }))).toEqual([]);
			expect(leaks(logs.lines.join('\n'))).toEqual([]);
			expect(logs.lines.filter((l) => l.includes('webhook refused with 401')).length).toBe(
				bodies.length,
			);
		} finally {
			await listener.close();
		}
	});
});
