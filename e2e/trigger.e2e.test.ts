/**
 * The Ottu Trigger in a real n8n, fed by the sandbox's signed webhooks: a payment completed on the sandbox's
 * hosted checkout page in headless Chromium runs the "paid" example workflow; a forged webhook to the same
 * URL is refused with 401 and starts nothing.
 */
import { createHmac, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import type { N8nApi, WorkflowFile } from '../scripts/dev/n8nApi';
import { credentialData, EXAMPLES_DIR } from '../scripts/dev/provision';
import { launchBrowser, newPage, signIn } from './helpers/browser';
import {
	callWebhook,
	executionsOf,
	getExecution,
	nodeOutput,
	waitForExecutionCount,
} from './helpers/n8n';
import { ottu, resetSandbox, sandboxClient } from './helpers/sandbox';
import { E2E_DIR, ownerApi, readState } from './helpers/state';

const EXAMPLE = 'payment-paid-notify.json';
const example = JSON.parse(
	fs.readFileSync(path.join(EXAMPLES_DIR, EXAMPLE), 'utf8'),
) as WorkflowFile;
const triggerNode = example.nodes.find((n) => n.type === 'n8n-nodes-ottu.ottuTrigger')!;

const state = readState();

interface WebhookAttempt {
	url: string;
	kind: string;
	session_id: string;
	payload: Record<string, unknown>;
	status: number | null;
}

/** Screenshots of what the user sees, kept with the run's other e2e output (not committed). */
const SHOTS = path.join(E2E_DIR, 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Ottu Trigger in a real n8n', () => {
	let api: N8nApi;
	let workflowId: string;
	/** The trigger's production URL: n8n serves a node with a webhookId at /webhook/<webhookId>/<path>. */
	const triggerUrl = `${state.n8nUrl}/webhook/${triggerNode.webhookId}/webhook`;

	beforeAll(async () => {
		api = await ownerApi(state);
		workflowId = state.workflows[EXAMPLE];
		expect(workflowId).toBeDefined();
	});

	beforeEach(async () => {
		await resetSandbox(state);
	});

	/** A payment link whose webhook goes to the trigger, made with the create-payment-link example. */
	async function createLink(
		orderNo: string,
		amount = '18.75',
	): Promise<{ session_id: string; checkout_url: string }> {
		const res = await callWebhook(state, 'ottu-payment-link', {
			amount,
			currency_code: 'KWD',
			order_no: orderNo,
			customer_email: 'buyer@example.com',
			webhook_url: triggerUrl,
		});
		expect(res.status).toBe(200);
		return res.body as { session_id: string; checkout_url: string };
	}

	async function deliveries(sessionId: string): Promise<WebhookAttempt[]> {
		return await sandboxClient(state).webhooks({ session_id: sessionId, wait: true });
	}

	async function expectPaidRun(sessionId: string, orderNo: string, before: number): Promise<void> {
		const execution = await waitForExecutionCount(api, workflowId, before + 1);
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		const [notification] = nodeOutput(execution, 'Notify the team');
		expect(notification).toMatchObject({
			session_id: sessionId,
			order_no: orderNo,
			state: 'paid',
			paid_amount: '18.750',
			signature_verified: true,
		});
		expect(notification.message).toBe(`Paid: 18.750 KWD for order ${orderNo} (buyer@example.com)`);
		// The Get node really asked Ottu, and Ottu's webhook was answered 200 by n8n.
		const attempts = await deliveries(sessionId);
		expect(attempts.map((a) => [a.url, a.status])).toEqual([[triggerUrl, 200]]);
	}

	it('a payment completed on the hosted checkout page in Chromium runs the workflow with a valid signature', async () => {
		const before = (await executionsOf(api, workflowId)).length;
		const link = await createLink('E2E-PAY-BROWSER');
		let browser: Browser | undefined;
		try {
			browser = await launchBrowser();
			const page = await newPage(browser);
			await page.goto(link.checkout_url);
			await expect(page.locator('#state').getAttribute('data-state')).resolves.toBe('pending');
			await page
				.getByRole('button', { name: /^\s*pay\b/i })
				.first()
				.click();
			// Ottu's summary page after the webhook was answered.
			await page.waitForURL(/\/summary\/$/, { timeout: 60_000 });
			await expect(page.locator('#state').getAttribute('data-state')).resolves.toBe('paid');
		} finally {
			await browser?.close();
		}
		await expectPaidRun(link.session_id, 'E2E-PAY-BROWSER', before);
	}, 120_000);

	it('a payment the sandbox settles (signed webhook) runs the workflow once, with the transaction fetched from Ottu', async () => {
		const before = (await executionsOf(api, workflowId)).length;
		const link = await createLink('E2E-PAY-1');
		const paid = await sandboxClient(state).send(
			'POST',
			`/__sandbox/sessions/${link.session_id}/pay`,
			{ outcome: 'paid', wait: true },
		);
		expect(paid.status).toBe(200);
		await expectPaidRun(link.session_id, 'E2E-PAY-1', before);
		const txn = await ottu<{ state: string }>(
			state,
			'GET',
			`/b/checkout/v1/pymt-txn/${link.session_id}/`,
		);
		expect(txn.body.state).toBe('paid');
	});

	it('refuses a forged webhook, or a genuine one replayed against another session, with 401 and starts nothing', async () => {
		const link = await createLink('E2E-FORGED', '18.75');
		const start = (await executionsOf(api, workflowId)).length;
		await sandboxClient(state).pay(link.session_id, 'paid', { wait: true });
		const [genuine] = await deliveries(link.session_id);
		expect(genuine.status).toBe(200);
		await waitForExecutionCount(api, workflowId, start + 1);
		const before = (await executionsOf(api, workflowId)).length;

		// The genuine payload and signature with a changed amount, a made-up signature, and no signature.
		const tampered = { ...genuine.payload, amount: '1800.000', session_id: 'forged-session' };
		const madeUp = {
			...genuine.payload,
			session_id: 'forged-session-2',
			signature: 'a'.repeat(64),
		};
		const unsigned: Record<string, unknown> = {
			...genuine.payload,
			session_id: 'forged-session-3',
		};
		delete unsigned.signature;
		// The genuine payload and signature, replayed against another payment link.
		const other = await createLink('E2E-FORGED-OTHER', '18.75');
		const replayed = { ...genuine.payload, session_id: other.session_id };
		for (const forged of [tampered, madeUp, unsigned, replayed]) {
			const res = await fetch(triggerUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(forged),
			});
			expect(res.status).toBe(401);
			expect(await res.text()).not.toContain(state.keys.hmacKey);
		}
		await sleep(3000);
		expect((await executionsOf(api, workflowId)).length).toBe(before);
	});

	it('answers but does not run for a payment state the trigger does not listen to (failed)', async () => {
		const link = await createLink('E2E-FAILED');
		const before = (await executionsOf(api, workflowId)).length;
		await sandboxClient(state).pay(link.session_id, 'failed', { wait: true });
		const attempts = await deliveries(link.session_id);
		expect(attempts.map((a) => a.status)).toEqual([200]);
		await sleep(2000);
		expect((await executionsOf(api, workflowId)).length).toBe(before);
	});
});

