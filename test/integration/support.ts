import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { ottuCall } from '../helpers/sandbox';

/** Test set-up straight against the sandbox (not through the node): transactions, payments, faults. */

export interface NewTransaction {
	amount?: string;
	currency_code?: string;
	pg_codes?: string[];
	order_no?: string;
	[key: string]: unknown;
}

export async function createTransaction(sandbox: Sandbox, fields: NewTransaction = {}): Promise<IDataObject & { session_id: string }> {
	const { status, data } = await ottuCall<IDataObject & { session_id: string }>(sandbox, 'POST', '/b/checkout/v1/pymt-txn/', {
		type: 'e_commerce',
		amount: '10.000',
		currency_code: 'KWD',
		pg_codes: ['credit-card'],
		...fields,
	});
	if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(data)}`);
	return data;
}

/** A transaction the customer has paid (or authorized), as the sandbox's hosted page would do it. */
export async function paidTransaction(sandbox: Sandbox, fields: NewTransaction = {}, outcome: 'paid' | 'authorized' = 'paid'): Promise<string> {
	const txn = await createTransaction(sandbox, fields);
	const sessionId = txn.session_id as string;
	const res = await axios.post(`${sandbox.url}/__sandbox/sessions/${sessionId}/pay`, { outcome }, { validateStatus: () => true });
	if (res.status !== 200) throw new Error(`pay failed: ${res.status} ${JSON.stringify(res.data)}`);
	return sessionId;
}

export interface Ledger {
	state: string;
	deleted: string | null;
	paid: string;
	authorized: string;
	captured: string;
	refunded: string;
	voided: string;
	card_token: string | null;
	attempts: Array<{ reference_number: string; pg_code: string; result: string }>;
	operations: Array<{ operation: string; amount: string; result: string; tracking_key: string | null; reference_number: string | null }>;
}

export async function ledger(sandbox: Sandbox, sessionId: string): Promise<Ledger> {
	return (await axios.get(`${sandbox.url}/__sandbox/sessions/${sessionId}/ledger`)).data;
}

export async function addFault(sandbox: Sandbox, fault: Record<string, unknown>): Promise<void> {
	const res = await axios.post(`${sandbox.url}/__sandbox/faults`, fault, { validateStatus: () => true });
	if (res.status !== 201) throw new Error(`fault not accepted: ${JSON.stringify(res.data)}`);
}

export async function advanceClock(sandbox: Sandbox, seconds: number): Promise<void> {
	await axios.post(`${sandbox.url}/__sandbox/clock`, { advance_seconds: seconds });
}

/** What reached the API (control routes excluded), as "METHOD path". */
export async function apiRequests(sandbox: Sandbox): Promise<string[]> {
	const log = (await axios.get(`${sandbox.url}/__sandbox/requests`)).data as Array<{ method: string; path: string }>;
	return log.map((r) => `${r.method} ${r.path}`);
}

/** A saved card, as if the customer had tokenized it on an earlier payment. */
export async function seedCard(sandbox: Sandbox, card: IDataObject): Promise<IDataObject & { token: string }> {
	const res = await axios.post(`${sandbox.url}/__sandbox/cards`, card, { validateStatus: () => true });
	if (res.status !== 201) throw new Error(`card not seeded: ${JSON.stringify(res.data)}`);
	return res.data;
}

/** What the sandbox "sent" (resends and template messages), oldest first. */
export async function sentNotifications(sandbox: Sandbox): Promise<IDataObject[]> {
	return (await axios.get(`${sandbox.url}/__sandbox/notifications`)).data as IDataObject[];
}

/** Adds finished (or other) report files to the sandbox; returns their encrypted_ids. */
export async function addReports(sandbox: Sandbox, seed: IDataObject): Promise<string[]> {
	const res = await axios.post(`${sandbox.url}/__sandbox/reports`, seed, { validateStatus: () => true });
	if (res.status !== 201) throw new Error(`reports not seeded: ${JSON.stringify(res.data)}`);
	return (res.data as { encrypted_ids: string[] }).encrypted_ids;
}
