/**
 * Every workflow in examples/ runs in the real n8n against the sandbox, and its effect is checked on the
 * sandbox side (the transactions it holds, the requests it received), not only in n8n's output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nApi } from '../scripts/dev/n8nApi';
import { EXAMPLES_DIR } from '../scripts/dev/provision';
import { callWebhook, executionError, nodeOutput, runManually, waitForExecution, waitForExecutionCount } from './helpers/n8n';
import { ottu, requestLog, resetSandbox } from './helpers/sandbox';
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
					expect({ file, node: node.name, type, name: (ref as { name: string }).name }).toEqual({ file, node: node.name, type: 'ottuApi', name: 'Ottu Sandbox' });
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
			expect(txn.body).toMatchObject({ amount: '12.500', currency_code: 'KWD', order_no: 'E2E-LINK-1', checkout_url: body.checkout_url });
			const creates = (await requestLog(state)).filter((r) => r.method === 'POST' && r.path === '/b/checkout/v1/pymt-txn/');
			expect(creates).toHaveLength(1);

			const execution = await waitForExecutionCount(api, state.workflows[workflowFile], 1);
			expect(execution.status).toBe('success');
		});

		it('answers 422 with a plain-words reason for a bad amount and sends nothing to Ottu', async () => {
			const res = await callWebhook(state, 'ottu-payment-link', { amount: '12.3456', currency_code: 'KWD', order_no: 'E2E-LINK-2' });
			expect(res.status).toBe(422);
			expect(JSON.stringify(res.body)).toMatch(/amount/i);
			expect(JSON.stringify(res.body)).toMatch(/3/);
			const creates = (await requestLog(state)).filter((r) => r.path === '/b/checkout/v1/pymt-txn/');
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
				const txn = await ottu<Txn>(state, 'GET', `/b/checkout/v1/pymt-txn/${String(link.session_id)}/`);
				expect(txn.body).toMatchObject({ order_no: link.order_no, customer_email: link.email, checkout_url: link.checkout_url, state: 'created' });
			}
			const creates = (await requestLog(state)).filter((r) => r.method === 'POST' && r.path === '/b/checkout/v1/pymt-txn/');
			expect(creates).toHaveLength(3);
		});
	});
});