/**
 * What the user sees in the editor when the trigger cannot verify webhooks: a wrong Webhook HMAC Key while
 * listening for a test event, and a credential without a key when testing or publishing.
 */
describe('Ottu Trigger failures shown in the editor', () => {
	let api: N8nApi;
	let browser: Browser | undefined;

	beforeAll(async () => {
		api = await ownerApi(state);
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});
	beforeEach(async () => {
		await resetSandbox(state);
	});

	/** A workflow with only an Ottu Trigger, on a credential whose HMAC key is `hmacSecret`. */
	async function triggerWorkflow(
		name: string,
		hmacSecret: string,
	): Promise<{ id: string; webhookId: string }> {
		const credentialId = await api.createCredential(`${name} credential`, 'ottuApi', {
			...credentialData(state.sandboxUrl, state.keys),
			hmacSecret,
		});
		const webhookId = randomUUID();
		const id = await api.createWorkflow({
			name,
			nodes: [
				{
					id: randomUUID(),
					name: 'Ottu Trigger',
					type: 'n8n-nodes-ottu.ottuTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					credentials: { ottuApi: { id: credentialId, name: `${name} credential` } },
					parameters: { events: ['payment.paid'], options: {} },
				},
			],
			connections: {},
		} as WorkflowFile);
		return { id, webhookId };
	}

	async function openTrigger(workflowId: string): Promise<Page> {
		const page = await newPage(browser!);
		await signIn(page, state);
		await page.goto(`${state.n8nUrl}/workflow/${workflowId}`);
		const node = page.locator('[data-test-id="canvas-node"][data-node-name="Ottu Trigger"]');
		await node.waitFor({ timeout: 60_000 });
		// The canvas subtitle names the events in words, not as raw values (payment.paid).
		await page.getByText('Paid payments', { exact: true }).first().waitFor({ timeout: 10_000 });
		await node.dblclick();
		await page.locator('[data-test-id="ndv"]').waitFor({ timeout: 30_000 });
		return page;
	}

	async function clickExecuteStep(page: Page): Promise<void> {
		await page.locator('[data-test-id="ndv"] [data-test-id="node-execute-button"]').first().click();
	}

	it("n8n's node panel lists the trigger's events as actions in words", async () => {
		const page = await newPage(browser!);
		try {
			await signIn(page, state);
			await page.goto(`${state.n8nUrl}/workflow/new`);
			await page
				.locator('[data-test-id="canvas-plus-button"], [data-test-id="canvas-add-button"]')
				.first()
				.click({ timeout: 60_000 });
			await page.keyboard.type('Ottu');
			// Starting a workflow, the panel lists triggers: the Ottu entry is the Ottu Trigger merged with the
			// Ottu node, shown with the trigger's description.
			await page
				.getByText('Ottu payments: create payment links', { exact: false })
				.first()
				.click({ timeout: 30_000 });
			await page
				.getByText('When a payment is paid', { exact: true })
				.first()
				.waitFor({ timeout: 30_000 });
			await page
				.getByText('When a refund, capture or void is made', { exact: true })
				.first()
				.waitFor({ timeout: 10_000 });
		} finally {
			await page.screenshot({ path: path.join(SHOTS, 'trigger-actions.png') });
			await page.close();
		}
	}, 120_000);

	it('a payment whose webhook fails verification while listening for a test event ends the test run with the reason', async () => {
		const { id, webhookId } = await triggerWorkflow(
			'Trigger with a wrong HMAC key',
			'not-the-key-ottu-signs-with',
		);
		const page = await openTrigger(id);
		try {
			await clickExecuteStep(page);
			await page
				.getByText(/Listening for test event/i)
				.first()
				.waitFor({ timeout: 30_000 });
			const testUrl = `${state.n8nUrl}/webhook-test/${webhookId}/webhook`;
			const link = await callWebhook(state, 'ottu-payment-link', {
				amount: '4.5',
				currency_code: 'KWD',
				order_no: 'E2E-WRONG-KEY',
				webhook_url: testUrl,
			});
			expect(link.status).toBe(200);
			const { session_id: sessionId } = link.body as { session_id: string };
			await sandboxClient(state).pay(sessionId, 'paid', { wait: true });
			await page
				.getByText("Ottu's webhook signature did not match the Webhook HMAC Key")
				.first()
				.waitFor({ timeout: 30_000 });
			await page
				.getByText(/Ottu dashboard → Webhook Config → General/)
				.first()
				.waitFor({ timeout: 10_000 });
			await page.screenshot({ path: path.join(SHOTS, 'trigger-wrong-key.png') });
			const [attempt] = (await sandboxClient(state).webhooks({
				session_id: sessionId,
				wait: true,
			})) as unknown as WebhookAttempt[];
			expect(attempt.status).not.toBe(200);
			expect(await page.content()).not.toContain('not-the-key-ottu-signs-with');
		} finally {
			await page.close();
		}
	}, 180_000);

	/** Listens for a test event on a trigger with the right key, pays a link sent to it, waits for `text`. */
	async function testEventError(name: string, orderNo: string, texts: RegExp[]): Promise<void> {
		const { id, webhookId } = await triggerWorkflow(name, state.keys.hmacKey);
		const page = await openTrigger(id);
		try {
			await clickExecuteStep(page);
			await page
				.getByText(/Listening for test event/i)
				.first()
				.waitFor({ timeout: 30_000 });
			const link = await callWebhook(state, 'ottu-payment-link', {
				amount: '4.5',
				currency_code: 'KWD',
				order_no: orderNo,
				webhook_url: `${state.n8nUrl}/webhook-test/${webhookId}/webhook`,
			});
			expect(link.status).toBe(200);
			const { session_id: sessionId } = link.body as { session_id: string };
			await sandboxClient(state).pay(sessionId, 'paid', { wait: true });
			for (const text of texts) await page.getByText(text).first().waitFor({ timeout: 30_000 });
			await page.screenshot({ path: path.join(SHOTS, `trigger-${orderNo.toLowerCase()}.png`) });
			const [attempt] = await sandboxClient(state).webhooks({ session_id: sessionId, wait: true });
			expect(attempt.status).not.toBe(200);
		} finally {
			await page.close();
		}
	}

	it("a genuine webhook of Ottu's previous signature scheme says so in the editor, and where to accept it", async () => {
		await sandboxClient(state).setSigning({ scheme: 'previous' });
		await testEventError('Trigger on a merchant not yet moved', 'E2E-PREVIOUS', [
			/signed with Ottu's previous signature scheme, which this trigger does not accept/,
			/Options → Accept Previous Signature Scheme/,
		]);
	}, 180_000);

	it('a genuine webhook of another merchant says so in the editor, naming both merchants', async () => {
		await sandboxClient(state).setSigning({ merchant_id: 'shop.ottu.net' });
		await testEventError('Trigger for another merchant', 'E2E-MERCHANT', [
			/for the Ottu merchant "shop.ottu.net", not "127.0.0.1"/,
		]);
	}, 180_000);

	it('testing without an HMAC key shows the reason and the fix in the editor', async () => {
		const { id } = await triggerWorkflow('Trigger without an HMAC key', '');
		const page = await openTrigger(id);
		try {
			await clickExecuteStep(page);
			await page
				.getByText(
					/no Webhook HMAC Key: copy the HMAC key from Ottu dashboard → Webhook Config → General/,
				)
				.first()
				.waitFor({ timeout: 30_000 });
			await page.screenshot({ path: path.join(SHOTS, 'trigger-no-key-test.png') });
		} finally {
			await page.close();
		}
	}, 180_000);

	it('publishing without an HMAC key in the editor: the reason and the fix are shown, n8n records the trigger as failed, and nothing listens', async () => {
		const { id, webhookId } = await triggerWorkflow('Trigger published without an HMAC key', '');
		const page = await newPage(browser!);
		try {
			await signIn(page, state);
			await page.goto(`${state.n8nUrl}/workflow/${id}`);
			await page
				.locator('[data-test-id="canvas-node"][data-node-name="Ottu Trigger"]')
				.waitFor({ timeout: 60_000 });
			await page
				.getByRole('button', { name: /^\s*Publish\s*$/ })
				.first()
				.click();
			// n8n asks to confirm the first publication of a workflow.
			const confirm = page.locator('[role="dialog"]').getByRole('button', { name: /Publish/ });
			await confirm
				.first()
				.waitFor({ timeout: 10_000 })
				.catch(() => undefined);
			if (await confirm.count()) await confirm.first().click();
			// n8n publishes in the background and pushes the trigger's error to the open editor.
			const shown = page
				.getByText(
					/no Webhook HMAC Key: copy the HMAC key from Ottu dashboard → Webhook Config → General/,
				)
				.first();
			await shown
				.waitFor({ timeout: 60_000 })
				.finally(() => page.screenshot({ path: path.join(SHOTS, 'trigger-no-key-published.png') }));
		} finally {
			await page.close();
		}
		const status = await api.call<{
			triggers: Array<{ status: string; errorMessage: string | null }>;
		}>('GET', `/rest/workflows/${id}/publication-status`);
		expect(status.triggers).toEqual([
			expect.objectContaining({
				status: 'failed',
				errorMessage: expect.stringMatching(
					/no Webhook HMAC Key: copy the HMAC key from Ottu dashboard → Webhook Config → General .*or turn off Verify Signature/,
				),
			}),
		]);
		const delivery = await fetch(`${state.n8nUrl}/webhook/${webhookId}/webhook`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(delivery.status).toBe(404);
	}, 180_000);
});

/** A paid payment webhook signed with Ottu's current scheme (sorted signed paths, `path=value` lines). */
function signedPayment(referenceNumber: string, orderNo: string): Record<string, string> {
	const payload: Record<string, string> = {
		session_id: randomUUID().replace(/-/g, ''),
		order_no: orderNo,
		reference_number: referenceNumber,
		state: 'paid',
		result: 'success',
		amount: '7.250',
		currency_code: 'KWD',
		gateway_name: 'knet',
		gateway_account: 'knet-test',
	};
	const message = [
		'amount',
		'currency_code',
		'gateway_account',
		'gateway_name',
		'order_no',
		'reference_number',
		'result',
		'session_id',
		'state',
	]
		.map((k) => `${k}=${payload[k]}`)
		.join('\n');
	return {
		...payload,
		signature: createHmac('sha256', state.keys.hmacKey).update(message).digest('hex'),
	};
}

/** Publishes a workflow with only an Ottu Trigger (all events) and waits until n8n listens on its URL. */
async function publishedTrigger(
	api: N8nApi,
	name: string,
	version: number,
): Promise<{ id: string; url: string }> {
	const webhookId = randomUUID();
	const id = await api.createWorkflow({
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Ottu Trigger',
				type: 'n8n-nodes-ottu.ottuTrigger',
				typeVersion: version,
				position: [0, 0],
				webhookId,
				credentials: { ottuApi: { id: state.credentialId, name: 'Ottu Sandbox' } },
				parameters: { events: ['*'], options: {} },
			},
		],
		connections: {},
	} as WorkflowFile);
	await api.activateWorkflow(id);
	const url = `${state.n8nUrl}/webhook/${webhookId}/webhook`;
	const deadline = Date.now() + 60_000;
	while ((await fetch(url, { method: 'POST', body: '{}' })).status === 404 && Date.now() < deadline)
		await sleep(500);
	return { id, url };
}

