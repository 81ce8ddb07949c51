/**
 * The credential's Test button, through the same internal route the editor calls (POST /rest/credentials/test):
 * n8n runs the credential's test request against the sandbox with the credential's authentication.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { N8nApi } from '../scripts/dev/n8nApi';
import { CREDENTIAL_NAME, credentialData } from '../scripts/dev/provision';
import type { E2eState } from './helpers/state';
import { ownerApi, readState } from './helpers/state';
import { requestLog, resetSandbox } from './helpers/sandbox';

interface TestResult {
	status: 'OK' | 'Error';
	message: string;
}

describe('credential Test button in a real n8n', () => {
	let state: E2eState;
	let api: N8nApi;

	beforeAll(async () => {
		state = readState();
		api = await ownerApi(state);
	});

	beforeEach(async () => {
		await resetSandbox(state);
	});

	/** What the editor sends when Test is clicked on the saved credential, with the form's current values. */
	async function testButton(data: Record<string, unknown>): Promise<TestResult> {
		return await api.call<TestResult>('POST', '/rest/credentials/test', {
			credentials: { id: state.credentialId, name: CREDENTIAL_NAME, type: 'ottuApi', data },
		});
	}

	it('succeeds for the sandbox API key and asks the Payment Methods API', async () => {
		const result = await testButton(credentialData(state.sandboxUrl, state.keys));
		expect(result.status).toBe('OK');
		const log = await requestLog(state);
		expect(log).toEqual([
			expect.objectContaining({ method: 'POST', path: '/b/pbl/v2/payment-methods/', status: 200 }),
		]);
	});

	it('succeeds for a dashboard user with Basic auth', async () => {
		const result = await testButton({
			baseUrl: state.sandboxUrl,
			authentication: 'basicAuth',
			username: state.keys.username,
			password: state.keys.password,
		});
		expect(result.status).toBe('OK');
	});

	it('fails clearly for a wrong API key, without showing the key', async () => {
		const wrongKey = 'sbx.definitely-not-the-key-0123456789';
		const result = await testButton({
			...credentialData(state.sandboxUrl, state.keys),
			apiKey: wrongKey,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/HTTP 401/);
		expect(result.message).toMatch(/API key, or the username and password, is wrong/);
		expect(result.message).not.toContain(wrongKey);
		// n8n may ask more than once; every request reached Ottu's Payment Methods API and was refused.
		const log = await requestLog(state);
		expect(log.length).toBeGreaterThan(0);
		expect(log.map((r) => [r.path, r.status])).toEqual(
			log.map(() => ['/b/pbl/v2/payment-methods/', 401]),
		);
	});

	it('fails clearly for a stored credential with a wrong key (tested from its saved data)', async () => {
		const id = await api.createCredential('Ottu wrong key (e2e)', 'ottuApi', {
			...credentialData(state.sandboxUrl, state.keys),
			apiKey: 'sbx.wrong',
		});
		try {
			const stored = await api.call<{ data: Record<string, unknown> }>(
				'GET',
				`/rest/credentials/${id}?includeData=true`,
			);
			const result = await api.call<TestResult>('POST', '/rest/credentials/test', {
				credentials: { id, name: 'Ottu wrong key (e2e)', type: 'ottuApi', data: stored.data },
			});
			expect(result.status).toBe('Error');
			expect(result.message).not.toContain('sbx.wrong');
		} finally {
			await api.request('DELETE', `/api/v1/credentials/${id}`);
		}
	});

	it("normalises the Base URL as typed (spaces, trailing slashes) with the node's rule", async () => {
		const result = await testButton({
			...credentialData(state.sandboxUrl, state.keys),
			baseUrl: ` ${state.sandboxUrl}/// `,
		});
		expect(result).toMatchObject({ status: 'OK' });
		expect(await requestLog(state)).toEqual([
			expect.objectContaining({ method: 'POST', path: '/b/pbl/v2/payment-methods/', status: 200 }),
		]);
	});

	it('refuses plain http to a host other than localhost before anything is sent', async () => {
		const result = await testButton({
			...credentialData(state.sandboxUrl, state.keys),
			baseUrl: 'http://merchant.example.com',
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/https/i);
		expect(await requestLog(state)).toEqual([]);
	});

	it('does not follow a redirect of the Base URL, so the key never reaches the address it points to', async () => {
		const reached: IncomingHttpHeaders[] = [];
		const listen = async (server: Server) => {
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		};
		const elsewhere = createServer((req, res) => {
			reached.push(req.headers);
			res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
		});
		const elsewhereUrl = await listen(elsewhere);
		const moved = createServer((_req, res) =>
			res.writeHead(302, { Location: `${elsewhereUrl}/b/pbl/v2/payment-methods/` }).end(),
		);
		const movedUrl = await listen(moved);
		try {
			const result = await testButton({
				...credentialData(state.sandboxUrl, state.keys),
				baseUrl: movedUrl,
			});
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(
				/redirect to another address \(HTTP 302\), which is not followed/,
			);
			expect(reached).toEqual([]);
		} finally {
			for (const server of [moved, elsewhere]) {
				server.closeAllConnections();
				await new Promise<void>((resolve) => server.close(() => resolve()));
			}
		}
	});
});
