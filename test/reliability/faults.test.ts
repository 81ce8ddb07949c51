/**
 * Every operation of the Ottu node under every fault the sandbox can inject, through n8n's real engine and
 * real HTTP. What is proven:
 * - reads recover by retrying and return the right data;
 * - refunds, captures and voids (Tracking-Key on /b/pbl/v2/operation/) recover by retrying with the same key and
 *   leave exactly one effect in the sandbox's ledger, even when the first attempt was carried out and its answer
 *   lost (the output then says it is Ottu's replay);
 * - requests that are never repeated (native charges, creates, updates, cancels, deletes, notifications) are sent
 *   once, fail with an error that says the outcome is unknown when it is, and are never carried out twice;
 * - every error is readable: its exact text is asserted.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, startSandbox } from '../helpers/sandbox';
import type { Policy } from './operations';
import { resources } from '../../nodes/Ottu/actions/resources';
import { OPERATIONS } from './operations';
import {
	addFault,
	clearFaults,
	Figures,
	ledgerOf,
	paidTransaction,
	pause,
	pendingFaults,
	reset,
	useFastBackoff,
	useFreshSandbox,
} from './support';

/** Per-request timeout set through the node's Options → Timeout (long enough for a busy 2-core machine), and a latency past it. */
const TIMEOUT_MS = 1000;
const LATENCY_MS = 1600;

interface FaultCase {
	name: string;
	fault: IDataObject;
	/** Whether the fault strikes after Ottu did the work (its answer is lost or garbled). */
	afterCommit: boolean;
	/** Waits longer than the node's timeout: the sandbox finishes the request after the node gave up. */
	slow?: boolean;
	/** More consecutive failures than the transport's attempt limit. */
	exhausts?: boolean;
	/** The error text a request that is not repeated (or that ran out of attempts) must give. */
	message: RegExp;
}

const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

const FAULTS: FaultCase[] = [
	{
		name: 'latency past the timeout',
		fault: { kind: 'latency', ms: LATENCY_MS, count: 1 },
		afterCommit: true,
		slow: true,
		message: /^Ottu did not answer within 1 second \[item 0\]$/,
	},
	{
		name: 'HTTP 500 twice',
		fault: { kind: 'status', status: 500, count: 2 },
		afterCommit: false,
		message: /^Ottu refused the request \(HTTP 500\): Server Error \(500\) \[item 0\]$/,
	},
	{
		name: 'HTTP 502 HTML page',
		fault: { kind: 'status', status: 502, body: HTML_PAGE, count: 1 },
		afterCommit: false,
		message:
			/^Ottu refused the request \(HTTP 502\): Ottu answered with an HTML page instead of JSON \[item 0\]$/,
	},
	{
		name: 'HTTP 503 four times in a row',
		fault: {
			kind: 'status',
			status: 503,
			body: { detail: 'Service temporarily unavailable.' },
			count: 4,
		},
		afterCommit: false,
		message:
			/^Ottu refused the request \(HTTP 503\): Service temporarily unavailable\. \[item 0\]$/,
	},
	{
		name: 'connection reset',
		fault: { kind: 'reset', count: 2 },
		afterCommit: false,
		message: /^The connection to Ottu was interrupted \[item 0\]$/,
	},
	{
		name: '429 storm within the limit (Retry-After: 0)',
		fault: { kind: 'rate_limit', retry_after: 0, count: 4 },
		afterCommit: false,
		message: /^Ottu refused the request \(HTTP 429\)/,
	},
	{
		name: '429 storm beyond the limit (Retry-After: 0)',
		fault: { kind: 'rate_limit', retry_after: 0, count: 50 },
		afterCommit: false,
		exhausts: true,
		message: /^Ottu refused the request \(HTTP 429\): Request was throttled\..* \[item 0\]$/,
	},
	{
		name: 'cut-off JSON body',
		fault: { kind: 'malformed', count: 1 },
		afterCommit: true,
		message:
			/^Ottu answered HTTP 200 with a cut-off or malformed answer instead of JSON \[item 0\]$/,
	},
	{
		name: 'empty body',
		fault: { kind: 'malformed', body: '', count: 1 },
		afterCommit: true,
		message: /^Ottu answered HTTP 200 with an empty answer instead of JSON \[item 0\]$/,
	},
	{
		name: 'HTML body with status 200',
		fault: { kind: 'malformed', body: HTML_PAGE, count: 1 },
		afterCommit: true,
		message: /^Ottu answered HTTP 200 with an HTML page instead of JSON \[item 0\]$/,
	},
	{
		name: 'committed, then the response dropped',
		fault: { kind: 'drop_after_commit', count: 1 },
		afterCommit: true,
		message: /^The connection to Ottu was interrupted \[item 0\]$/,
	},
];

