/**
 * Every workflow in examples/ runs in the real n8n against the sandbox, and its effect is checked on the
 * sandbox side (the transactions it holds, the requests it received), not only in n8n's output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nApi } from '../scripts/dev/n8nApi';
import { EXAMPLES_DIR } from '../scripts/dev/provision';
import {
	callWebhook,
	executionError,
	nodeBinaries,
	nodeOutput,
	runManually,
	waitForExecution,
	waitForExecutionCount,
} from './helpers/n8n';
import { ottu, requestLog, resetSandbox, sandboxClient } from './helpers/sandbox';
import type { E2eState } from './helpers/state';
import { ownerApi, readState } from './helpers/state';

const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));

interface Txn {
	session_id: string;
	amount: string;
	currency_code: string;
	order_no?: string;
	state: string;
	checkout_url: string;
	customer_email?: string;
	webhook_url?: string;
}

describe('example workflows in a real n8n', () => {
	let state: E2eState;
	let api: N8nApi;

	beforeAll(async () => {
		state = readState();
		api = await ownerApi(state);
	});

	beforeEach(async () => {
		await resetSandbox(state);
	});

	it('imports every example (none left out for a missing node type)', () => {
		expect(state.skipped).toEqual([]);
		expect(Object.keys(state.workflows).sort()).toEqual([...EXAMPLES].sort());
	});

	it('every example is valid workflow JSON using only the package credential "Ottu Sandbox"', () => {
		for (const file of EXAMPLES) {
			const wf = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
			expect(typeof wf.name).toBe('string');
			for (const node of wf.nodes) {
				for (const [type, ref] of Object.entries(node.credentials ?? {})) {
					expect({ file, node: node.name, type, name: (ref as { name: string }).name }).toEqual({
						file,
						node: node.name,
						type: 'ottuApi',
						name: 'Ottu Sandbox',
					});
				}
			}
		}
	});

	describe('create-payment-link.json', () => {
		const workflowFile = 'create-payment-link.json';

		it('answers the webhook with the checkout_url of a transaction that now exists in Ottu', async () => {
			const res = await callWebhook(state, 'ottu-payment-link', {
				amount: '12.5',
				currency_code: 'KWD',
				order_no: 'E2E-LINK-1',
				customer_email: 'customer@example.com',
			});
			expect(res.status).toBe(200);
			const body = res.body as { checkout_url: string; session_id: string; amount: string };
			expect(body.checkout_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
			expect(body.amount).toBe('12.500');

			const txn = await ottu<Txn>(state, 'GET', `/b/checkout/v1/pymt-txn/${body.session_id}/`);
			expect(txn.status).toBe(200);
			expect(txn.body).toMatchObject({
				amount: '12.500',
				currency_code: 'KWD',
				order_no: 'E2E-LINK-1',
				checkout_url: body.checkout_url,
			});
			const creates = (await requestLog(state)).filter(
				(r) => r.method === 'POST' && r.path === '/b/checkout/v1/pymt-txn/',
			);
			expect(creates).toHaveLength(1);

			const execution = await waitForExecutionCount(api, state.workflows[workflowFile], 1);
			expect(execution.status).toBe('success');
		});

		it('answers 422 with a plain-words reason for a bad amount and sends nothing to Ottu', async () => {
			const res = await callWebhook(state, 'ottu-payment-link', {
				amount: '12.3456',
				currency_code: 'KWD',
				order_no: 'E2E-LINK-2',
			});
			expect(res.status).toBe(422);
			const body = res.body as { error: string; hint: string };
			expect(body.error).toBe('Amount "12.3456" has 4 decimal places but KWD allows 3 [item 0]');
			expect(body.hint).toMatch(/Nothing was sent to Ottu/);
			const creates = (await requestLog(state)).filter(
				(r) => r.path === '/b/checkout/v1/pymt-txn/',
			);
			expect(creates).toEqual([]);
		});
	});

	describe('bulk-payment-links.json', () => {
		it('creates one payment link per customer in the list, each with its own order_no and amount', async () => {
			const id = await runManually(api, state.workflows['bulk-payment-links.json'], 'Run it');
			const execution = await waitForExecution(api, id);
			expect(executionError(execution)).toBeUndefined();
			expect(execution.status).toBe('success');
			const links = nodeOutput(execution, 'Links to send');
			expect(links.map((l) => [l.customer, l.order_no, l.amount])).toEqual([
				['Fatima Al-Sabah', 'INV-2001', '12.500 KWD'],
				['Yousef Al-Mutairi', 'INV-2002', '7.250 KWD'],
				['Noor Al-Ali', 'INV-2003', '30.000 KWD'],
			]);
			for (const link of links) {
				const txn = await ottu<Txn>(
					state,
					'GET',
					`/b/checkout/v1/pymt-txn/${String(link.session_id)}/`,
				);
				expect(txn.body).toMatchObject({
					order_no: link.order_no,
					customer_email: link.email,
					checkout_url: link.checkout_url,
					state: 'created',
				});
			}
			const creates = (await requestLog(state)).filter(
				(r) => r.method === 'POST' && r.path === '/b/checkout/v1/pymt-txn/',
			);
			expect(creates).toHaveLength(3);
		});
	});
	describe('refund-on-request.json', () => {
		interface Ledger {
			state: string;
			refunded: string;
			operations: Array<{
				operation: string;
				amount: string;
				result: string;
				tracking_key: string | null;
			}>;
		}

		async function paidTransaction(amount: string): Promise<string> {
			const created = await ottu<Txn>(state, 'POST', '/b/checkout/v1/pymt-txn/', {
				type: 'payment_request',
				amount,
				currency_code: 'KWD',
				pg_codes: ['knet-test'],
				order_no: 'E2E-REFUND',
			});
			expect(created.status).toBe(201);
			const paid = await sandboxClient(state).send(
				'POST',
				`/__sandbox/sessions/${created.body.session_id}/pay`,
				{ outcome: 'paid' },
			);
			expect(paid.status).toBe(200);
			return created.body.session_id;
		}

		async function ledger(sessionId: string): Promise<Ledger> {
			return await sandboxClient(state).ledger(sessionId);
		}

		it('refunds once per request_id: a repeated request is answered with the original refund and moves no more money', async () => {
			const sessionId = await paidTransaction('20');
			const first = await callWebhook(state, 'ottu-refund', {
				session_id: sessionId,
				amount: '5',
				request_id: 'RMA-1001',
			});
			expect(first.status).toBe(200);
			expect(first.body).toMatchObject({ result: 'success', tracking_key: 'refund-RMA-1001' });
			expect((await ledger(sessionId)).refunded).toBe('5.000');

			const repeat = await callWebhook(state, 'ottu-refund', {
				session_id: sessionId,
				amount: '5',
				request_id: 'RMA-1001',
			});
			expect(repeat.status).toBe(200);
			expect(repeat.body).toMatchObject({ result: 'success', tracking_key: 'refund-RMA-1001' });
			const afterRepeat = await ledger(sessionId);
			expect(afterRepeat.refunded).toBe('5.000');
			expect(afterRepeat.operations.filter((o) => o.operation === 'refund')).toHaveLength(1);

			const second = await callWebhook(state, 'ottu-refund', {
				session_id: sessionId,
				amount: '2.5',
				request_id: 'RMA-1002',
			});
			expect(second.status).toBe(200);
			const final = await ledger(sessionId);
			expect(final.refunded).toBe('7.500');
			expect(
				final.operations.filter((o) => o.operation === 'refund').map((o) => o.tracking_key),
			).toEqual(['refund-RMA-1001', 'refund-RMA-1002']);
			const sent = (await requestLog(state)).filter((r) => r.path === '/b/pbl/v2/operation/');
			expect(sent).toHaveLength(3);
		});

		it('answers 422 in plain words when the refund is more than was paid, and refunds nothing', async () => {
			const sessionId = await paidTransaction('20');
			const res = await callWebhook(state, 'ottu-refund', {
				session_id: sessionId,
				amount: '25',
				request_id: 'RMA-2001',
			});
			expect(res.status).toBe(422);
			expect(String((res.body as { error: string }).error)).toMatch(/refund/i);
			expect((await ledger(sessionId)).refunded).toBe('0.000');
		});
	});

	describe('daily-report-download.json', () => {
		it("downloads the newest daily report and writes it as a file in n8n's files folder", async () => {
			const seeded = await sandboxClient(state).seedReports({
				report_name: 'E2E daily report',
				interval: 'daily',
				source: 'auto',
				status: 'finished',
				size_bytes: 50_000,
				days_ago: 0,
			});
			expect(seeded.created).toBe(1);
			const filesDir = path.join(state.userFolder, 'files');
			const before = new Set(fs.existsSync(filesDir) ? fs.readdirSync(filesDir) : []);

			const id = await runManually(
				api,
				state.workflows['daily-report-download.json'],
				'Every day at 06:00',
			);
			const execution = await waitForExecution(api, id);
			expect(executionError(execution)).toBeUndefined();
			expect(execution.status).toBe('success');
			const [listed] = nodeOutput(execution, 'Latest daily report');
			expect(listed.report_name).toBe('E2E daily report');
			const [downloaded] = nodeOutput(execution, 'Download the report');
			expect(downloaded).toMatchObject({
				file_name: 'E2E_daily_report.csv',
				mime_type: 'text/csv',
			});
			expect(nodeBinaries(execution, 'Download the report')[0].data).toMatchObject({
				mimeType: 'text/csv',
				fileName: 'E2E_daily_report.csv',
			});

			const written = fs.readdirSync(filesDir).filter((f) => !before.has(f));
			expect(written).toHaveLength(1);
			expect(written[0]).toMatch(/^ottu-report-\d{4}-\d{2}-\d{2}-E2E_daily_report\.csv$/);
			const file = path.join(filesDir, written[0]);
			expect(fs.statSync(file).size).toBe(50_000);
			const downloads = (await requestLog(state)).filter((r) =>
				/\/b\/api\/v1\/reports\/files\/[^/]+\/download\/$/.test(r.path),
			);
			expect(downloads.map((d) => d.status)).toEqual([200]);
		});
	});
});
