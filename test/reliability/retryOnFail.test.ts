/**
 * n8n's Retry On Fail and the Executions list's Retry, through n8n's real engine against the sandbox, for every
 * write the node sends once. What is proven, for each:
 * - an item whose request Ottu answered is not sent again when Retry On Fail runs the node again because of
 *   another item (its recorded answer is its output);
 * - an item whose answer was lost is not sent again blind, neither by Retry On Fail nor by the execution's
 *   Retry (a native charge is settled by reading the transaction instead);
 * - a request Ottu refused (so nothing happened) is sent again by Retry On Fail.
 */
import type { INode } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import type { OttuRunResult } from '../helpers/n8n';
import { retryExecution, runOttu } from '../helpers/n8n';
import { apiKeyCredentials, startSandbox } from '../helpers/sandbox';
import type { OperationCase, Prepared } from './operations';
import { OPERATIONS } from './operations';
import { addFault, clearFaults, Figures, reset, sentOn, useFastBackoff } from './support';

const RETRY: Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries'> = {
	retryOnFail: true,
	maxTries: 3,
	// n8n reads 0 as its default of 1000 ms.
	waitBetweenTries: 1,
};

/** Every write: sent once, with a Tracking-Key, or the upload. */
const WRITES = OPERATIONS.filter((op) => op.policy !== 'read');
const ONCE = WRITES.filter((op) => op.policy === 'once');

const figures = new Figures('retry-paths');
afterAll(() => figures.save());
const rows: Array<{
	operation: string;
	path: string;
	fault: string;
	duplicates: number;
	lost: number;
}> = [];

const sent = async (sandbox: Sandbox, op: OperationCase) => await sentOn(sandbox, op.route);

const isCharge = (op: OperationCase) => op.name.startsWith('Native Payment');

