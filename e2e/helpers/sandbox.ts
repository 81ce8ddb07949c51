/** The sandbox's control API over HTTP (it runs in its own process). */
import type { E2eState } from './state';

export interface LoggedRequest {
	method: string;
	path: string;
	status: number;
	at?: string;
	[key: string]: unknown;
}

async function control<T>(state: E2eState, method: string, path: string, body?: unknown): Promise<T> {
	const res = await fetch(`${state.sandboxUrl}${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!res.ok) throw new Error(`sandbox ${method} ${path} answered ${res.status}: ${await res.text()}`);
	return (await res.json()) as T;
}

export async function resetSandbox(state: E2eState): Promise<void> {
	await control(state, 'POST', '/__sandbox/reset', {});
}

export async function requestLog(state: E2eState): Promise<LoggedRequest[]> {
	return await control<LoggedRequest[]>(state, 'GET', '/__sandbox/requests');
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
