import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SandboxClient } from '../../sandbox/client';
import type { Method, ReportSeed, StorageRequest } from '../../sandbox/client';
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

export function apiKeyCredentials(
	sandbox: Sandbox,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		baseUrl: sandbox.url,
		authentication: 'apiKey',
		apiKey: sandbox.config.apiKey,
		hmacSecret: sandbox.config.hmacKey,
		...overrides,
	};
}

export function basicCredentials(
	sandbox: Sandbox,
	username = 'merchant',
	password = TEST_PASSWORD,
): ICredentialDataDecryptedObject {
	return {
		baseUrl: sandbox.url,
		authentication: 'basicAuth',
		username,
		password,
		hmacSecret: sandbox.config.hmacKey,
	};
}

const clients = new WeakMap<Sandbox, SandboxClient>();

/** The typed control client of a sandbox started in this process (one per sandbox). */
export function sandboxClient(sandbox: Sandbox): SandboxClient {
	let client = clients.get(sandbox);
	if (!client) {
		client = new SandboxClient(sandbox.url, sandbox.config.apiKey);
		clients.set(sandbox, client);
	}
	return client;
}

/** The sandbox's request log: what actually reached "Ottu". */
export async function requestLog(
	sandbox: Sandbox,
): Promise<Array<{ method: string; path: string; status: number }>> {
	return await sandboxClient(sandbox).requests();
}

export async function resetSandbox(sandbox: Sandbox): Promise<void> {
	await sandboxClient(sandbox).reset();
}

/** Direct API call to the sandbox (test set-up), with the API key; a `/__sandbox/` path goes to the control API. */
export async function ottuCall<T = Record<string, unknown>>(
	sandbox: Sandbox,
	method: string,
	path: string,
	data?: unknown,
): Promise<{ status: number; data: T }> {
	const client = sandboxClient(sandbox);
	const verb = method.toUpperCase() as Method;
	const { status, data: body } = path.startsWith('/__sandbox/')
		? await client.send<T>(verb, path, data)
		: await client.api<T>(verb, path, data);
	return { status, data: body };
}

/** What reached the sandbox's report storage origin (reports seeded with storage "s3"). */
export async function storageRequests(sandbox: Sandbox): Promise<StorageRequest[]> {
	return await sandboxClient(sandbox).storageRequests();
}

/** Adds reports to the sandbox (see ReportSeed). */
export async function seedReports(
	sandbox: Sandbox,
	seed: ReportSeed,
): Promise<{ created: number; encrypted_ids: string[] }> {
	return await sandboxClient(sandbox).seedReports(seed);
}
