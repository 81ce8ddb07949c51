/**
 * A worker killed (SIGKILL, with its task-runner child) while a Refund and a Capture are in flight: the sandbox
 * holds the operation request, commits it, and the worker is gone before the answer. Both ways back end with
 * exactly one refund and one capture in the sandbox's ledger, because the node's automatic Tracking-Key is the
 * same for the same request: retrying the crashed execution (a new worker on the old user folder marks it
 * crashed), and re-sending the request, with a header a proxy added (a new worker on a fresh folder, as a new
 * container would be). Then the same with an Apple Pay charge and a Create, which Ottu does not protect with a
 * Tracking-Key: the retried charge reads the transaction (paid) and does not charge again; the retried Create
 * finds its write in n8n's processed-data store and fails with "check first" instead of creating a second link.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nApi, WorkflowNode } from '../../scripts/dev/n8nApi';
import { applePayToken } from '../../test/helpers/wallets';
import type { QueueProcess } from '../../scripts/dev/queue';
import type { Execution } from '../helpers/n8n';
import { executionError, executionsOf, nodeOutput, waitForExecution } from '../helpers/n8n';
import type { Ledger } from '../helpers/sandbox';
import {
	addFault,
	clearFaults,
	ottu,
	paySession,
	pendingFaults,
	requestLog,
	resetSandbox,
	sessionLedger,
} from '../helpers/sandbox';
import {
	chain,
	createActive,
	killGroup,
	ottuNode,
	QUEUE_E2E_DIR,
	queueOwnerApi,
	readQueueState,
	sleep,
	startExtraProcess,
	stopExtraProcess,
	waitUntilGone,
	workersThatStarted,
} from './helpers/queueState';

const state = readQueueState();
const OPERATION_ROUTE = 'POST /b/pbl/v2/operation/';
const APPLE_PAY_ROUTE = 'POST /b/pbl/v2/payment/apple-pay/';
const CREATE_ROUTE = 'POST /b/checkout/v1/pymt-txn/';
const HOLD_MS = 8000;

function webhookNode(name: string, urlPath: string): WorkflowNode {
	return {
		id: `0e2e5555-0000-4000-8000-${urlPath.length.toString().padStart(12, '0')}`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `0e2e6666-${urlPath
			.slice(-4)
			.padStart(4, '0')
			.replace(/[^0-9a-f]/g, '0')}-4000-8000-000000000000`,
		parameters: { httpMethod: 'POST', path: urlPath, responseMode: 'onReceived', options: {} },
	};
}

/** name -> the process group now running that worker (the originals, then replacements). */
const live = new Map<string, { pid: number; userFolder: string; proc?: QueueProcess }>();
const replacements: QueueProcess[] = [];

