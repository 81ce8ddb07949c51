/**
 * Every workflow in examples/ runs in the real n8n against the sandbox, and its effect is checked on the
 * sandbox side (the transactions it holds, the requests it received), not only in n8n's output.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import type { N8nApi, WorkflowFile } from '../scripts/dev/n8nApi';
import { EXAMPLES_DIR } from '../scripts/dev/provision';
import {
	callWebhook,
	executionError,
	executionsOf,
	nodeBinaries,
	nodeOutput,
	runManually,
	waitForExecution,
	waitForExecutionCount,
} from './helpers/n8n';
import type { PaymentLinkRow } from './helpers/dataTable';
import { clearTable, paymentLinksTable, tableRows } from './helpers/dataTable';
import type { LoggedRequest } from './helpers/sandbox';
import {
	addFault,
	clearFaults,
	ottu,
	paySession,
	requestLog,
	resetSandbox,
	sandboxClient,
} from './helpers/sandbox';
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
		it('the Ottu Report Trigger emits the newest finished daily report with its file, and the workflow saves it', async () => {
			const client = sandboxClient(state);
			// A weekly report, newer than the daily one: the trigger's filters leave it out.
			await client.seedReports({
				report_name: 'E2E daily report',
				interval: 'daily',
				source: 'auto',
				status: 'finished',
				size_bytes: 50_000,
				days_ago: 0,
			});
			await client.seedReports({
				report_name: 'E2E weekly report',
				interval: 'weekly',
				source: 'auto',
				status: 'finished',
				size_bytes: 1_000,
				days_ago: 0,
			});
			const filesDir = path.join(state.userFolder, 'files');
			const before = new Set(fs.existsSync(filesDir) ? fs.readdirSync(filesDir) : []);

			const id = await runManually(
				api,
				state.workflows['daily-report-download.json'],
				'New daily report from Ottu',
			);
			const execution = await waitForExecution(api, id);
			expect(executionError(execution)).toBeUndefined();
			expect(execution.status).toBe('success');
			const emitted = nodeOutput(execution, 'New daily report from Ottu');
			expect(emitted).toHaveLength(1);
			expect(emitted[0]).toMatchObject({ report_name: 'E2E daily report' });
			expect(nodeBinaries(execution, 'New daily report from Ottu')[0].data).toMatchObject({
				mimeType: 'text/csv',
				fileName: 'E2E_daily_report.csv',
			});

			const written = fs.readdirSync(filesDir).filter((f) => !before.has(f));
			expect(written).toHaveLength(1);
			expect(written[0]).toMatch(/^ottu-daily-report-\d{4}-\d{2}-\d{2}-[A-Za-z0-9_-]+\.csv$/);
			expect(fs.statSync(path.join(filesDir, written[0])).size).toBe(50_000);
			const downloads = (await requestLog(state)).filter((r) =>
				/\/b\/api\/v1\/reports\/files\/[^/]+\/download\/$/.test(r.path),
			);
			expect(downloads.map((d) => d.status)).toEqual([200]);
		});
		it('published (polling every minute), it skips the reports that existed and starts once for a report finished later', async () => {
			const workflowId = state.workflows['daily-report-download.json'];
			const client = sandboxClient(state);
			await client.seedReports({
				report_name: 'E2E old daily report',
				interval: 'daily',
				source: 'auto',
				status: 'finished',
				size_bytes: 2_000,
				days_ago: 1,
			});
			const filesDir = path.join(state.userFolder, 'files');
			const before = new Set(fs.existsSync(filesDir) ? fs.readdirSync(filesDir) : []);
			// The example checks every hour; its copy here every minute, so the test waits one poll, not an hour.
			const stored = await api.call<WorkflowFile>('GET', `/api/v1/workflows/${workflowId}`);
			await api.call('PUT', `/api/v1/workflows/${workflowId}`, {
				name: stored.name,
				connections: stored.connections,
				settings: { executionOrder: 'v1' },
				nodes: stored.nodes.map((n) =>
					n.type === 'n8n-nodes-ottu.ottuReportTrigger'
						? {
								...n,
								parameters: { ...n.parameters, pollTimes: { item: [{ mode: 'everyMinute' }] } },
							}
						: n,
				),
			});
			await api.activateWorkflow(workflowId);
			try {
				const lists = async () =>
					(await requestLog(state)).filter(
						(r) => r.method === 'GET' && r.path === '/b/api/v1/reports/files/',
					).length;
				const until = async (what: string, done: () => Promise<boolean>) => {
					const deadline = Date.now() + 90_000;
					while (!(await done())) {
						if (Date.now() > deadline) throw new Error(`waited 90 s for ${what}`);
						await new Promise((r) => setTimeout(r, 500));
					}
				};
				await until('the first poll', async () => (await lists()) >= 1);
				const polled = await lists();
				await client.seedReports({
					report_name: 'E2E new daily report',
					interval: 'daily',
					source: 'auto',
					status: 'finished',
					size_bytes: 3_000,
					days_ago: 0,
				});
				const triggered = async () =>
					(await executionsOf(api, workflowId)).filter((e) => e.mode === 'trigger');
				await until('a poll after the new report', async () => (await triggered()).length >= 1);
				const execution = await waitForExecution(api, (await triggered())[0].id);
				expect(executionError(execution)).toBeUndefined();
				expect(
					nodeOutput(execution, 'New daily report from Ottu').map((r) => r.report_name),
				).toEqual(['E2E new daily report']);
				const written = fs.readdirSync(filesDir).filter((f) => !before.has(f));
				expect(written).toEqual([
					expect.stringMatching(/^ottu-daily-report-\d{4}-\d{2}-\d{2}-[A-Za-z0-9_-]+\.csv$/),
				]);
				expect(fs.statSync(path.join(filesDir, written[0])).size).toBe(3_000);
				expect(await lists()).toBeGreaterThan(polled);
				expect(await triggered()).toHaveLength(1);

				// n8n off for a few days: four reports of the same name wait, and are caught up in one poll.
				await api.call('POST', `/api/v1/workflows/${workflowId}/deactivate`);
				const beforeCatchUp = new Set(fs.readdirSync(filesDir));
				for (const [days, size] of [
					[2, 2_100],
					[1, 2_200],
					[0, 2_300],
					[0, 2_400],
				]) {
					await client.seedReports({
						report_name: 'E2E catch-up',
						interval: 'daily',
						source: 'auto',
						status: 'finished',
						size_bytes: size,
						days_ago: days,
					});
				}
				await api.activateWorkflow(workflowId);
				await until('the catch-up', async () => (await triggered()).length >= 2);
				const caughtUp = await waitForExecution(api, (await triggered())[0].id);
				expect(executionError(caughtUp)).toBeUndefined();
				const caught = nodeOutput(caughtUp, 'New daily report from Ottu');
				expect(caught.map((r) => r.report_name)).toEqual(Array(4).fill('E2E catch-up'));
				const saved = fs.readdirSync(filesDir).filter((f) => !beforeCatchUp.has(f));
				expect(saved).toHaveLength(4);
				expect(saved.map((f) => fs.statSync(path.join(filesDir, f)).size).sort()).toEqual([
					2_100, 2_200, 2_300, 2_400,
				]);
			} finally {
				await api.call('POST', `/api/v1/workflows/${workflowId}/deactivate`);
			}
		}, 240_000);
	});

	describe('invoice-pdf-payment-link.json', () => {
		/** A minimal PDF, served as an accounting system would serve an invoice. */
		const PDF = Buffer.from(
			'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
		);
		let server: http.Server;
		let invoiceUrl: string;

		beforeAll(async () => {
			server = http.createServer((req, res) => {
				if (req.url !== '/invoices/INV-3001.pdf') {
					res.writeHead(404).end();
					return;
				}
				res.writeHead(200, {
					'content-type': 'application/pdf',
					'content-disposition': 'attachment; filename="INV-3001.pdf"',
					'content-length': PDF.length,
				});
				res.end(PDF);
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			invoiceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/invoices/INV-3001.pdf`;
		});

		afterAll(async () => {
			await new Promise((resolve) => server.close(resolve));
		});

		it('creates a payment link with the invoice PDF attached and writes the email with the link', async () => {
			const res = await callWebhook(state, 'ottu-invoice-link', {
				invoice_url: invoiceUrl,
				amount: '25',
				order_no: 'INV-3001',
				customer_email: 'fatima@example.com',
				customer_name: 'Fatima',
			});
			expect(res.status).toBe(200);
			const email = res.body as Record<string, string>;
			expect(email.to).toBe('fatima@example.com');
			expect(email.subject).toBe('Invoice INV-3001: 25.000 KWD');
			expect(email.text).toContain(email.checkout_url);
			expect(email.text).toMatch(/^Dear Fatima,/);

			// Upload first, then the create that points at the uploaded file.
			const sent = (await requestLog(state)).filter((r) => r.method === 'POST');
			expect(sent.map((r) => [r.path, r.status])).toEqual([
				['/b/checkout/v1/upload-attachment/', 200],
				['/b/checkout/v1/pymt-txn/', 201],
			]);

			const txn = await ottu<Txn & { attachment?: string }>(
				state,
				'GET',
				`/b/checkout/v1/pymt-txn/${email.session_id}/`,
			);
			expect(txn.body).toMatchObject({ order_no: 'INV-3001', amount: '25.000', state: 'created' });
			expect(txn.body.attachment).toMatch(/\/media\/attachments\/INV-3001[^/]*\.pdf$/);
			expect(email.attachment).toBe(txn.body.attachment);
			const file = await fetch(txn.body.attachment!);
			expect(file.status).toBe(200);
			expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);

			// The customer sees the attachment on the hosted payment page.
			const page = await (await fetch(email.checkout_url)).text();
			const link = /<a id="attachment" href="([^"]+)">([^<]+)<\/a>/.exec(page);
			expect(link?.[1].replace(/&amp;/g, '&')).toBe(txn.body.attachment);
			expect(link?.[2]).toMatch(/^INV-3001.*\.pdf$/);
		});
	});

	describe('payment-links-recorded.json + payment-links-reconcile.json', () => {
		const recordedFile = 'payment-links-recorded.json';
		const recorded = JSON.parse(
			fs.readFileSync(path.join(EXAMPLES_DIR, recordedFile), 'utf8'),
		) as WorkflowFile;
		const trigger = recorded.nodes.find((n) => n.type === 'n8n-nodes-ottu.ottuTrigger')!;
		let tableId: string;

		beforeEach(async () => {
			tableId = await paymentLinksTable(api);
			await clearTable(api, tableId);
		});

		async function rowOf(orderNo: string): Promise<PaymentLinkRow | undefined> {
			return (await tableRows(api, tableId)).find((r) => r.order_no === orderNo);
		}

		async function waitForRowState(orderNo: string, wanted: string): Promise<PaymentLinkRow> {
			const deadline = Date.now() + 30_000;
			for (;;) {
				const row = await rowOf(orderNo);
				if (row?.state === wanted) return row;
				if (Date.now() > deadline)
					throw new Error(`row ${orderNo} is ${JSON.stringify(row)}, expected state ${wanted}`);
				await new Promise((r) => setTimeout(r, 250));
			}
		}

		it('records each link; the webhook marks it paid; with the trigger stopped, the reconcile run catches the payment', async () => {
			const workflowId = state.workflows[recordedFile];
			const triggerUrl = `${state.n8nUrl}/webhook/${String(trigger.webhookId)}/webhook`;
			const create = async (orderNo: string) => {
				const res = await callWebhook(state, 'ottu-recorded-link', {
					amount: '10',
					order_no: orderNo,
					customer_email: 'noor@example.com',
					webhook_url: triggerUrl,
				});
				expect(res.status).toBe(200);
				return res.body as { session_id: string; checkout_url: string };
			};

			// While n8n listens: recorded as created, then marked paid by Ottu's webhook.
			const first = await create('E2E-REC-1');
			expect(await rowOf('E2E-REC-1')).toMatchObject({
				session_id: first.session_id,
				checkout_url: first.checkout_url,
				amount: '10.000',
				currency_code: 'KWD',
				customer_email: 'noor@example.com',
				state: 'created',
			});
			const delivered = await paySession(state, first.session_id, 'paid');
			expect(delivered.webhook_delivery?.status).toBe(200);
			expect((await waitForRowState('E2E-REC-1', 'paid')).checked_at).toBeTruthy();

			// The trigger is stopped: the webhook of the second payment is lost for good.
			const second = await create('E2E-REC-2');
			await api.call('POST', `/api/v1/workflows/${workflowId}/deactivate`);
			try {
				// n8n stops listening shortly after the call answers: an unsigned POST, refused with 401 while
				// the trigger listens, is answered 404 once it stopped.
				const stopBy = Date.now() + 30_000;
				for (;;) {
					const probe = await fetch(triggerUrl, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: '{}',
					});
					if (probe.status === 404) break;
					if (Date.now() > stopBy) throw new Error(`the trigger still answers ${probe.status}`);
					await new Promise((r) => setTimeout(r, 250));
				}
				const lost = await paySession(state, second.session_id, 'paid');
				expect(lost.webhook_delivery?.url).toBe(triggerUrl);
				expect(lost.webhook_delivery?.status).toBe(404);
				expect((await rowOf('E2E-REC-2'))?.state).toBe('created');

				const logBefore = (await requestLog(state)).length;
				const id = await runManually(
					api,
					state.workflows['payment-links-reconcile.json'],
					'Every 30 minutes',
				);
				const execution = await waitForExecution(api, id);
				expect(executionError(execution)).toBeUndefined();
				expect(execution.status).toBe('success');
				// Only the open row is asked about, with Payment Transaction → Get (no inquiry).
				expect(nodeOutput(execution, 'Links not settled yet').map((r) => r.order_no)).toEqual([
					'E2E-REC-2',
				]);
				const asked = (await requestLog(state)).slice(logBefore);
				expect(asked.map((r) => [r.method, r.path, r.status])).toEqual([
					['GET', `/b/checkout/v1/pymt-txn/${second.session_id}/`, 200],
				]);
				const row = await rowOf('E2E-REC-2');
				expect(row).toMatchObject({ session_id: second.session_id, state: 'paid' });
				expect(Number.isNaN(Date.parse(String(row?.checked_at)))).toBe(false);
				expect((await rowOf('E2E-REC-1'))?.state).toBe('paid');
				expect((await tableRows(api, tableId)).length).toBe(2);

				// A second reconcile finds nothing open and asks Ottu nothing.
				const logBeforeAgain = (await requestLog(state)).length;
				const again = await waitForExecution(
					api,
					await runManually(
						api,
						state.workflows['payment-links-reconcile.json'],
						'Every 30 minutes',
					),
				);
				expect(again.status).toBe('success');
				expect((await requestLog(state)).slice(logBeforeAgain)).toEqual([]);
			} finally {
				await api.activateWorkflow(workflowId);
			}
		});
	});

	describe('bulk-payment-links.json', () => {
		const CREATE = 'POST /b/checkout/v1/pymt-txn/';
		const isCreate = (r: LoggedRequest) =>
			r.method === 'POST' && r.path === '/b/checkout/v1/pymt-txn/';

		it('500 links at Concurrency 8: a run failed half-way and its re-run leave 500 links, none twice', async () => {
			const tableId = await paymentLinksTable(api);
			await clearTable(api, tableId);
			const workflowId = state.workflows['bulk-payment-links.json'];
			// Ottu throttles the first 16 creates (429, Retry-After 1 s), and each create takes 60 ms.
			await addFault(state, { route: CREATE, kind: 'rate_limit', retry_after: 1, count: 16 });
			await addFault(state, { route: CREATE, kind: 'latency', ms: 60 });

			const t0 = Date.now();
			const firstId = await runManually(api, workflowId, 'Run it');
			// Half-way, Ottu starts failing every create (503), as an outage would.
			const deadline = Date.now() + 180_000;
			while (
				(await requestLog(state)).filter((r) => isCreate(r) && r.status === 201).length < 200
			) {
				if (Date.now() > deadline) throw new Error('the bulk run did not reach 200 links');
				await new Promise((r) => setTimeout(r, 100));
			}
			await clearFaults(state);
			await addFault(state, {
				route: CREATE,
				kind: 'status',
				status: 503,
				body: { detail: 'Service temporarily unavailable' },
			});
			const first = await waitForExecution(api, firstId, 300_000);
			const firstSeconds = (Date.now() - t0) / 1000;
			expect(first.status).toBe('error');
			expect(executionError(first)).toMatch(
				/^\d+ invoice\(s\) got no payment link, e\.g\. Ottu refused the request \(HTTP 503\).*run the workflow again to create the rest\.$/,
			);
			const afterFirst = await requestLog(state);
			const createdFirst = afterFirst.filter((r) => isCreate(r) && r.status === 201).length;
			expect(afterFirst.filter((r) => isCreate(r) && r.status === 429)).toHaveLength(16);
			expect(createdFirst).toBeGreaterThanOrEqual(200);
			expect(createdFirst).toBeLessThan(500);
			// Every link the failed run created is recorded, and only those.
			expect(await tableRows(api, tableId)).toHaveLength(createdFirst);

			await clearFaults(state);
			const t1 = Date.now();
			const second = await waitForExecution(
				api,
				await runManually(api, workflowId, 'Run it'),
				300_000,
			);
			const secondSeconds = (Date.now() - t1) / 1000;
			expect(executionError(second)).toBeUndefined();
			expect(second.status).toBe('success');
			expect(nodeOutput(second, 'Skip invoices already linked')).toHaveLength(500 - createdFirst);

			// 500 creates answered 201 in all, and 500 rows with 500 different order numbers, each row's
			// session holding that order number: no invoice got two links.
			const creates = (await requestLog(state)).filter((r) => isCreate(r) && r.status === 201);
			expect(creates).toHaveLength(500);
			const rows = await tableRows(api, tableId);
			expect(rows).toHaveLength(500);
			const orderNos = rows.map((r) => String(r.order_no)).sort();
			expect(orderNos).toEqual(
				Array.from({ length: 500 }, (_, i) => `BULK-${String(i + 1).padStart(4, '0')}`),
			);
			expect(new Set(rows.map((r) => r.session_id)).size).toBe(500);
			const client = sandboxClient(state);
			for (let i = 0; i < rows.length; i += 50) {
				const ledgers = await Promise.all(
					rows.slice(i, i + 50).map((r) => client.ledger(String(r.session_id))),
				);
				ledgers.forEach((l, j) =>
					expect([l.order_no, l.state]).toEqual([rows[i + j].order_no, 'created']),
				);
			}
			const nodeSeconds = Object.entries(second.data?.resultData.runData ?? {}).map(
				([node, runs]) =>
					`${node} ${(runs.reduce((sum, run) => sum + Number((run as { executionTime?: number }).executionTime ?? 0), 0) / 1000).toFixed(1)} s`,
			);
			console.log(
				`[e2e] bulk: first run ${firstSeconds.toFixed(1)} s (${createdFirst} links, then 503s), re-run ${secondSeconds.toFixed(1)} s (${500 - createdFirst} links; ${nodeSeconds.join(', ')}), 16 × 429 waited out`,
			);
		}, 420_000);
	});
});
