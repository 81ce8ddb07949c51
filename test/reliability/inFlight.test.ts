/**
 * A refund still being carried out when the node gave up on it (the sandbox's `slow_work` fault: the key is
 * stored, then the work is slow): the node's repeat with the same Tracking-Key is told the operation is still
 * in flight (`operation_tracking`), waits and asks again, and ends with Ottu's replay of the one refund,
 * instead of failing or refunding twice.
 */
import type { Sandbox } from '../../sandbox/server';
import { RETRY_LIMITS } from '../../nodes/Ottu/transport';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, sandboxClient, startSandbox } from '../helpers/sandbox';
import {
	addFault,
	clearFaults,
	Figures,
	ledgerOf,
	paidTransaction,
	reset,
	useFastBackoff,
} from './support';

const figures = new Figures('in-flight');
const rows: Array<Record<string, unknown>> = [];
afterAll(() => {
	figures.set('rows', rows);
	figures.save();
});

describe('an operation still in flight after the node gave up', () => {
	let sandbox: Sandbox;
	useFastBackoff();
	const saved = RETRY_LIMITS.inFlightDelayMs;
	beforeAll(async () => {
		sandbox = await startSandbox();
		RETRY_LIMITS.inFlightDelayMs = 200;
	});
	afterAll(async () => {
		RETRY_LIMITS.inFlightDelayMs = saved;
		await sandbox.close();
	});
	beforeEach(async () => {
		await clearFaults(sandbox);
		await reset(sandbox);
	});

	it.each(['refund', 'capture', 'void'] as const)(
		'a %s that completes after the timeout: the node waits, asks again, and reports the one operation',
		async (operation) => {
			const sid =
				operation === 'refund'
					? await paidTransaction(sandbox, { amount: '10.000' })
					: await paidTransaction(
							sandbox,
							{ amount: '10.000', pg_codes: ['mpgs-auth'] },
							'authorized',
						);
			await addFault(sandbox, {
				route: 'POST /b/pbl/v2/operation/',
				kind: 'slow_work',
				ms: 2000,
				count: 1,
			});
			const { items, error } = await runOttu({
				parameters: {
					resource: 'paymentOperation',
					operation,
					identifyBy: 'sessionId',
					sessionId: sid,
					...(operation === 'void' ? {} : { amount: '4' }),
					options: { timeout: 1000 },
				},
				credentials: apiKeyCredentials(sandbox),
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ replayed: true, replay_cause: 'lost_answer' });
			const book = await ledgerOf(sandbox, sid);
			expect(book.operations.filter((o) => o.operation === operation)).toHaveLength(1);
			// At least one repeat was answered "still in flight" (400) before the replay.
			const log = await sandboxClient(sandbox).requests();
			const inFlight = log.filter((r) => r.path === '/b/pbl/v2/operation/' && r.status === 400);
			expect(inFlight.length).toBeGreaterThanOrEqual(1);
			figures.count('answers "still in flight" waited out', inFlight.length);
			figures.count('operations completed after the client gave up');
			figures.count('duplicates', book.operations.length - 1);
			rows.push({
				operation: `Payment Operation → ${operation[0].toUpperCase()}${operation.slice(1)}`,
				path: 'node Retry On Fail',
				fault: 'still in flight when the node asked again',
				duplicates: book.operations.length - 1,
				lost: items.length === 1 ? 0 : 1,
			});
		},
	);
});
