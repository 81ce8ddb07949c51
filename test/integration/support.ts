import type { IDataObject } from 'n8n-workflow';

import type { FaultSpec, LedgerView, ReportSeed } from '../../sandbox/client';
import type { Sandbox, SandboxOptions } from '../../sandbox/server';
import type { OttuRunOptions, OttuRunResult } from '../helpers/n8n';
import { runOttu } from '../helpers/n8n';
import {
	apiKeyCredentials,
	ottuCall,
	resetSandbox,
	sandboxClient,
	startSandbox,
} from '../helpers/sandbox';

/** Test set-up straight against the sandbox (not through the node): transactions, payments, faults. */

/** What a test may add to one run of the Ottu node (input items, files, continue on fail, ...). */
export type RunExtra = Omit<OttuRunOptions, 'parameters' | 'credentials'>;

export interface SandboxHandle {
	/** The running sandbox; only there once the describe block's beforeAll has run. */
	readonly sandbox: Sandbox;
	/**
	 * Runs the Ottu node in the real engine against the sandbox with API-key credentials, the
	 * `base` parameters first (e.g. `{ resource: 'card' }`), then the test's own.
	 */
	runner(base?: IDataObject): (parameters: IDataObject, extra?: RunExtra) => Promise<OttuRunResult>;
}

/**
 * One sandbox for the enclosing describe block: started in beforeAll, closed in afterAll and reset
 * before each test. Call it at the top of the describe block.
 */
export function useSandbox(options: SandboxOptions = {}): SandboxHandle {
	let started: Sandbox | undefined;
	const handle: SandboxHandle = {
		get sandbox(): Sandbox {
			if (!started) throw new Error('useSandbox: the sandbox is only there inside tests and hooks');
			return started;
		},
		runner:
			(base = {}) =>
			async (parameters, extra = {}) =>
				await runOttu({
					parameters: { ...base, ...parameters },
					credentials: apiKeyCredentials(handle.sandbox),
					...extra,
				}),
	};
	beforeAll(async () => {
		started = await startSandbox(options);
	});
	afterAll(async () => {
		await started?.close();
	});
	beforeEach(async () => {
		await resetSandbox(handle.sandbox);
	});
	return handle;
}

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
