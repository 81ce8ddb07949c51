/**
 * The Ottu node in queue mode: executions started on the webhook process run on a worker against the sandbox,
 * and a large report downloaded on a worker in `database` binary mode is served byte for byte by main.
 */
import { createHash } from 'node:crypto';

import type { N8nApi } from '../../scripts/dev/n8nApi';
import type { Execution } from '../helpers/n8n';
import {
	executionError,
	nodeBinaries,
	nodeOutput,
	waitForExecution,
	waitForExecutionCount,
} from '../helpers/n8n';
import { ottu, requestLog, resetSandbox, seedReport } from '../helpers/sandbox';
import {
	chain,
	createActive,
	ottuNode,
	queueOwnerApi,
	readQueueState,
	workersThatStarted,
} from './helpers/queueState';

const state = readQueueState();

function webhookNode(
	name: string,
	urlPath: string,
	responseMode: 'lastNode' | 'onReceived' | 'responseNode',
) {
	return {
		id: `0e2e1111-0000-4000-8000-${Buffer.from(urlPath).toString('hex').slice(0, 12).padEnd(12, '0')}`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0] as [number, number],
		webhookId: `0e2e2222-0000-4000-8000-${Buffer.from(urlPath).toString('hex').slice(0, 12).padEnd(12, '0')}`,
		parameters: { httpMethod: 'POST', path: urlPath, responseMode, options: {} },
	};
}

async function newestExecution(api: N8nApi, workflowId: string): Promise<Execution> {
	return await waitForExecutionCount(api, workflowId, 1, 120_000);
}

describe('Ottu node on n8n workers', () => {
	let api: N8nApi;

	beforeAll(async () => {
		api = await queueOwnerApi(state);
	});

	beforeEach(async () => {
		await resetSandbox(state);
	});

	it('creates a payment link on a worker when the webhook process receives the request, and answers with its result', async () => {
		const res = await fetch(`${state.webhookUrl}/webhook/ottu-payment-link`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				amount: '12.5',
				currency_code: 'KWD',
				order_no: 'QUEUE-A-1',
				customer_email: 'buyer@example.com',
			}),
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as { session_id: string; checkout_url: string; amount: string };
		expect(body.session_id).toMatch(/\w+/);
		expect(body.amount).toBe('12.500');

		const execution = await newestExecution(api, state.workflows['create-payment-link.json']);
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		expect(nodeOutput(execution, 'Create payment link')[0]).toMatchObject({
			session_id: body.session_id,
			order_no: 'QUEUE-A-1',
		});
		// A worker's log says it ran this execution; main and the webhook process only created and queued it.
		expect(workersThatStarted(execution.id)).toHaveLength(1);
		// Ottu (the sandbox) really has it.
		const txn = await ottu<{ order_no: string; state: string }>(
			state,
			'GET',
			`/b/checkout/v1/pymt-txn/${body.session_id}/`,
		);
		expect(txn.body).toMatchObject({ order_no: 'QUEUE-A-1', state: 'created' });
	});

	it('downloads a 40 MB report on a worker into database binary data, and main serves exactly those bytes', async () => {
		const size = 40 * 1024 * 1024;
		await seedReport(state, {
			report_name: 'Queue big report',
			interval: 'daily',
			source: 'auto',
			status: 'finished',
			size_bytes: size,
			days_ago: 0,
		});
		const workflowId = await createActive(
			api,
			chain('Queue: report download', [
				webhookNode('Download requested', 'queue-report', 'onReceived'),
				ottuNode(
					state,
					'Latest daily report',
					{
						resource: 'report',
						operation: 'getAll',
						returnAll: false,
						limit: 1,
						filters: { interval: 'daily', source: 'auto' },
					},
					[240, 0],
				),
				ottuNode(
					state,
					'Download the report',
					{
						resource: 'report',
						operation: 'download',
						report: '={{ $json.download_action }}',
						binaryPropertyName: 'data',
						downloadOptions: {},
					},
					[480, 0],
				),
			]),
			state.webhookUrl,
		);
		const started = await fetch(`${state.webhookUrl}/webhook/queue-report`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(started.status).toBe(200);
		const listed = await waitForExecutionCount(api, workflowId, 1, 120_000);
		const execution = await waitForExecution(api, listed.id, 180_000);
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		expect(workersThatStarted(execution.id)).toHaveLength(1);

		const [binary] = nodeBinaries(execution, 'Download the report');
		expect(binary.data).toMatchObject({ fileName: 'Queue_big_report.csv', mimeType: 'text/csv' });
		const binaryId = String(binary.data.id);
		expect(binaryId).toMatch(/^database:/);

		const res = await fetch(
			`${state.mainUrl}/rest/binary-data?id=${encodeURIComponent(binaryId)}&action=download`,
			{ headers: { cookie: api.cookie } },
		);
		expect(res.status).toBe(200);
		const served = Buffer.from(await res.arrayBuffer());
		expect(served.length).toBe(size);

		// The same report straight from Ottu (the sandbox) for comparison.
		const [download] = (await requestLog(state)).filter((r) =>
			/\/reports\/files\/[^/]+\/download\/$/.test(r.path),
		);
		const direct = await fetch(`${state.sandboxUrl}${download.path}`, {
			headers: { authorization: `Api-Key ${state.keys.apiKey}` },
		});
		expect(direct.status).toBe(200);
		const original = Buffer.from(await direct.arrayBuffer());
		const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
		expect(sha(served)).toBe(sha(original));
	});
});
