/** The sandbox's control API over HTTP (it runs in its own process), through the typed sandbox client. */
import { SandboxClient } from '../../sandbox/client';
import type { FaultSpec, ReportSeed } from '../../sandbox/client';
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
export async function ottu<T = Record<string, unknown>>(
	state: E2eState,
	method: string,
	path: string,
	body?: unknown,
): Promise<{ status: number; body: T }> {
	const res = await fetch(`${state.sandboxUrl}${path}`, {
		method,
		headers: {
			authorization: `Api-Key ${state.keys.apiKey}`,
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

// Control calls used by the queue-mode suite (e2e/queue/).

export interface WebhookDelivery {
	url: string;
	kind: string;
	session_id: string;
	payload: Record<string, unknown>;
	status: number | null;
	attempt?: number;
}

export interface Ledger {
	session_id: string;
	state: string;
	paid: string;
	captured: string;
	refunded: string;
	operations: Array<{
		operation: string;
		amount: string;
		result: string;
		child_session_id: string | null;
		tracking_key: string | null;
	}>;
}

/** Settles a session as the hosted page would; wait: true answers after its webhook delivery finished. */
export async function paySession(
	state: E2eState,
	sessionId: string,
	outcome: 'paid' | 'failed' | 'authorized' | 'canceled',
	wait = true,
): Promise<Record<string, unknown> & { webhook_delivery?: WebhookDelivery }> {
	return (await sandboxClient(state).pay(sessionId, outcome, { wait })) as Record<
		string,
		unknown
	> & { webhook_delivery?: WebhookDelivery };
}

/** Delivers the session's current payment webhook again (a redelivery), to its webhook_url or `url`. */
export async function redeliverWebhook(
	state: E2eState,
	sessionId: string,
	url?: string,
): Promise<{ payload: Record<string, unknown>; webhook_delivery: WebhookDelivery }> {
	return (await sandboxClient(state).notify(sessionId, {
		wait: true,
		...(url ? { url } : {}),
	})) as unknown as { payload: Record<string, unknown>; webhook_delivery: WebhookDelivery };
}

export async function webhookDeliveries(
	state: E2eState,
	sessionId: string,
): Promise<WebhookDelivery[]> {
	return (await sandboxClient(state).webhooks({
		session_id: sessionId,
		wait: true,
	})) as unknown as WebhookDelivery[];
}

export async function sessionLedger(state: E2eState, sessionId: string): Promise<Ledger> {
	return await sandboxClient(state).ledger(sessionId);
}

/** Fault injection, e.g. { route: 'POST /b/pbl/v2/operation/', kind: 'latency', ms: 20000, count: 1 }. */
export async function addFault(
	state: E2eState,
	fault: { route: string; kind: string; count?: number; [param: string]: unknown },
): Promise<void> {
	await sandboxClient(state).addFault(fault as FaultSpec);
}

export async function clearFaults(state: E2eState): Promise<void> {
	await sandboxClient(state).clearFaults();
}

export async function seedReport(
	state: E2eState,
	seed: ReportSeed,
): Promise<{ created: number; encrypted_ids: string[] }> {
	return await sandboxClient(state).seedReports(seed);
}

/** Faults still waiting for a request (one with count 1 disappears when a request claims it). */
export async function pendingFaults(
	state: E2eState,
): Promise<Array<{ id: number; route: string; kind: string; remaining: number | null }>> {
	return (await sandboxClient(state).faults()) as unknown as Array<{
		id: number;
		route: string;
		kind: string;
		remaining: number | null;
	}>;
}
