/**
 * Shared pieces of the reliability suite: sandbox set-up straight over HTTP (not through the node), fault
 * injection, and the figures each suite records for RELIABILITY.md (written to test-results/reliability/).
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { RETRY_LIMITS } from '../../nodes/Ottu/transport';
import { routePattern } from '../../sandbox/core/faults';
import type { FaultSpec, LedgerView as ControlLedger, Method } from '../../sandbox/client';
import type { Sandbox } from '../../sandbox/server';
import { sandboxClient, startSandbox } from '../helpers/sandbox';

export const RESULTS_DIR = join(__dirname, '..', '..', 'test-results', 'reliability');

/** Figures of one suite, saved as JSON once the suite is done; scripts/reliability-report.ts renders them. */
export class Figures {
	private readonly data: Record<string, unknown> = {};
	private readonly counters: Record<string, number> = {};
	private readonly started = Date.now();

	constructor(readonly suite: string) {}

	count(name: string, by = 1): void {
		this.counters[name] = (this.counters[name] ?? 0) + by;
	}

	set(name: string, value: unknown): void {
		this.data[name] = value;
	}

	get(name: string): number {
		return this.counters[name] ?? 0;
	}

	save(): void {
		mkdirSync(RESULTS_DIR, { recursive: true });
		const out = {
			suite: this.suite,
			recorded_at: new Date().toISOString(),
			duration_ms: Date.now() - this.started,
			counters: this.counters,
			...this.data,
		};
		writeFileSync(join(RESULTS_DIR, `${this.suite}.json`), `${JSON.stringify(out, null, 2)}\n`);
	}
}

/**
 * The transport's back-off starts at 500 ms and doubles. The suite checks how many attempts are made and
 * what they achieve, not the wall-clock schedule (that is unit-tested in test/unit/transport.test.ts), so
 * it shortens the first step to 1 ms for the duration of a suite. Retry-After from the sandbox is 0.
 */
export function useFastBackoff(): void {
	const saved = { ...RETRY_LIMITS };
	beforeAll(() => {
		RETRY_LIMITS.baseDelayMs = 1;
	});
	afterAll(() => {
		Object.assign(RETRY_LIMITS, saved);
	});
}

/** An Ottu API call with the sandbox's API key (set-up and checks, not through the node). */
export async function api<T = Record<string, unknown>>(
	sandbox: Sandbox,
	method: Method,
	path: string,
	data?: unknown,
): Promise<{ status: number; data: T }> {
	const { status, data: body } = await sandboxClient(sandbox).api<T>(method, path, data);
	return { status, data: body };
}

export async function reset(sandbox: Sandbox): Promise<void> {
	await sandboxClient(sandbox).reset();
}

/** A new payment transaction (e_commerce, 10.000 KWD, credit-card unless `fields` say otherwise). */
export async function newTransaction(
	sandbox: Sandbox,
	fields: IDataObject = {},
): Promise<IDataObject> {
	return (await sandboxClient(sandbox).createTransaction(fields)) as IDataObject;
}

export async function pay(
	sandbox: Sandbox,
	sessionId: string,
	outcome: 'paid' | 'authorized' = 'paid',
): Promise<void> {
	await sandboxClient(sandbox).pay(sessionId, outcome);
}

export async function paidTransaction(
	sandbox: Sandbox,
	fields: IDataObject = {},
	outcome: 'paid' | 'authorized' = 'paid',
): Promise<string> {
	const txn = await newTransaction(sandbox, fields);
	await pay(sandbox, txn.session_id as string, outcome);
	return txn.session_id as string;
}

export async function seedCard(sandbox: Sandbox, card: IDataObject): Promise<IDataObject> {
	return await sandboxClient(sandbox).seedCard(card);
}

export type LedgerView = ControlLedger;

export async function ledgerOf(sandbox: Sandbox, sessionId: string): Promise<LedgerView> {
	return await sandboxClient(sandbox).ledger(sessionId);
}

export async function addFault(sandbox: Sandbox, fault: Record<string, unknown>): Promise<void> {
	await sandboxClient(sandbox).addFault(fault as unknown as FaultSpec);
}

export async function pendingFaults(sandbox: Sandbox): Promise<unknown[]> {
	return await sandboxClient(sandbox).faults();
}

export async function clearFaults(sandbox: Sandbox): Promise<void> {
	await sandboxClient(sandbox).clearFaults();
}

/** What reached the API (the control routes are not logged), as "METHOD path". */
export async function apiRequests(sandbox: Sandbox): Promise<string[]> {
	return (await sandboxClient(sandbox).requests()).map((r) => `${r.method} ${r.path}`);
}

/** How many requests the sandbox logged on an operation's route ("POST /b/pbl/v2/operation/", wildcards allowed). */
export async function sentOn(sandbox: Sandbox, route: string): Promise<number> {
	const [method, path] = route.split(' ');
	const pattern = routePattern(path);
	return (await apiRequests(sandbox)).filter((r) => {
		const [m, p] = r.split(' ');
		return m === method && pattern.test(p.split('?')[0]);
	}).length;
}

export function pause(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CapturedLogs {
	/** Every line logged, with its metadata as JSON. */
	lines: string[];
	restore(): void;
}

/**
 * Collects what n8n's logger (the one `this.logger` gives nodes), n8n-workflow's LoggerProxy and the console
 * receive while a suite runs, instead of printing it, so that tests can assert on it.
 */
export function captureLogs(): CapturedLogs {
	const lines: string[] = [];
	const restorers: Array<() => void> = [];
	const record =
		(source: string, level: string) =>
		(message: unknown, ...rest: unknown[]) => {
			lines.push(
				`${source}.${level}: ${typeof message === 'string' ? message : safeJson(message)} ${rest.map(safeJson).join(' ')}`,
			);
		};
	const levels = ['error', 'warn', 'info', 'debug', 'verbose'] as const;
	// n8n's Logger turns levels below its threshold into fixed no-ops, so a recording logger (every level)
	// takes its place in the container that nodes' `this.logger` reads from.
	const original = Container.get(Logger);
	const recorder: Record<string, unknown> = {};
	for (const level of levels) recorder[level] = record('n8n-logger', level);
	recorder.scoped = () => recorder;
	Container.set(Logger, recorder as unknown as Logger);
	restorers.push(() => Container.set(Logger, original));
	const proxy = LoggerProxy as unknown as Record<string, unknown>;
	for (const level of levels) {
		const original = proxy[level];
		proxy[level] = record('logger-proxy', level);
		restorers.push(() => {
			proxy[level] = original;
		});
	}
	const con = console as unknown as Record<string, unknown>;
	for (const level of ['log', 'error', 'warn', 'info', 'debug'] as const) {
		const original = con[level];
		con[level] = record('console', level);
		restorers.push(() => {
			con[level] = original;
		});
	}
	return {
		lines,
		restore: () => {
			for (const undo of restorers.reverse()) undo();
		},
	};
}

function safeJson(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value instanceof Error)
		return `${value.name}: ${value.message} ${safeJson({ ...value, stack: value.stack })}`;
	try {
		return JSON.stringify(value);
	} catch {
		return String(value);
	}
}

/**
 * One sandbox for a describe block, with fast back-off, emptied of faults and state before each test;
 * `use` receives it once started.
 */
export function useFreshSandbox(use: (sandbox: Sandbox) => void): void {
	let sandbox: Sandbox | undefined;
	useFastBackoff();
	beforeAll(async () => {
		sandbox = await startSandbox();
		use(sandbox);
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	beforeEach(async () => {
		await clearFaults(sandbox!);
		await reset(sandbox!);
	});
}
