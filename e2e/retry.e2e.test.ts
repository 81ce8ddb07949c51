/**
 * n8n's own retry machinery in a real n8n: Retry On Fail on the Ottu node, then the Executions list's Retry
 * (POST /rest/executions/<id>/retry) of the failed execution. A template message Ottu accepted for the first
 * item is sent once, whichever of them runs the node again; only the refused second item is sent again.
 */
import type { N8nApi } from '../scripts/dev/n8nApi';
import {
	executionError,
	executionsOf,
	nodeOutput,
	runManually,
	waitForExecution,
} from './helpers/n8n';
import { addFault, clearFaults, requestLog, resetSandbox } from './helpers/sandbox';
import type { E2eState } from './helpers/state';
import { ownerApi, readState } from './helpers/state';

const ROUTE = 'POST /b/pbl/v2/send-notification/';

describe('Retry On Fail and the execution Retry in a real n8n', () => {
	let state: E2eState;
	let api: N8nApi;

	beforeAll(async () => {
		state = readState();
		api = await ownerApi(state);
	});

	beforeEach(async () => {
		await resetSandbox(state);
	});

	it('send each template message once: the answered item is not sent again, the refused one is', async () => {
		const workflowId = await api.createWorkflow({
			name: 'E2E retry: two template messages',
			nodes: [
				{
					name: 'Run it',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					name: 'Two customers',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [200, 0],
					parameters: {
						jsCode: "return [{ json: { to: '+96550000001' } }, { json: { to: '+96550000002' } }];",
					},
				},
				{
					name: 'Remind',
					type: 'n8n-nodes-ottu.ottu',
					typeVersion: 1,
					position: [400, 0],
					retryOnFail: true,
					maxTries: 2,
					waitBetweenTries: 10,
					parameters: {
						resource: 'notification',
						operation: 'sendTemplate',
						channel: 'sms',
						templateId: 'payment-reminder',
						to: '={{ $json.to }}',
					},
					credentials: { ottuApi: { id: state.credentialId, name: 'Ottu Sandbox' } },
				},
			],
			connections: {
				'Run it': { main: [[{ node: 'Two customers', type: 'main', index: 0 }]] },
				'Two customers': { main: [[{ node: 'Remind', type: 'main', index: 0 }]] },
			},
		});
		// The first message passes; the second is refused on both tries of Retry On Fail.
		await addFault(state, {
			route: ROUTE,
			kind: 'status',
			status: 400,
			body: { detail: 'Refused for the test.' },
			skip: 1,
			count: 2,
		});
		const failed = await waitForExecution(api, await runManually(api, workflowId, 'Run it'));
		expect(failed.status).toBe('error');
		expect(executionError(failed)).toContain('Refused for the test.');
		const sent = async () =>
			(await requestLog(state)).filter(
				(r) => r.method === 'POST' && r.path === '/b/pbl/v2/send-notification/',
			);
		// Item 0 once, item 1 on each of the two tries.
		expect((await sent()).map((r) => r.status)).toEqual([200, 400, 400]);

		await clearFaults(state);
		await api.call('POST', `/rest/executions/${failed.id}/retry`, { loadWorkflow: false });
		const retry = (await executionsOf(api, workflowId)).find((e) => e.id !== failed.id);
		expect(retry).toBeDefined();
		const done = await waitForExecution(api, retry!.id);
		expect(done.status).toBe('success');
		expect(nodeOutput(done, 'Remind').map((o) => o.to)).toEqual(['+96550000001', '+96550000002']);
		// Only item 1 was sent again, and accepted: two messages in all, one per customer.
		expect((await sent()).map((r) => r.status)).toEqual([200, 400, 400, 200]);
	});
});