describe('Ottu Trigger de-duplication under a burst in a real n8n (one process)', () => {
	it('concurrent identical and distinct signed deliveries: one execution per distinct delivery, every key remembered, a resent burst runs nothing', async () => {
		const api = await ownerApi(state);
		const { id, url } = await publishedTrigger(api, 'Trigger burst', 1);

		const distinct = Array.from({ length: 30 }, (_, i) =>
			signedPayment(`E2E-BURST-${i}`, `E2E-B-${i}`),
		);
		const identical = signedPayment('E2E-BURST-SAME', 'E2E-B-SAME');
		const burst = [...distinct, ...Array.from({ length: 10 }, () => identical)];
		const send = () =>
			Promise.all(
				burst.map((b) =>
					fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(b),
					}),
				),
			);
		expect((await send()).map((r) => r.status)).toEqual(burst.map(() => 200));
		await waitForExecutionCount(api, id, 31, 120_000);
		await sleep(3000);
		const executions = await executionsOf(api, id);
		const references = await Promise.all(
			executions.map(
				async (e) =>
					nodeOutput(await getExecution(api, e.id), 'Ottu Trigger')[0].reference_number as string,
			),
		);
		expect(references.sort()).toEqual(
			[...distinct.map((d) => d.reference_number as string), 'E2E-BURST-SAME'].sort(),
		);

		// A save leaves out the keys of deliveries still being handed to n8n (one of them may fail), so once the
		// next delivery is saved, n8n holds the trigger's memory with the workflow: every key of the burst.
		const next = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(signedPayment('E2E-BURST-NEXT', 'E2E-B-NEXT')),
		});
		expect(next.status).toBe(200);
		await waitForExecutionCount(api, id, 32, 120_000);
		const saved = await api.call<{
			staticData: Record<string, Record<string, Record<string, number>>> | null;
		}>('GET', `/rest/workflows/${id}`);
		expect(
			Object.keys(saved.staticData?.['node:Ottu Trigger']?.ottuRecentDeliveries ?? {}),
		).toHaveLength(32);

		expect((await send()).map((r) => r.status)).toEqual(burst.map(() => 200));
		await sleep(3000);
		expect(await executionsOf(api, id)).toHaveLength(32);
	}, 240_000);
});

