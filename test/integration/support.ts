import type { IDataObject } from 'n8n-workflow';

import type { FaultSpec, LedgerView, ReportSeed } from '../../sandbox/client';
import type { Sandbox } from '../../sandbox/server';
import { ottuCall, sandboxClient } from '../helpers/sandbox';

/** Test set-up straight against the sandbox (not through the node): transactions, payments, faults. */

export interface NewTransaction {
	amount?: string;
	currency_code?: string;
	pg_codes?: string[];
	order_no?: string;
	[key: string]: unknown;
}

export async function createTransaction(
	sandbox: Sandbox,
	fields: NewTransaction = {},
): Promise<IDataObject & { session_id: string }> {
	const { status, data } = await ottuCall<IDataObject & { session_id: string }>(
		sandbox,
		'POST',
		'/b/checkout/v1/pymt-txn/',
		{
			type: 'e_commerce',
			amount: '10.000',
			currency_code: 'KWD',
			pg_codes: ['credit-card'],
			...fields,
		},
	);
	if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(data)}`);
	return data;
}

/** A transaction the customer has paid (or authorized), as the sandbox's hosted page would do it. */
export async function paidTransaction(
	sandbox: Sandbox,
	fields: NewTransaction = {},
	outcome: 'paid' | 'authorized' = 'paid',
): Promise<string> {
	const txn = await createTransaction(sandbox, fields);
	const sessionId = txn.session_id as string;
	await sandboxClient(sandbox).pay(sessionId, outcome);
	return sessionId;
}

export type Ledger = LedgerView;

export async function ledger(sandbox: Sandbox, sessionId: string): Promise<Ledger> {
	return await sandboxClient(sandbox).ledger(sessionId);
}

export async function addFault(sandbox: Sandbox, fault: Record<string, unknown>): Promise<void> {
	await sandboxClient(sandbox).addFault(fault as unknown as FaultSpec);
}

/** The injected faults not yet used up, with how many times each will still fire. */
export async function pendingFaults(sandbox: Sandbox): Promise<Array<{ remaining: number }>> {
	return (await sandboxClient(sandbox).faults()) as Array<{ remaining: number }>;
}

export async function advanceClock(sandbox: Sandbox, seconds: number): Promise<void> {
	await sandboxClient(sandbox).advanceClock(seconds);
}

/** What reached the API (control routes excluded), as "METHOD path". */
export async function apiRequests(sandbox: Sandbox): Promise<string[]> {
	return (await sandboxClient(sandbox).requests()).map((r) => `${r.method} ${r.path}`);
}

/** A saved card, as if the customer had tokenized it on an earlier payment. */
export async function seedCard(
	sandbox: Sandbox,
	card: IDataObject,
): Promise<IDataObject & { token: string }> {
	return await sandboxClient(sandbox).seedCard(card);
}

/** What the sandbox "sent" (resends and template messages), oldest first. */
export async function sentNotifications(sandbox: Sandbox): Promise<IDataObject[]> {
	return (await sandboxClient(sandbox).notifications()) as unknown as IDataObject[];
}

/** Adds finished (or other) report files to the sandbox; returns their encrypted_ids. */
export async function addReports(sandbox: Sandbox, seed: ReportSeed): Promise<string[]> {
	return (await sandboxClient(sandbox).seedReports(seed)).encrypted_ids;
}