describe('a worker killed while a Refund and a Capture are in flight', () => {
	let api: N8nApi;
	const ops = {
		refund: { path: 'queue-refund', workflowId: '' },
		capture: { path: 'queue-capture', workflowId: '' },
	};
	const once = {
		applePay: { path: 'queue-applepay', workflowId: '' },
		create: { path: 'queue-create-link', workflowId: '' },
	};

	beforeAll(async () => {
		api = await queueOwnerApi(state);
		for (const p of state.processes.filter((p) => p.role === 'worker'))
			live.set(p.name, { pid: p.pid, userFolder: p.userFolder });
		for (const [operation, op] of Object.entries(ops)) {
			op.workflowId = await createActive(
				api,
				chain(`Queue: ${operation} (automatic Tracking-Key)`, [
					webhookNode(`${operation} requested`, op.path),
					ottuNode(
						state,
						operation === 'refund' ? 'Refund' : 'Capture',
						{
							resource: 'paymentOperation',
							operation,
							identifyBy: 'sessionId',
							sessionId: '={{ $json.body.session_id }}',
							amount: '={{ $json.body.amount }}',
						},
						[260, 0],
					),
				]),
				state.webhookUrl,
			);
		}
		once.applePay.workflowId = await createActive(
			api,
			chain('Queue: Apple Pay charge', [
				webhookNode('charge requested', once.applePay.path),
				ottuNode(
					state,
					'Apple Pay',
					{
						resource: 'nativePayment',
						operation: 'applePay',
						sessionId: '={{ $json.body.session_id }}',
						payload: JSON.stringify(applePayToken()),
					},
					[260, 0],
				),
			]),
			state.webhookUrl,
		);
		once.create.workflowId = await createActive(
			api,
			chain('Queue: payment link', [
				webhookNode('link requested', once.create.path),
				ottuNode(
					state,
					'Create',
					{
						resource: 'paymentTransaction',
						operation: 'create',
						type: 'e_commerce',
						amount: '={{ $json.body.amount }}',
						currencyCode: 'KWD',
						pgCodes: ['credit-card'],
						orderNo: '={{ $json.body.order_no }}',
					},
					[260, 0],
				),
			]),
			state.webhookUrl,
		);
	});

	afterAll(async () => {
		await clearFaults(state);
		await Promise.all(replacements.map((p) => stopExtraProcess(p)));
	});

	async function transaction(outcome: 'paid' | 'authorized', orderNo: string): Promise<string> {
		const created = await ottu<{ session_id: string }>(state, 'POST', '/b/checkout/v1/pymt-txn/', {
			type: 'payment_request',
			amount: '20',
			currency_code: 'KWD',
			pg_codes: [outcome === 'authorized' ? 'mpgs-auth' : 'knet-test'],
			order_no: orderNo,
		});
		expect(created.status).toBe(201);
		await paySession(state, created.body.session_id, outcome);
		return created.body.session_id;
	}

	async function send(
		op: { path: string },
		body: Record<string, unknown>,
		headers: Record<string, string> = {},
	): Promise<void> {
		const res = await fetch(`${state.webhookUrl}/webhook/${op.path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify(body),
		});
		expect(res.status).toBe(200);
	}

	async function newExecution(workflowId: string, known: Set<string>): Promise<Execution> {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const fresh = (await executionsOf(api, workflowId)).filter((e) => !known.has(e.id));
			if (fresh.length > 0) return fresh[0];
			if (Date.now() > deadline) throw new Error(`no new execution of ${workflowId}`);
			await sleep(200);
		}
	}

	/**
	 * Once every held request reached Ottu (each claimed its latency fault), kills the workers running these
	 * executions and waits until Ottu has carried the requests out; returns the workers' names.
	 */
	async function killWorkersMidRequest(executions: Execution[]): Promise<string[]> {
		const deadline = Date.now() + 60_000;
		while ((await pendingFaults(state)).length > 0) {
			if (Date.now() > deadline) throw new Error('the requests did not reach the sandbox');
			await sleep(100);
		}
		const killed = [
			...new Set(
				executions.flatMap((e) => workersThatStarted(e.id)).map((n) => n.replace(/-r\d+$/, '')),
			),
		];
		expect(killed.length).toBeGreaterThan(0);
		for (const name of killed) killGroup(live.get(name)!.pid);
		for (const name of killed) await waitUntilGone(live.get(name)!.pid);
		await sleep(HOLD_MS + 1000);
		return killed;
	}

	/** Sends a refund and a capture with the operation endpoint held, kills the worker(s) running them mid-request. */
	async function crashMidRequest(
		refundSession: string,
		captureSession: string,
	): Promise<{ refund: Execution; capture: Execution; killed: string[] }> {
		await clearFaults(state);
		await addFault(state, { route: OPERATION_ROUTE, kind: 'latency', ms: HOLD_MS, count: 2 });
		const known = new Set(
			[
				...(await executionsOf(api, ops.refund.workflowId)),
				...(await executionsOf(api, ops.capture.workflowId)),
			].map((e) => e.id),
		);
		await send(ops.refund, { session_id: refundSession, amount: '5' });
		await send(ops.capture, { session_id: captureSession, amount: '15' });
		const refund = await newExecution(ops.refund.workflowId, known);
		const capture = await newExecution(ops.capture.workflowId, known);
		const killed = await killWorkersMidRequest([refund, capture]);
		// Ottu carried both out although nobody heard the answer.
		expect((await sessionLedger(state, refundSession)).refunded).toBe('5.000');
		expect((await sessionLedger(state, captureSession)).captured).toBe('15.000');
		return { refund, capture, killed };
	}

	async function replaceWorker(
		name: string,
		opts: { sameFolder: boolean; round: number },
	): Promise<void> {
		const original = state.processes.find((p) => p.name === name)!;
		// The folder of the worker that died (a replacement may have moved to a fresh one).
		let userFolder = live.get(name)!.userFolder;
		if (!opts.sameFolder) {
			// A new container: a fresh user folder with only the package installed.
			userFolder = path.join(QUEUE_E2E_DIR, `${name}-fresh-${opts.round}`);
			fs.cpSync(
				path.join(original.userFolder, '.n8n', 'nodes'),
				path.join(userFolder, '.n8n', 'nodes'),
				{ recursive: true },
			);
		}
		const proc = await startExtraProcess(state, 'worker', `${name}-r${opts.round}`, { userFolder });
		replacements.push(proc);
		live.set(name, { pid: proc.child.pid!, userFolder, proc });
	}

	async function waitForStatus(id: string, wanted: string, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const res = await api.request<{ status: string }>('GET', `/api/v1/executions/${id}`);
			if (res.status === 200 && res.body.status === wanted) return;
			if (Date.now() > deadline)
				throw new Error(
					`execution ${id} is ${JSON.stringify(res.body?.status)}, not ${wanted}, after ${timeoutMs / 1000} s`,
				);
			await sleep(500);
		}
	}

	function expectOne(ledger: Ledger, operation: string): string {
		const matching = ledger.operations.filter((o) => o.operation === operation);
		expect(matching).toHaveLength(1);
		return String(matching[0].tracking_key);
	}

	/**
	 * The repeat (same Tracking-Key) is answered with the original operation, which Ottu carried out before the
	 * kill: the node reports it replayed, with the operation's own child transaction.
	 */
	function expectReplayOfTheOne(
		output: Record<string, unknown>,
		ledger: Ledger,
		operation: string,
	): void {
		const [original] = ledger.operations.filter((o) => o.operation === operation);
		expect(output).toMatchObject({
			result: 'success',
			replayed: true,
			replay_cause: 'repeated_key',
			session_id: original.child_session_id,
		});
	}

	it('retrying the crashed executions (new worker, same user folder) refunds and captures exactly once', async () => {
		await resetSandbox(state);
		const refundSession = await transaction('paid', 'QUEUE-CRASH-R1');
		const captureSession = await transaction('authorized', 'QUEUE-CRASH-C1');
		const { refund, capture, killed } = await crashMidRequest(refundSession, captureSession);

		await Promise.all(killed.map((name) => replaceWorker(name, { sameFolder: true, round: 1 })));
		// The new worker finds the executions its folder's event log left unfinished and marks them crashed.
		await waitForStatus(refund.id, 'crashed', 120_000);
		await waitForStatus(capture.id, 'crashed', 120_000);

		const outputs: Record<string, unknown>[] = [];
		for (const [execution, node] of [
			[refund, 'Refund'],
			[capture, 'Capture'],
		] as const) {
			const retried = await api.call<{ id: string }>(
				'POST',
				`/rest/executions/${execution.id}/retry`,
				{ loadWorkflow: false },
			);
			const done = await waitForExecution(api, retried.id, 120_000);
			expect(done.status).toBe('success');
			outputs.push(nodeOutput(done, node)[0]);
		}
		const refundLedger = await sessionLedger(state, refundSession);
		expect(refundLedger.refunded).toBe('5.000');
		const refundKey = expectOne(refundLedger, 'refund');
		expectReplayOfTheOne(outputs[0], refundLedger, 'refund');
		const captureLedger = await sessionLedger(state, captureSession);
		expect(captureLedger.captured).toBe('15.000');
		const captureKey = expectOne(captureLedger, 'capture');
		expectReplayOfTheOne(outputs[1], captureLedger, 'capture');
		expect([refundKey, captureKey]).not.toContain('null');
	});

	// The re-send carries a header the first request did not (a proxy's X-Request-Id): the automatic Tracking-Key
	// must not depend on it. Needs the key of branch retry (derived from the operation, not the whole item).
	it('re-sending the requests with an extra header (new worker, fresh user folder) refunds and captures exactly once', async () => {
		await resetSandbox(state);
		const refundSession = await transaction('paid', 'QUEUE-CRASH-R2');
		const captureSession = await transaction('authorized', 'QUEUE-CRASH-C2');
		const { killed } = await crashMidRequest(refundSession, captureSession);
		await Promise.all(killed.map((name) => replaceWorker(name, { sameFolder: false, round: 2 })));

		const known = new Set(
			[
				...(await executionsOf(api, ops.refund.workflowId)),
				...(await executionsOf(api, ops.capture.workflowId)),
			].map((e) => e.id),
		);
		const resent = { 'x-request-id': `resend-${Date.now()}` };
		await send(ops.refund, { session_id: refundSession, amount: '5' }, resent);
		await send(ops.capture, { session_id: captureSession, amount: '15' }, resent);
		const refund = await waitForExecution(
			api,
			(await newExecution(ops.refund.workflowId, known)).id,
			120_000,
		);
		const capture = await waitForExecution(
			api,
			(await newExecution(ops.capture.workflowId, known)).id,
			120_000,
		);
		expect(refund.status).toBe('success');
		expect(capture.status).toBe('success');

		const refundLedger = await sessionLedger(state, refundSession);
		expect(refundLedger.refunded).toBe('5.000');
		expectOne(refundLedger, 'refund');
		expectReplayOfTheOne(nodeOutput(refund, 'Refund')[0], refundLedger, 'refund');
		const captureLedger = await sessionLedger(state, captureSession);
		expect(captureLedger.captured).toBe('15.000');
		expectOne(captureLedger, 'capture');
		expectReplayOfTheOne(nodeOutput(capture, 'Capture')[0], captureLedger, 'capture');
	});
	/** How many requests the sandbox logged on a route. */
	async function logged(route: string): Promise<number> {
		const [method, path] = route.split(' ');
		return (await requestLog(state)).filter((r) => r.method === method && r.path === path).length;
	}

	it('retrying the crashed executions of an Apple Pay charge and a Create charges once and creates once', async () => {
		await resetSandbox(state);
		const created = await ottu<{ session_id: string }>(state, 'POST', '/b/checkout/v1/pymt-txn/', {
			type: 'e_commerce',
			amount: '9.750',
			currency_code: 'KWD',
			pg_codes: ['apple-pay'],
			order_no: 'QUEUE-CRASH-AP',
		});
		expect(created.status).toBe(201);
		const sessionId = created.body.session_id;
		await clearFaults(state);
		await addFault(state, { route: APPLE_PAY_ROUTE, kind: 'latency', ms: HOLD_MS, count: 1 });
		await addFault(state, { route: CREATE_ROUTE, kind: 'latency', ms: HOLD_MS, count: 1 });
		const known = new Set(
			[
				...(await executionsOf(api, once.applePay.workflowId)),
				...(await executionsOf(api, once.create.workflowId)),
			].map((e) => e.id),
		);
		await send(once.applePay, { session_id: sessionId });
		await send(once.create, { order_no: 'QUEUE-CRASH-LINK', amount: '8' });
		const charge = await newExecution(once.applePay.workflowId, known);
		const link = await newExecution(once.create.workflowId, known);
		const killed = await killWorkersMidRequest([charge, link]);
		expect((await sessionLedger(state, sessionId)).state).toBe('paid');
		const charges = await logged(APPLE_PAY_ROUTE);
		const creates = await logged(CREATE_ROUTE);

		await Promise.all(killed.map((name) => replaceWorker(name, { sameFolder: true, round: 3 })));
		await waitForStatus(charge.id, 'crashed', 120_000);
		await waitForStatus(link.id, 'crashed', 120_000);
		const retry = async (id: string) =>
			await waitForExecution(
				api,
				(
					await api.call<{ id: string }>('POST', `/rest/executions/${id}/retry`, {
						loadWorkflow: false,
					})
				).id,
				120_000,
			);
		const charged = await retry(charge.id);
		expect(charged.status).toBe('success');
		expect(nodeOutput(charged, 'Apple Pay')[0]).toMatchObject({
			session_id: sessionId,
			state: 'paid',
			outcome_settled_by: 'lookup',
		});
		const linked = await retry(link.id);
		expect(linked.status).toBe('error');
		expect(executionError(linked)).toContain(
			'Not sent: an earlier execution of this node already sent this same request to Ottu',
		);
		// Neither was sent again.
		expect(await logged(APPLE_PAY_ROUTE)).toBe(charges);
		expect(await logged(CREATE_ROUTE)).toBe(creates);
	});
});