/**
 * Version 2 of the Ottu Trigger exists so that n8n stops evaluating `$parameter.options.binaryData` on every
 * request (it does that for any webhook start node of version 1). n8n 2.41 treats the two versions
 * differently in one more place: from version 2 it leaves the body of a request whose Content-Type it
 * cannot parse (not JSON, text, form, XML or multipart) unread. The trigger reads the raw bytes itself, so
 * both versions must give the same answers, run the same deliveries and hand the workflow the same payload
 * for every Content-Type a sender may use; version 1 stays for workflows saved with it.
 */
describe('Ottu Trigger versions 1 and 2 in a real n8n: the same answers for every Content-Type', () => {
	let api: N8nApi;
	beforeAll(async () => {
		api = await ownerApi(state);
	});

	/** Posts the exact bytes with that Content-Type (none when undefined). */
	async function post(url: string, body: string, contentType?: string): Promise<number> {
		const res = await fetch(url, {
			method: 'POST',
			headers: contentType === undefined ? {} : { 'content-type': contentType },
			// Bytes, not a string: fetch would add text/plain to a string body.
			body: new TextEncoder().encode(body),
		});
		await res.text();
		return res.status;
	}

	const CONTENT_TYPES: Array<string | undefined> = [
		'application/json',
		'application/json; charset=utf-8',
		'text/plain',
		'application/x-www-form-urlencoded',
		'application/octet-stream',
		'application/vnd.ottu+json',
		undefined,
	];

	it.each([1, 2])(
		'version %i: a genuine delivery runs once with its payload under every Content-Type; forgeries are answered 401 and run nothing',
		async (version) => {
			const { id, url } = await publishedTrigger(api, `Trigger version ${version}`, version);
			const genuine = CONTENT_TYPES.map((_, i) =>
				signedPayment(`E2E-V${version}-CT-${i}`, `E2E-V${version}-${i}`),
			);
			const statuses: number[] = [];
			for (const [i, contentType] of CONTENT_TYPES.entries())
				statuses.push(await post(url, JSON.stringify(genuine[i]), contentType));
			expect(statuses).toEqual(CONTENT_TYPES.map(() => 200));

			// Forgeries: a changed amount, no signature field, a body that is not JSON, under JSON and under a
			// Content-Type n8n does not parse (where version 2 leaves the body to the trigger).
			const base = signedPayment(`E2E-V${version}-FORGED`, `E2E-V${version}-F`);
			const unsigned: Record<string, string> = { ...base };
			delete unsigned.signature;
			const forged = [
				JSON.stringify({ ...base, amount: '7000.000' }),
				JSON.stringify(unsigned),
				`amount=7.250&signature=${base.signature}`,
			];
			for (const contentType of ['application/octet-stream', undefined, 'text/plain'])
				for (const body of forged) expect(await post(url, body, contentType)).toBe(401);
			for (const body of forged.slice(0, 2))
				expect(await post(url, body, 'application/json')).toBe(401);
			// Not JSON but sent as JSON: n8n's body parser refuses it before the trigger runs, in both versions.
			expect(await post(url, forged[2], 'application/json')).toBe(422);

			await waitForExecutionCount(api, id, genuine.length, 120_000);
			await sleep(3000);
			const executions = await executionsOf(api, id);
			expect(executions).toHaveLength(genuine.length);
			const outputs = await Promise.all(
				executions.map(async (e) => {
					const execution = await getExecution(api, e.id);
					expect(execution.status).toBe('success');
					return nodeOutput(execution, 'Ottu Trigger')[0];
				}),
			);
			const byReference = new Map(outputs.map((o) => [o.reference_number as string, o]));
			for (const payload of genuine) {
				const output = byReference.get(payload.reference_number);
				expect(output).toMatchObject({
					...payload,
					_ottu: expect.objectContaining({ signatureVerified: true, signatureScheme: 'current' }),
				});
			}
		},
		240_000,
	);
});