const UNSURE =
	'The request may or may not have been carried out: check in Ottu before running it again.';

const figures = new Figures('faults');
afterAll(() => figures.save());
const rows: Array<{
	operation: string;
	policy: Policy;
	charge: boolean;
	fault: string;
	outcome: 'recovered' | 'clear error';
	effects: number;
}> = [];

describe('every operation under every injected fault', () => {
	let sandbox: Sandbox;
	useFastBackoff();
	beforeAll(async () => {
		sandbox = await startSandbox({
			inquiryThrottling: false,
			webhooks: { timeoutMs: 200, attempts: 1, backoffMs: 1 },
		});
	});
	afterAll(async () => {
		await sandbox.close();
		figures.set('operations', [...new Set(rows.map((r) => r.operation))]);
		figures.set(
			'faults',
			FAULTS.map((f) => f.name),
		);
		figures.set('timeout_ms', TIMEOUT_MS);
		figures.set('rows', rows);
	});
	beforeEach(async () => {
		await clearFaults(sandbox);
		await reset(sandbox);
	});

	const cases = OPERATIONS.flatMap((op) =>
		FAULTS.map((fault) => [op.name, fault.name, op, fault] as const),
	);
	const covered = new Set<string>();

	it.each(cases)('%s — %s', async (_opName, _faultName, op, fault) => {
		const prepared = await op.prepare(sandbox);
		const charge = prepared.parameters.resource === 'nativePayment';
		covered.add(
			`${prepared.parameters.resource as string}.${prepared.parameters.operation as string}`,
		);
		const count = fault.fault.count as number;
		await addFault(sandbox, { route: op.route, ...fault.fault });
		const started = Date.now();
		const { items, error } = await runOttu({
			parameters: { ...prepared.parameters, options: { timeout: TIMEOUT_MS } },
			credentials: apiKeyCredentials(sandbox),
			files: prepared.files,
		});
		// A slow request is still carried out after the node gave up on it: wait for it before counting.
		if (fault.slow) {
			await pause(Math.max(0, LATENCY_MS + 400 - (Date.now() - started)));
			// On a busy machine the late request may need longer; a request sent once must show its one effect.
			for (
				let waited = 0;
				op.policy === 'once' && waited < 5000 && (await prepared.effects()) === 0;
				waited += 100
			)
				await pause(100);
		}
		const remaining =
			((await pendingFaults(sandbox)) as Array<{ remaining: number }>)[0]?.remaining ?? 0;
		const attempts = fault.exhausts ? count - remaining : count - remaining + (error ? 0 : 1);
		const effects = await prepared.effects();
		figures.count('runs');

		// Repeating is safe for reads and Tracking-Key requests; a 429 is refused before anything is done.
		const repeatable = op.policy !== 'once' || fault.fault.kind === 'rate_limit';
		// A charge carried out whose answer was lost is settled by reading the transaction (not when it is
		// still being carried out as the node reads: the late latency case).
		if (charge && fault.afterCommit && !fault.slow) {
			expect(error).toBeUndefined();
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({
				session_id: prepared.parameters.sessionId,
				state: 'paid',
				outcome_settled_by: 'lookup',
				tracking_key_source: 'automatic',
			});
			// One charge attempt (the fault's one strike), no second.
			expect(count - remaining).toBe(1);
			expect(effects).toBe(1);
			figures.count('charges settled by reading the transaction');
			rows.push({
				operation: op.name,
				policy: op.policy,
				charge,
				fault: fault.name,
				outcome: 'recovered',
				effects,
			});
		} else if (repeatable && !fault.exhausts) {
			expect(error).toBeUndefined();
			prepared.checkOutput(items.map((item) => item.json));
			expect(effects).toBe(op.policy === 'read' ? 0 : 1);
			figures.count('recovered');
			if (items[0]?.json.replayed === true)
				figures.count("recovered through Ottu's replay of the original operation");
			rows.push({
				operation: op.name,
				policy: op.policy,
				charge,
				fault: fault.name,
				outcome: 'recovered',
				effects,
			});
		} else {
			// A status check that stays throttled is explained as Ottu's per-transaction inquiry throttle.
			const inquiryThrottle =
				op.name === 'Payment Status → Check' && fault.fault.kind === 'rate_limit';
			expect(error?.message).toMatch(
				inquiryThrottle
					? /^Ottu is throttling status checks of this transaction \(HTTP 429\)/
					: fault.message,
			);
			expect(items).toHaveLength(0);
			if (fault.exhausts) {
				expect(attempts).toBe(5);
				expect(error?.description).toContain(
					inquiryThrottle
						? 'Payment Transaction → Get, which is not throttled'
						: 'rate limiting this account',
				);
				expect(error?.description).toContain('Tried 5 times');
				expect(effects).toBe(0);
			} else {
				// Sent exactly once, never repeated.
				expect(attempts).toBe(1);
				expect(effects).toBe(fault.afterCommit ? 1 : 0);
				expect(error?.description).toContain(prepared.unsure ?? UNSURE);
				expect(error?.description).not.toContain('is safe');
			}
			figures.count('clear errors');
			rows.push({
				operation: op.name,
				policy: op.policy,
				charge,
				fault: fault.name,
				outcome: 'clear error',
				effects,
			});
		}
		if (op.policy === 'tracked') figures.count('money-moving runs');
		if (effects > 1) figures.count('double effects');
		// Lost result: the sandbox did the work but the workflow neither got the result nor an error saying so.
		if (effects > 0 && error === undefined && items.length === 0) figures.count('lost results');
		expect(effects).toBeLessThanOrEqual(1);
	});

	it('covered every operation the Ottu node has', () => {
		const all = Object.entries(resources).flatMap(([resource, r]) =>
			Object.keys(r.operations).map((operation) => `${resource}.${operation}`),
		);
		expect([...covered].sort()).toEqual(all.sort());
	});
});

