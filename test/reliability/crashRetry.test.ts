/**
 * A worker that dies while the node waits for Ottu takes the node's journal with it: n8n saves an execution's
 * data (the node's context included) when a node ends. The Executions list's Retry of that crashed execution
 * then starts the node with no journal. Reproduced here through n8n's real engine: the failed run's saved data
 * with its node context removed, retried in mode "retry". What is proven, for every write sent once:
 * - a charge already made is not charged again: the transaction is read first and shows it paid;
 * - any other write an earlier execution sent is not sent again blind: n8n's processed-data store (its
 *   database, written before the request leaves) remembers it, and the item fails with "check first";
 * - a write Ottu refused is forgotten there too, and a fresh run (not a retry) still sends on purpose.
 */
import type { Sandbox } from '../../sandbox/server';
import type { OttuRunResult } from '../helpers/n8n';
import { retryCrashedMidNode, retryExecution, runOttu } from '../helpers/n8n';
import { apiKeyCredentials } from '../helpers/sandbox';
import type { OperationCase, Prepared } from './operations';
import { OPERATIONS } from './operations';
import { addFault, Figures, sentOn, useFreshSandbox } from './support';

const ONCE = OPERATIONS.filter((op) => op.policy === 'once');
const TRACKED = OPERATIONS.filter((op) => op.policy === 'tracked');
const isCharge = (op: OperationCase) => op.name.startsWith('Native Payment');
const SENT_BEFORE =
	'Not sent: an earlier execution of this node already sent this same request to Ottu, and this is a retry';

const figures = new Figures('crash-retry');
const rows: Array<Record<string, unknown>> = [];
afterAll(() => {
	figures.set('rows', rows);
	figures.save();
});
const WORKER_KILLED = 'queue-mode worker killed mid-request';

function record(op: OperationCase, path: string, fault: string, effects: number): void {
	rows.push({ operation: op.name, path, fault, duplicates: effects - 1, lost: 0 });
}

