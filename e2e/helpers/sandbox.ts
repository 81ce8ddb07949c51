/** The sandbox's control API over HTTP (it runs in its own process), through the typed sandbox client. */
import { SandboxClient } from '../../sandbox/client';
import type { E2eState } from './state';

export interface LoggedRequest {
	method: string;
	path: string;
	status: number;
	at?: string;
	[key: string]: unknown;
}

/** The typed control client of the e2e sandbox (reset, pay, ledger, webhooks, seeding…). */
export function sandboxClient(state: E2eState): SandboxClient {
	return new SandboxClient(state.sandboxUrl, state.keys.apiKey);
}

export async function resetSandbox(state: E2eState): Promise<void> {
	await sandboxClient(state).reset();
}

export async function requestLog(state: E2eState): Promise<LoggedRequest[]> {
	return (await sandboxClient(state).requests()) as LoggedRequest[];
}

/** Ottu API call with the sandbox's API key (test set-up and checks). */
export async function ottu<T = Record<string, unknown>>(state: E2eState, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
	const res = await fetch(`${state.sandboxUrl}${path}`, {
		method,
		headers: { authorization: `Api-Key ${state.keys.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