const safeRerun = (key: string) =>
	`Ottu may have carried it out: running it again with the same Tracking-Key (${key}) is safe, because Ottu answers a repeated Tracking-Key with the original operation instead of doing it twice.`;
const SAFE_RERUN =
	/Ottu may have carried it out: running it again with the same Tracking-Key \(n8n-[0-9a-f]{40}\) is safe/;

describe('money-moving requests under sustained faults, one by one and in concurrent batches', () => {
	let sandbox: Sandbox;
	useFreshSandbox((started) => (sandbox = started));

	const refund = (extra: IDataObject = {}) => ({
		resource: 'paymentOperation',
		operation: 'refund',
		identifyBy: 'sessionId',
		sessionId: '={{ $json.sid }}',
		amount: '={{ $json.amount }}',
		...extra,
	});

	it('a refund whose every answer is lost fails saying a re-run is safe; the re-run replays the one refund', async () => {
		const sid = await paidTransaction(sandbox, { amount: '10.000' });
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'drop_after_commit',
			count: 5,
		});
		const first = await runOttu({
			parameters: refund(),
			items: [{ sid, amount: '2.5' }],
			credentials: apiKeyCredentials(sandbox),
			executionId: 'sustained-1',
		});
		expect(first.error?.message).toBe('The connection to Ottu was interrupted [item 0]');
		expect(first.error?.description).toContain('Tried 5 times.');
		// Carried out once by the first attempt, replayed to the four others.
		let book = await ledgerOf(sandbox, sid);
		expect(first.error?.description).toContain(safeRerun(book.operations[0].tracking_key!));
		expect(book.operations.filter((o) => o.operation === 'refund')).toHaveLength(1);
		expect(book.refunded).toBe('2.500');

		const rerun = await runOttu({
			parameters: refund(),
			items: [{ sid, amount: '2.5' }],
			credentials: apiKeyCredentials(sandbox),
			executionId: 'sustained-2',
		});
		expect(rerun.error).toBeUndefined();
		expect(rerun.items[0].json).toMatchObject({
			amount: '2.500',
			state: 'refunded',
			replayed: true,
			replay_cause: 'repeated_key',
		});
		expect(rerun.items[0].json.tracking_key).toBe(book.operations[0].tracking_key);
		book = await ledgerOf(sandbox, sid);
		expect(book.operations.filter((o) => o.operation === 'refund')).toHaveLength(1);
		figures.count('sustained-fault refunds re-run without a second refund');
	});

	it('a refund done by a lost first attempt and then throttled to the limit still says it may have been carried out', async () => {
		const sid = await paidTransaction(sandbox, { amount: '10.000' });
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'drop_after_commit',
			count: 1,
		});
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'rate_limit',
			retry_after: 0,
			count: 10,
		});
		const { error } = await runOttu({
			parameters: refund(),
			items: [{ sid, amount: '1' }],
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error?.message).toMatch(/^Ottu refused the request \(HTTP 429\)/);
		expect(error?.description).toContain('rate limiting this account');
		expect(error?.description).toMatch(SAFE_RERUN);
		expect((await ledgerOf(sandbox, sid)).refunded).toBe('1.000');
		figures.count('throttled after a lost answer, reported as unknown outcome');
	});

	const charges = OPERATIONS.filter((op) => op.name.startsWith('Native Payment'));

	it.each(charges.map((op) => [op.name, op] as const))(
		'%s whose answer is lost is sent once and settled by reading the transaction',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox);
			await addFault(sandbox, { route: op.route, kind: 'drop_after_commit', count: 5 });
			const { items, error } = await runOttu({
				parameters: prepared.parameters,
				credentials: apiKeyCredentials(sandbox),
			});
			const remaining = ((await pendingFaults(sandbox)) as Array<{ remaining: number }>)[0]
				?.remaining;
			// Exactly one charge attempt reached the sandbox: the four other faults are still waiting.
			expect(remaining).toBe(4);
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ state: 'paid', outcome_settled_by: 'lookup' });
			expect(await prepared.effects()).toBe(1);
			figures.count('native charges with a lost answer: sent once, settled by one read');
		},
	);

	it('a charge throttled twice (429) and then lost: the 429s are waited out, the lost answer is not repeated', async () => {
		const op = charges.find((c) => c.name === 'Native Payment → Auto-Debit')!;
		const prepared = await op.prepare(sandbox);
		await addFault(sandbox, { route: op.route, kind: 'rate_limit', retry_after: 0, count: 2 });
		await addFault(sandbox, { route: op.route, kind: 'drop_after_commit', count: 3 });
		const { error, items } = await runOttu({
			parameters: prepared.parameters,
			credentials: apiKeyCredentials(sandbox),
		});
		// Two 429s and one charge attempt: the other two drop faults were never reached.
		expect(await pendingFaults(sandbox)).toEqual([
			expect.objectContaining({ kind: 'drop_after_commit', remaining: 2 }),
		]);
		expect(await prepared.effects()).toBe(1);
		expect(error).toBeUndefined();
		expect(items[0].json.outcome_settled_by).toBe('lookup');
		figures.count('charges throttled, then lost: 429 retried, the charge sent once');
	});

	it('a refund committed with its answer lost, re-run with another item inserted before it: same key, one refund, output says replay', async () => {
		const sid = await paidTransaction(sandbox, { amount: '10.000' });
		const other = await paidTransaction(sandbox, { amount: '10.000' });
		await addFault(sandbox, {
			route: 'POST /b/pbl/v2/operation/',
			kind: 'drop_after_commit',
			count: 5,
		});
		const line = { sid, amount: '2.5', return_id: 'RMA-77', line_item: 'L-1' };
		const first = await runOttu({
			parameters: refund(),
			items: [line],
			credentials: apiKeyCredentials(sandbox),
			executionId: 'moved-1',
		});
		expect(first.error?.message).toBe('The connection to Ottu was interrupted [item 0]');
		await clearFaults(sandbox);
		// An upstream sort or filter changed: the same item now comes second, with a field changed.
		const rerun = await runOttu({
			parameters: refund(),
			items: [
				{ sid: other, amount: '1', return_id: 'RMA-78', line_item: 'L-1' },
				{ line_item: 'L-1', return_id: 'RMA-77', amount: '2.5', sid, fetched_at: Date.now() },
			],
			credentials: apiKeyCredentials(sandbox),
			executionId: 'moved-2',
		});
		expect(rerun.error).toBeUndefined();
		const book = await ledgerOf(sandbox, sid);
		expect(book.operations.filter((o) => o.operation === 'refund')).toHaveLength(1);
		expect(book.refunded).toBe('2.500');
		expect(rerun.items[1].json).toMatchObject({
			replayed: true,
			replay_cause: 'repeated_key',
			state: 'refunded',
			amount: '2.500',
			tracking_key: book.operations[0].tracking_key,
		});
		expect(rerun.items[1].json.replay_note).toContain('No new money moved.');
		expect(rerun.items[0].json).toMatchObject({
			replayed: false,
			session_id: other,
			amount: '1.000',
		});
		// Only now was "safe to run again" true of the first run's error: the re-run's key is the one it named.
		expect(first.error?.description).toContain(safeRerun(book.operations[0].tracking_key!));
		figures.count(
			'lost refund re-run with the item at another position: one refund, output says replay',
		);
	});

	it('two refunds of the same amount of the same transaction: Automatic replays the second and says how to ask for it; Custom keys make two refunds', async () => {
		const sid = await paidTransaction(sandbox, { amount: '10.000' });
		const run = (line: string, extra = {}) =>
			runOttu({
				parameters: refund(extra),
				items: [{ sid, amount: '3', line_item: line }],
				credentials: apiKeyCredentials(sandbox),
			});
		const a = await run('L-1');
		const b = await run('L-2');
		expect([a.error, b.error]).toEqual([undefined, undefined]);
		expect(b.items[0].json).toMatchObject({
			replayed: true,
			replay_cause: 'repeated_key',
			tracking_key: a.items[0].json.tracking_key,
		});
		expect(b.items[0].json.replay_note).toContain(
			'If you meant another refund of the same amount, set Tracking-Key to Custom with its own ID.',
		);
		expect((await ledgerOf(sandbox, sid)).refunded).toBe('3.000');
		const custom = { trackingKeyMode: 'custom', trackingKey: '=refund-{{ $json.line_item }}' };
		const c = await run('L-1', custom);
		const d = await run('L-2', custom);
		expect([c.items[0].json.replayed, d.items[0].json.replayed]).toEqual([false, false]);
		const book = await ledgerOf(sandbox, sid);
		expect(book.operations.filter((o) => o.operation === 'refund')).toHaveLength(3);
		expect(book.refunded).toBe('9.000');
		figures.count('same amount and transaction: Automatic replays, Custom keys refund again');
	});

	it('24 refunds at Concurrency 4 through a storm of mixed faults: each refunded at most once, the re-run completes all exactly once', async () => {
		const count = 24;
		const sids: string[] = [];
		for (let i = 0; i < count; i++)
			sids.push(await paidTransaction(sandbox, { amount: '50.000', order_no: `STORM-${i}` }));
		const items = sids.map((sid, i) => ({ sid, amount: ((i + 1) * 0.125).toFixed(3) }));
		const route = 'POST /b/pbl/v2/operation/';
		const storm: IDataObject[] = [
			{ kind: 'drop_after_commit', count: 5 },
			{ kind: 'status', status: 502, body: '<html><body>Bad Gateway</body></html>', count: 4 },
			{ kind: 'reset', count: 4 },
			{ kind: 'malformed', count: 3 },
			{ kind: 'malformed', body: '', count: 3 },
			{ kind: 'rate_limit', retry_after: 0, count: 6 },
			{ kind: 'latency', ms: 400, count: 3 },
		];
		// Faults are matched in the order they were added; interleaving them spreads every kind over the batch.
		for (let round = 0; round < 6; round++) {
			for (const fault of storm) {
				const left = (fault.count as number) - round;
				if (left > 0) await addFault(sandbox, { route, ...fault, count: 1 });
			}
		}
		const injected = storm.reduce((sum, f) => sum + (f.count as number), 0);
		const parameters = refund({ options: { concurrency: 4, timeout: 200 } });

		const first = await runOttu({
			parameters,
			items,
			credentials: apiKeyCredentials(sandbox),
			continueOnFail: true,
			executionId: 'storm-1',
		});
		await pause(500); // let late (slow) requests finish before counting
		expect(first.error).toBeUndefined();
		expect(first.items.map((i) => i.pairedItem)).toEqual(items.map((_x, i) => ({ item: i })));
		let failed = 0;
		let unknown = 0;
		let throttled = 0;
		for (let i = 0; i < count; i++) {
			const book = await ledgerOf(sandbox, sids[i]);
			const refunds = book.operations.filter((o) => o.operation === 'refund').length;
			expect(refunds).toBeLessThanOrEqual(1);
			const out = first.items[i];
			if (out.json.error === undefined) {
				// Recovered after a lost answer: Ottu's replay of the refund the lost attempt made, said so in the output.
				if (out.json.replayed === true)
					expect(out.json).toMatchObject({
						amount: items[i].amount,
						state: 'refunded',
						replay_cause: 'lost_answer',
					});
				else
					expect(out.json).toMatchObject({
						session_id: sids[i],
						amount: items[i].amount,
						result: 'success',
						replayed: false,
					});
				expect(refunds).toBe(1);
			} else {
				failed += 1;
				const description = (out.json.message as string | undefined) ?? '';
				// Either the outcome is unknown (a re-run is safe), or Ottu throttled every attempt (nothing was done).
				if (SAFE_RERUN.test(description)) unknown += 1;
				else {
					expect(description).toContain('rate limiting this account');
					expect(refunds).toBe(0);
					throttled += 1;
				}
			}
		}
		figures.set('storm', {
			refunds: count,
			concurrency: 4,
			faults_injected: injected,
			failed_first_run: failed,
			unknown_outcome: unknown,
			throttled,
		});

		await clearFaults(sandbox);
		const rerun = await runOttu({
			parameters,
			items,
			credentials: apiKeyCredentials(sandbox),
			executionId: 'storm-2',
		});
		expect(rerun.error).toBeUndefined();
		expect(rerun.items.map((i) => i.pairedItem)).toEqual(items.map((_x, i) => ({ item: i })));
		for (let i = 0; i < count; i++) {
			const book = await ledgerOf(sandbox, sids[i]);
			// Refunded in the first run: Ottu's replay of it (its own child transaction); else the refund, now.
			const out = rerun.items[i].json;
			if (out.replayed === true)
				expect(out).toMatchObject({
					state: 'refunded',
					amount: items[i].amount,
					reference_number: book.operations[0].reference_number,
				});
			else
				expect(out).toMatchObject({
					session_id: sids[i],
					amount: items[i].amount,
					replayed: false,
				});
			expect(book.operations.filter((o) => o.operation === 'refund')).toHaveLength(1);
			expect(book.refunded).toBe(items[i].amount);
			if (first.items[i].json.tracking_key)
				expect(rerun.items[i].json.tracking_key).toBe(first.items[i].json.tracking_key);
		}
		figures.count('storm refunds, each exactly once after the re-run', count);
	});
});
