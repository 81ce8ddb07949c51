import axios from 'axios';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Sandbox, SandboxOptions } from '../../sandbox/server';
import { createSandbox } from '../../sandbox/server';

export const TEST_API_KEY = 'sbxtest.4f2c9a7e1b3d5f60718293a4b5c6d7e8';
export const TEST_PASSWORD = 'pw-7b1e3c9d5a2f4e6b';
export const TEST_HMAC_KEY = 'hmac-test-9d8c7b6a5f4e3d2c';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await createSandbox({
		apiKey: TEST_API_KEY,
		username: 'merchant',
		password: TEST_PASSWORD,
		hmacKey: TEST_HMAC_KEY,
		...options,
	});
}

export function apiKeyCredentials(sandbox: Sandbox, overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		baseUrl: sandbox.url,
		authentication: 'apiKey',
		apiKey: sandbox.config.apiKey,
		hmacSecret: sandbox.config.hmacKey,
		...overrides,
	};
}

export function basicCredentials(sandbox: Sandbox, username = 'merchant', password = TEST_PASSWORD): ICredentialDataDecryptedObject {
	return { baseUrl: sandbox.url, authentication: 'basicAuth', username, password, hmacSecret: sandbox.config.hmacKey };
}

/** The sandbox's request log: what actually reached "Ottu". */
export async function requestLog(sandbox: Sandbox): Promise<Array<{ method: string; path: string; status: number }>> {
	return (await axios.get(`${sandbox.url}/__sandbox/requests`)).data;
}

export async function resetSandbox(sandbox: Sandbox): Promise<void> {
	await axios.post(`${sandbox.url}/__sandbox/reset`);
}

/** Direct API call to the sandbox (test set-up), with the API key. */
export async function ottuCall<T = Record<string, unknown>>(sandbox: Sandbox, method: string, path: string, data?: unknown): Promise<{ status: number; data: T }> {
	const res = await axios.request({
		method,
		url: `${sandbox.url}${path}`,
		data,
		headers: { Authorization: `Api-Key ${sandbox.config.apiKey}` },
		validateStatus: () => true,
	});
	return { status: res.status, data: res.data as T };
}

/** What reached the sandbox's report storage origin (reports seeded with storage "s3"). */
export async function storageRequests(sandbox: Sandbox): Promise<Array<{ method: string; path: string; signed: boolean; authorization: boolean; status: number }>> {
	return (await axios.get(`${sandbox.url}/__sandbox/storage/requests`)).data;
}

/** Adds reports to the sandbox (see ReportSeed). */
export async function seedReports(sandbox: Sandbox, seed: Record<string, unknown>): Promise<{ created: number; encrypted_ids: string[] }> {
	return (await axios.post(`${sandbox.url}/__sandbox/reports`, seed)).data;
}