describe('Retry On Fail and execution Retry never send a write twice', () => {
	let sandbox: Sandbox;
	useFastBackoff();
	beforeAll(async () => {
		sandbox = await startSandbox({ inquiryThrottling: false });
	});
	afterAll(async () => {
		await sandbox.close();
		figures.set('rows', rows);
	});
	beforeEach(async () => {
		await clearFaults(sandbox);
		await reset(sandbox);
	});

	/** Two items under Retry On Fail: the first request passes, every later one is refused before anything is done. */
	async function firstPassesThenRefused(
		op: OperationCase,
		prepared: Prepared,
	): Promise<OttuRunResult> {
		await addFault(sandbox, {
			route: op.route,
			kind: 'status',
			status: 400,
			body: { detail: 'Refused for the test.' },
			skip: 1,
		});
		return await runOttu({
			parameters: prepared.parameters,
			items: [{ n: 1 }, { n: 2 }],
			files: prepared.files && [prepared.files[0], prepared.files[0]],
			credentials: apiKeyCredentials(sandbox),
			retry: RETRY,
		});
	}

	it.each(WRITES.filter((op) => isCharge(op)).map((op) => [op.name, op] as const))(
		'%s: a second item charging the same, now paid, session is settled by reading it, not charged',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox);
			const result = await firstPassesThenRefused(op, prepared);
			expect(result.error).toBeUndefined();
			expect(result.items[1].json).toMatchObject({ outcome_settled_by: 'lookup' });
			expect(await sent(sandbox, op)).toBe(1);
			expect(await prepared.effects()).toBe(1);
		},
	);

	it.each(WRITES.filter((op) => !isCharge(op)).map((op) => [op.name, op] as const))(
		'%s: the answered item is not sent again when another item fails and Retry On Fail reruns the node',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox);
			const result = await firstPassesThenRefused(op, prepared);
			expect(result.error?.message).toContain('Refused for the test. [item 1]');
			// Item 0 once, item 1 once per try (refused each time, so nothing happened).
			expect(await sent(sandbox, op)).toBe(1 + RETRY.maxTries!);
			const effects = await prepared.effects();
			expect(effects).toBe(1);
			// The Executions list's Retry of that failed run: only item 1 is sent again.
			const retried = await retryExecution(result);
			expect(retried.error?.message).toContain('Refused for the test. [item 1]');
			expect(await sent(sandbox, op)).toBe(1 + 2 * RETRY.maxTries!);
			expect(await prepared.effects()).toBe(1);
			for (const path of ['node Retry On Fail', 'execution Retry'])
				rows.push({
					operation: op.name,
					path,
					fault: 'another item refused',
					duplicates: effects - 1,
					lost: 0,
				});
		},
	);

	it.each(ONCE.map((op) => [op.name, op] as const))(
		'%s: an answer lost is not sent again by Retry On Fail nor by the execution Retry',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox);
			await addFault(sandbox, { route: op.route, kind: 'drop_after_commit', count: 1 });
			const first = await runOttu({
				parameters: prepared.parameters,
				files: prepared.files,
				credentials: apiKeyCredentials(sandbox),
				retry: RETRY,
			});
			// The dropped request is not in the sandbox's log (its answer never left); a repeat would be.
			expect(await sent(sandbox, op)).toBe(0);
			expect(await prepared.effects()).toBe(1);
			if (isCharge(op)) {
				// Settled by reading the transaction: the charge is there.
				expect(first.error).toBeUndefined();
				expect(first.items[0].json).toMatchObject({ outcome_settled_by: 'lookup' });
			} else {
				expect(first.error?.message).toBe(
					'Not sent again: an earlier try of this item in this execution reached Ottu, but its answer was lost [item 0]',
				);
				expect(first.error?.description).toContain(prepared.unsure ?? 'check in Ottu');
				const retried = await retryExecution(first);
				expect(retried.error?.message).toBe(first.error?.message);
				expect(await sent(sandbox, op)).toBe(0);
			}
			const effects = await prepared.effects();
			expect(effects).toBe(1);
			for (const path of isCharge(op)
				? ['node Retry On Fail']
				: ['node Retry On Fail', 'execution Retry'])
				rows.push({
					operation: op.name,
					path,
					fault: 'answer lost after Ottu did it',
					duplicates: effects - 1,
					lost: 0,
				});
		},
	);

	it.each(ONCE.filter((op) => !isCharge(op)).map((op) => [op.name, op] as const))(
		'%s: a request Ottu refused is sent again by Retry On Fail and then succeeds once',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox);
			await addFault(sandbox, { route: op.route, kind: 'status', status: 400, count: 1 });
			const { items, error } = await runOttu({
				parameters: prepared.parameters,
				files: prepared.files,
				credentials: apiKeyCredentials(sandbox),
				retry: RETRY,
			});
			expect(error).toBeUndefined();
			prepared.checkOutput(items.map((item) => item.json));
			expect(await sent(sandbox, op)).toBe(2);
			expect(await prepared.effects()).toBe(1);
		},
	);

	it('the execution Retry of a run where one item was answered and another refused sends only the refused one', async () => {
		const op = OPERATIONS.find((o) => o.name === 'Notification → Send Template')!;
		const prepared = await op.prepare(sandbox);
		await addFault(sandbox, { route: op.route, kind: 'status', status: 400, skip: 1, count: 1 });
		const first = await runOttu({
			parameters: { ...prepared.parameters, to: '={{ $json.to }}' },
			items: [{ to: '+96550000001' }, { to: '+96550000002' }],
			credentials: apiKeyCredentials(sandbox),
		});
		expect(first.error?.message).toMatch(/\[item 1\]$/);
		const retried = await retryExecution(first);
		expect(retried.error).toBeUndefined();
		expect(retried.items.map((i) => i.json.to)).toEqual(['+96550000001', '+96550000002']);
		expect(sandbox.store.notifications.map((n) => n.to)).toEqual(['+96550000001', '+96550000002']);
		rows.push({
			operation: op.name,
			path: 'execution Retry',
			fault: 'another item refused',
			duplicates: 0,
			lost: 0,
		});
	});
});