describe('the execution Retry of a run whose worker died mid-node', () => {
	let started: Sandbox;
	useFreshSandbox((s) => (started = s));
	const sandbox = () => started;

	/** Two items of the same request: item 0 carried out, item 1 refused (nothing happened), so the run fails. */
	async function answeredThenRefused(
		op: OperationCase,
		prepared: Prepared,
	): Promise<OttuRunResult> {
		await addFault(sandbox(), { route: op.route, kind: 'status', status: 400, skip: 1, count: 1 });
		const first = await runOttu({
			parameters: prepared.parameters,
			items: [{ n: 1 }, { n: 2 }],
			files: prepared.files && [prepared.files[0], prepared.files[0]],
			credentials: apiKeyCredentials(sandbox()),
		});
		expect(first.error?.message).toMatch(/\[item 1\]$/);
		return first;
	}

	it.each(ONCE.filter((op) => !isCharge(op)).map((op) => [op.name, op] as const))(
		'%s: the item sent before the crash is not sent again, the refused one is',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox());
			const first = await answeredThenRefused(op, prepared);
			const sentBefore = await sentOn(sandbox(), op.route);
			expect(await prepared.effects()).toBe(1);

			const retried = await retryExecution(first, { crashed: true });
			expect(retried.error?.message).toBe(`${SENT_BEFORE} [item 0]`);
			expect(retried.error?.description).toContain(prepared.unsure ?? 'check in Ottu');
			expect(await sentOn(sandbox(), op.route)).toBe(sentBefore);
			const effects = await prepared.effects();
			expect(effects).toBe(1);
			record(op, WORKER_KILLED, 'execution Retry without the journal', effects);
		},
	);

	it.each(ONCE.filter(isCharge).map((op) => [op.name, op] as const))(
		'%s: the charge made before the crash is settled by reading the transaction, not charged again',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox());
			const sid = String(prepared.parameters.sessionId);
			// Item 1 has a Session ID that can never be sent: the run fails at item 1 after item 0 was charged.
			const first = await runOttu({
				parameters: { ...prepared.parameters, sessionId: '={{ $json.sid }}' },
				items: [{ sid }, { sid: 'not a session id!' }],
				credentials: apiKeyCredentials(sandbox()),
			});
			expect(first.error?.message).toMatch(/\[item 1\]$/);
			expect(await sentOn(sandbox(), op.route)).toBe(1);

			const retried = await retryExecution(first, { crashed: true });
			expect(retried.error?.message).toBe(first.error?.message);
			expect(await sentOn(sandbox(), op.route)).toBe(1);
			const effects = await prepared.effects();
			expect(effects).toBe(1);
			record(op, WORKER_KILLED, 'execution Retry without the journal', effects);
			record(op, 'execution Retry', 'charge made, another item failed', effects);
		},
	);

	it.each(ONCE.filter(isCharge).map((op) => [op.name, op] as const))(
		'%s: a re-run with a changed item (a fresh timestamp) reads the paid transaction and does not charge again',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox());
			const parameters = { ...prepared.parameters, sessionId: '={{ $json.sid }}' };
			const sid = String(prepared.parameters.sessionId);
			const first = await runOttu({
				parameters,
				items: [{ sid, at: '2026-12-07T08:00:00Z' }],
				credentials: apiKeyCredentials(sandbox()),
			});
			expect(first.error).toBeUndefined();
			const again = await runOttu({
				parameters,
				items: [{ sid, at: '2026-12-07T08:05:00Z' }],
				credentials: apiKeyCredentials(sandbox()),
			});
			expect(again.error).toBeUndefined();
			expect(again.items[0].json).toMatchObject({ outcome_settled_by: 'lookup' });
			expect(await sentOn(sandbox(), op.route)).toBe(1);
			const effects = await prepared.effects();
			expect(effects).toBe(1);
			record(op, 're-run with a changed item', 'a new run of a paid session', effects);
		},
	);

	it.each(TRACKED.map((op) => [op.name, op] as const))(
		'%s: repeated with the same Tracking-Key, Ottu answers with the operation made before the crash',
		async (_name, op) => {
			const prepared = await op.prepare(sandbox());
			const first = await answeredThenRefused(op, prepared);
			expect(await prepared.effects()).toBe(1);
			const retried = await retryExecution(first, { crashed: true });
			expect(retried.error).toBeUndefined();
			expect(retried.items.map((i) => i.json.replayed)).toEqual([true, true]);
			const effects = await prepared.effects();
			expect(effects).toBe(1);
			record(op, WORKER_KILLED, 'execution Retry without the journal', effects);
		},
	);

	it('items sent side by side (Concurrency 8) are each remembered: none is sent again after the crash', async () => {
		const op = OPERATIONS.find((o) => o.name === 'Notification → Send Template')!;
		const prepared = await op.prepare(sandbox());
		const to = (i: number) => `+9655000${String(i).padStart(4, '0')}`;
		// The last of 12 is refused, so the run fails after the other 11 were sent.
		await addFault(sandbox(), { route: op.route, kind: 'status', status: 400, skip: 11, count: 1 });
		const first = await runOttu({
			parameters: {
				...prepared.parameters,
				to: '={{ $json.to }}',
				options: { concurrency: 8 },
			},
			items: Array.from({ length: 12 }, (_, i) => ({ to: to(i) })),
			credentials: apiKeyCredentials(sandbox()),
		});
		expect(first.error?.message).toMatch(/\[item \d+\]$/);
		const sent = sandbox().store.notifications.length;
		expect(sent).toBe(11);
		const retried = await retryExecution(first, { crashed: true });
		expect(retried.error?.message).toBe(`${SENT_BEFORE} [item 0]`);
		expect(sandbox().store.notifications).toHaveLength(sent);
	});

	it('two executions of one workflow sending at the same time each keep their records', async () => {
		const op = OPERATIONS.find((o) => o.name === 'Notification → Send Template')!;
		const prepared = await op.prepare(sandbox());
		const run = async (first: number) =>
			await runOttu({
				parameters: { ...prepared.parameters, to: '={{ $json.to }}', options: { concurrency: 4 } },
				items: Array.from({ length: 6 }, (_, i) => ({ to: `+9655100${first + i}` })),
				credentials: apiKeyCredentials(sandbox()),
				workflowId: 'wf-side-by-side',
			});
		// As a webhook burst runs one workflow in several executions at once (regular mode, or one worker).
		const [a, b] = await Promise.all([run(100), run(200)]);
		expect([a.error, b.error]).toEqual([undefined, undefined]);
		expect(await prepared.effects()).toBe(12);
		for (const finished of [a, b]) {
			const retried = await retryCrashedMidNode(finished);
			expect(retried.error?.message).toBe(`${SENT_BEFORE} [item 0]`);
		}
		expect(await prepared.effects()).toBe(12);
	});

	it('a fresh run of the workflow (not a retry) still sends what an earlier execution sent', async () => {
		const op = OPERATIONS.find((o) => o.name === 'Notification → Send Template')!;
		const prepared = await op.prepare(sandbox());
		const first = await runOttu({
			parameters: prepared.parameters,
			credentials: apiKeyCredentials(sandbox()),
		});
		expect(first.error).toBeUndefined();
		const again = await runOttu({
			parameters: prepared.parameters,
			credentials: apiKeyCredentials(sandbox()),
			workflowId: first.workflow.id,
		});
		expect(again.error).toBeUndefined();
		expect(await prepared.effects()).toBe(2);
	});
});
