/**
 * Runs the Ottu Trigger the way n8n's webhook server does, in-process: a real HTTP listener on 127.0.0.1
 * hands each request (with its raw body, as n8n's body reader keeps it) to the node's webhook() through
 * n8n-core's real WebhookContext, applies n8n 2.41's response rules (noWebhookResponse; in "onReceived" mode
 * the answer, with the description's responseCode, only after the execution is saved, or 500 when saving
 * fails), saves the workflow static data when it changed and the request did not fail (n8n saves it in
 * its answer callback), and, when the trigger returns workflowData, runs the rest of the workflow with
 * n8n-core's WorkflowExecute from the trigger's output, as n8n's webhook executions do.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
	IWebhookData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { createRunExecutionData, resolveWebhookDescriptionField, Workflow } from 'n8n-workflow';

import { OttuTrigger } from '../../nodes/OttuTrigger/OttuTrigger.node';
import {
	signPrevious,
	signCurrent,
	PREVIOUS_SIGNED_FIELDS,
	CURRENT_SIGNED_PATHS,
} from '../../sandbox/core/signature';
import { additionalDataFor, nodeTypesWith } from './n8n';

export const TRIGGER_TYPE = 'n8n-nodes-ottu.ottuTrigger';
export const TRIGGER_NAME = 'Ottu Trigger';

// ---------------------------------------------------------------------------------------------------
// The reference signer is the sandbox's (written from Ottu's description, not from the node's module).

/** The fields and dot paths Ottu signs, by scheme. */
export const SIGNED_FIELDS: Record<'previous' | 'current', readonly string[]> = {
	previous: PREVIOUS_SIGNED_FIELDS,
	current: CURRENT_SIGNED_PATHS,
};

export function referenceSignature(
	payload: IDataObject,
	key: string,
	scheme: 'previous' | 'current' = 'current',
): string {
	return scheme === 'previous' ? signPrevious(payload, key) : signCurrent(payload, key);
}

/** An Ottu credential for the trigger alone: the HMAC key; its API address is never called. */
export function triggerCredentials(hmacSecret: string): ICredentialDataDecryptedObject {
	return {
		baseUrl: 'http://127.0.0.1:1',
		authentication: 'apiKey',
		apiKey: 'unused',
		hmacSecret,
	};
}

/** The payload with its `signature` field set by the reference signer. */
export function signed(
	payload: IDataObject,
	key: string,
	scheme: 'previous' | 'current' = 'current',
): IDataObject {
	const rest = { ...payload };
	delete rest.signature;
	return { ...rest, signature: referenceSignature(rest, key, scheme) };
}

export function paidPayment(overrides: IDataObject = {}): IDataObject {
	return {
		session_id: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
		order_no: 'ORD-10045',
		reference_number: 'KW1000045',
		state: 'paid',
		result: 'success',
		amount: '20.500',
		currency_code: 'KWD',
		amount_details: { currency_code: 'KWD', amount: '20.500', total: '20.500', fee: '0.000' },
		fee: '0.000 KWD',
		paid_amount: '20.500',
		payment_type: 'one_off',
		gateway_name: 'knet',
		gateway_account: 'knet-test',
		customer_email: 'sara@example.com',
		customer_first_name: 'Sara',
		customer_last_name: 'Al-Sabah',
		customer_phone: '+96599999999',
		extra: { basket: 'B-7' },
		is_sandbox: true,
		transactions: [],
		timestamp_utc: '2026-11-22 01:00:00',
		...overrides,
	};
}

export function refundOperation(overrides: IDataObject = {}): IDataObject {
	return {
		amount: '5.000',
		operation: 'refund',
		order_no: 'ORD-10045',
		pg_code: 'knet-test',
		pg_response: {},
		reference_number: 'OP-77',
		result: 'success',
		session_id: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
		source: 'input',
		success: true,
		is_sandbox: true,
		timestamp_utc: '2026-11-22 01:05:00',
		txn: {
			amount: '5.000',
			currency_code: 'KWD',
			order_no: 'ORD-10045',
			session_id: 'child-1',
			state: 'refunded',
		},
		...overrides,
	};
}

// ---------------------------------------------------------------------------------------------------
// Express-like request/response over Node's http objects: what n8n's webhook server gives a node.

