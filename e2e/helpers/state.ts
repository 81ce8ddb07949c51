/** What globalSetup started, shared with the test files through a JSON file (they run in other contexts). */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { N8nApi } from '../../scripts/dev/n8nApi';
import type { Owner } from '../../scripts/dev/provision';
import { IS_PINNED_N8N, N8N_VERSION, REPO_ROOT } from '../../scripts/dev/runtime';
import type { SandboxKeys } from '../../scripts/dev/stack';

/** One folder per n8n version, so that runs on two versions neither share nor erase each other's logs. */
export const E2E_DIR = path.join(
	REPO_ROOT,
	'.dev',
	IS_PINNED_N8N ? 'e2e' : `e2e-n8n-${N8N_VERSION}`,
);
export const STATE_FILE = path.join(E2E_DIR, 'state.json');
/** The owner's session cookie, shared by the test files so they log in once (n8n allows 5 logins a minute). */
const COOKIE_FILE = path.join(E2E_DIR, 'owner-cookie');

export interface E2eState {
	n8nUrl: string;
	sandboxUrl: string;
	userFolder: string;
	n8nLog: string;
	sandboxLog: string;
	keys: SandboxKeys;
	owner: Owner;
	apiKey: string;
	credentialId: string;
	/** example file name -> workflow id */
	workflows: Record<string, string>;
	skipped: Array<{ file: string; reason: string }>;
	/** n8n's command line for `n8n execute` etc. */
	nodeBin: string;
	n8nBin: string;
	brokerPort: number;
	n8nPort: number;
	timings: Record<string, number>;
}

export function readState(): E2eState {
	if (!fs.existsSync(STATE_FILE))
		throw new Error(
			`no ${STATE_FILE}: run the suite with npm run test:e2e (globalSetup starts n8n)`,
		);
	return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as E2eState;
}

/** A client logged in as the owner (cookie for internal routes, API key for the public API). */
export async function ownerApi(state: E2eState = readState()): Promise<N8nApi> {
	return await loggedInApi(state.n8nUrl, state.apiKey, state.owner, COOKIE_FILE);
}

/** An n8n client as `owner`, reusing the session cookie kept in `cookieFile` while it still works. */
export async function loggedInApi(
	url: string,
	apiKey: string,
	owner: Owner,
	cookieFile: string,
): Promise<N8nApi> {
	const api = new N8nApi(url);
	api.apiKey = apiKey;
	if (fs.existsSync(cookieFile)) {
		api.cookie = fs.readFileSync(cookieFile, 'utf8');
		if (await api.cookieWorks()) return api;
	}
	if (!(await api.login(owner.email, owner.password))) throw new Error('owner login failed');
	fs.writeFileSync(cookieFile, api.cookie, { mode: 0o600 });
	return api;
}