export interface ExpressLikeRequest extends http.IncomingMessage {
	body: unknown;
	rawBody: Buffer;
	contentType?: string;
	params: Record<string, string>;
	query: Record<string, string>;
	header(name: string): string | undefined;
	get(name: string): string | undefined;
}

export interface ExpressLikeResponse extends http.ServerResponse {
	status(code: number): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
	send(body?: unknown): ExpressLikeResponse;
}

/** The Content-Types n8n 2.41 parses itself (webhook-helpers' isParsableContentType), multipart aside. */
function n8nParses(contentType: string): boolean {
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

function toRequest(
	req: http.IncomingMessage,
	rawBody: Buffer,
	typeVersion: number,
): ExpressLikeRequest {
	const r = req as ExpressLikeRequest;
	const contentType = String(req.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	r.contentType = contentType || undefined;
	// n8n 2.41 reads the body of every request to a version-1 start node; from version 2 it leaves the body
	// of a Content-Type it cannot parse unread, for the node to read with readRawBody().
	const unread = typeVersion > 1 && !n8nParses(contentType);
	// (n8n's request type says rawBody is always there; at run time it is not until read.)
	if (unread) Reflect.deleteProperty(r, 'rawBody');
	else r.rawBody = rawBody;
	r._body = !unread;
	r.readRawBody = async () => {
		r.rawBody = rawBody;
		r._body = true;
	};
	// n8n parses JSON bodies before the node runs (and leaves other types to the node).
	let body: unknown = {};
	if (contentType === 'application/json' && rawBody.length) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
	}
	r.body = body;
	r.params = {};
	r.query = Object.fromEntries(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
	r.header = (name: string) => {
		const v = req.headers[name.toLowerCase()];
		return Array.isArray(v) ? v.join(', ') : v;
	};
	r.get = r.header;
	return r;
}

function toResponse(res: http.ServerResponse): ExpressLikeResponse {
	const r = res as ExpressLikeResponse;
	r.status = (code: number) => {
		res.statusCode = code;
		return r;
	};
	r.json = (body: unknown) => {
		if (!res.headersSent) res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(body));
		return r;
	};
	r.send = (body?: unknown) => {
		if (body === undefined) res.end();
		else if (typeof body === 'string' || Buffer.isBuffer(body)) res.end(body);
		else r.json(body);
		return r;
	};
	return r;
}

// ---------------------------------------------------------------------------------------------------

export interface TriggerWorkflowOptions {
	/** Parameters of the Ottu Trigger node. */
	parameters?: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	/** Nodes after the trigger, connected in a chain from the trigger. */
	downstream?: INode[];
	/** Milliseconds to hold the n-th request (0-based) before the node sees it: a busy n8n. */
	delays?: number[];
	/**
	 * Milliseconds between loading the static data and running the node, as when n8n reads the workflow
	 * from its database per request: concurrent requests then all start from the same saved copy.
	 */
	loadLatencyMs?: number;
	/** n8n's execution mode: 'webhook' for the Production URL (default), 'manual' for the Test URL. */
	mode?: 'webhook' | 'manual';
	/**
	 * Milliseconds n8n takes to save (and queue) an execution after the trigger returned (default 5), or
	 * per delivery, from the trigger's first item.
	 */
	saveLatencyMs?: number | ((item: IDataObject) => number);
	/** The trigger node's version (default 2, what the editor places; 1 for workflows saved before it). */
	typeVersion?: number;
}

export interface Delivery {
	status: number;
	/** What the trigger returned. */
	result?: IWebhookResponseData;
	/** The trigger's error, if webhook() threw (n8n would answer 500). */
	error?: Error;
	/** The downstream run, when the workflow started. */
	run?: IRun;
}

export interface TriggerListener {
	url: string;
	deliveries: Delivery[];
	/** Items the trigger emitted, one entry per started workflow. */
	started: INodeExecutionData[][];
	/** The workflow static data as n8n would have saved it (set it to play another process's save). */
	staticData: IDataObject;
	/** How many times the node loaded (decrypted) its credential, through n8n's credentials helper. */
	credentialLoads: number;
	/**
	 * Says for the trigger's first item whether n8n fails to save its execution (its database unreachable):
	 * n8n then answers 500 and runs nothing. Default: never.
	 */
	executionSaveFails: (item: IDataObject) => boolean;
	/** While true, reading the credential fails as it does when n8n's database is unreachable. */
	credentialStoreDown: boolean;
	/** Resolves once `count` deliveries have been fully handled (including their workflow run). */
	waitForDeliveries(count: number, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

let executionCounter = 0;
let listenerCounter = 0;

export function triggerNode(parameters: IDataObject = {}, typeVersion = 2): INode {
	return {
		id: 'ottu-trigger-1',
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion,
		position: [0, 0],
		webhookId: 'b9a3e1c2-0d4f-4e5a-8b6c-7d8e9f0a1b2c',
		parameters: { events: ['*'], options: {}, ...parameters } as INode['parameters'],
		credentials: { ottuApi: { id: 'cred-1', name: 'Ottu Sandbox' } },
	};
}

function connectionsFor(nodes: INode[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

export async function startTriggerListener(
	options: TriggerWorkflowOptions,
): Promise<TriggerListener> {
	const trigger = new OttuTrigger();
	const node = triggerNode(options.parameters, options.typeVersion);
	const nodes = [node, ...(options.downstream ?? [])];
	const connections = connectionsFor(nodes);
	const nodeTypes = nodeTypesWith({ [TRIGGER_TYPE]: trigger });
	let savedStaticData: IDataObject = {};
	const deliveries: Delivery[] = [];
	const started: INodeExecutionData[][] = [];
	const waiters: Array<() => void> = [];
	const mode = options.mode ?? 'webhook';
	// Each listener is its own workflow, as in n8n (the trigger's memory is per workflow and node).
	const workflowId = `wf-trigger-${++listenerCounter}`;
	let credentialLoads = 0;

	const listener: TriggerListener = {
		url: '',
		deliveries,
		executionSaveFails: () => false,
		credentialStoreDown: false,
		started,
		get staticData() {
			return savedStaticData;
		},
		set staticData(saved: IDataObject) {
			savedStaticData = saved;
		},
		get credentialLoads() {
			return credentialLoads;
		},
		async waitForDeliveries(count: number, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			while (deliveries.length < count) {
				if (Date.now() > deadline)
					throw new Error(`expected ${count} deliveries, got ${deliveries.length}`);
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, 50);
					waiters.push(() => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
		},
		async close() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			// fetch keeps connections alive for reuse; left open they keep jest's worker from exiting.
			server.closeAllConnections();
			await closed;
		},
	};

	const handle = async (
		req: http.IncomingMessage,
		res: http.ServerResponse,
		rawBody: Buffer,
	): Promise<Delivery> => {
		// Like n8n's live webhooks: the workflow (with its saved static data) is loaded per request.
		const loaded = JSON.parse(JSON.stringify(savedStaticData)) as IDataObject;
		const workflowOver = (staticData: IDataObject) =>
			new Workflow({
				id: workflowId,
				name: 'Ottu Trigger test',
				active: true,
				nodeTypes,
				nodes,
				connections,
				staticData,
			});
		const workflow = workflowOver(loaded);
		if (options.loadLatencyMs)
			await new Promise((resolve) => setTimeout(resolve, options.loadLatencyMs));
		const executionId = `exec-trigger-${++executionCounter}`;
		const additionalData = additionalDataFor({ ottuApi: options.credentials });
		additionalData.executionId = executionId;
		const credentialsHelper = additionalData.credentialsHelper;
		const getDecrypted = credentialsHelper.getDecrypted.bind(credentialsHelper);
		credentialsHelper.getDecrypted = async (...args: Parameters<typeof getDecrypted>) => {
			credentialLoads++;
			if (listener.credentialStoreDown) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
			return await getDecrypted(...args);
		};
		const request = toRequest(req, rawBody, node.typeVersion);
		const response = toResponse(res);
		additionalData.httpRequest = request as unknown as typeof additionalData.httpRequest;
		additionalData.httpResponse = response as unknown as typeof additionalData.httpResponse;
		const webhookDescription = trigger.description.webhooks![0];
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${node.webhookId}/webhook`,
			webhookDescription,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
		};
		const context = new WebhookContext(
			workflow,
			workflow.getNode(node.name)!,
			additionalData,
			mode,
			webhookData,
			[],
			null,
		);

		let result: IWebhookResponseData;
		try {
			result = await trigger.webhook.call(context);
		} catch (error) {
			if (!res.headersSent) response.status(500).json({ message: 'Error in workflow' });
			return { status: 500, error: error as Error };
		}
		const responseCode = responseCodeOf(workflow, node.name, webhookDescription, mode);
		if (result.workflowData !== undefined) {
			// n8n creates (and in queue mode queues) the execution before it answers "onReceived". n8n 2.41
			// first builds another Workflow over the same static data object (establishContextForPersistence),
			// which clears its "changed" mark, then reads and writes its database (a few ms at least).
			workflowOver(loaded);
			const latency =
				typeof options.saveLatencyMs === 'function'
					? options.saveLatencyMs(result.workflowData[0][0].json)
					: (options.saveLatencyMs ?? 5);
			await new Promise((resolve) => setTimeout(resolve, latency));
			if (listener.executionSaveFails(result.workflowData[0][0].json)) {
				response.status(500).json({ message: 'There was a problem executing the workflow' });
				return { status: 500, result };
			}
		}
		// n8n saves the static data in its answer callback when it changed (not after a failure).
		if ((workflow.staticData as IDataObject & { __dataChanged?: boolean }).__dataChanged === true) {
			savedStaticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		}
		// n8n's rules: the node answered itself (noWebhookResponse), else n8n answers with responseCode.
		if (result.noWebhookResponse !== true && !res.headersSent) {
			const body = onReceivedBody(workflow, node.name, webhookDescription, mode, result);
			if (body === undefined) response.status(responseCode).end();
			else response.status(responseCode).json(body);
		}
		const delivery: Delivery = { status: res.statusCode, result };
		if (result.workflowData === undefined) return delivery;

		started.push(result.workflowData[0]);
		if (nodes.length > 1) {
			additionalData.hooks = new ExecutionLifecycleHooks(mode, executionId, mock());
			const runData = createRunExecutionData({
				executionData: {
					nodeExecutionStack: [
						{
							node: workflow.getNode(node.name)!,
							data: { main: result.workflowData },
							source: null,
						},
					],
				},
			});
			delivery.run = await new WorkflowExecute(
				additionalData,
				mode,
				runData,
			).processRunExecutionData(workflow);
		}
		return delivery;
	};

	let received = 0;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		const delay = options.delays?.[received++] ?? 0;
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			void new Promise((resolve) => setTimeout(resolve, delay))
				.then(() => handle(req, res, Buffer.concat(chunks)))
				.catch((error: Error) => ({ status: 500, error }) as Delivery)
				.then((delivery) => {
					if (!res.writableEnded) res.end();
					deliveries.push(delivery);
					for (const w of waiters.splice(0)) w();
				});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	listener.url = `http://127.0.0.1:${port}/webhook/${node.webhookId}/webhook`;
	return listener;
}

/** The body n8n 2.41 answers in "onReceived" mode (webhook-on-received-response-extractor). */
function onReceivedBody(
	workflow: Workflow,
	nodeName: string,
	description: IWebhookData['webhookDescription'],
	mode: 'webhook' | 'manual',
	result: IWebhookResponseData,
): unknown {
	const node = workflow.getNode(nodeName)!;
	const native = resolveWebhookDescriptionField(node, description, 'responseData');
	const data = native.resolved
		? native.value
		: workflow.expression.getComplexParameterValue(
				node,
				description.responseData,
				mode,
				{},
				undefined,
				'firstEntryJson',
			);
	if (data === 'noData') return undefined;
	if (data) return data;
	return result.webhookResponse ?? { message: 'Workflow was started' };
}

/** The description's responseCode as n8n 2.41 evaluates it: natively, else through the expression engine. */
function responseCodeOf(
	workflow: Workflow,
	nodeName: string,
	description: IWebhookData['webhookDescription'],
	mode: 'webhook' | 'manual',
): number {
	const node = workflow.getNode(nodeName)!;
	const native = resolveWebhookDescriptionField(node, description, 'responseCode');
	if (native.resolved) return Number(native.value ?? 200);
	if (description.responseCode === undefined) return 200;
	return Number(
		workflow.expression.getSimpleParameterValue(
			node,
			description.responseCode,
			mode,
			{},
			undefined,
			200,
		),
	);
}

/** POSTs a body to the listener and returns status and parsed answer. */
export async function post(
	url: string,
	body: string | IDataObject,
	contentType = 'application/json',
): Promise<{ status: number; body: unknown; text: string }> {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': contentType },
		body: text,
	});
	const answer = await res.text();
	let parsed: unknown = answer;
	try {
		parsed = JSON.parse(answer);
	} catch {
		// not JSON
	}
	return { status: res.status, body: parsed, text: answer };
}
