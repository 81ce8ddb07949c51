/** The workflows each side runs, as a user would build them in the editor. */
import { randomUUID } from 'node:crypto';

import type { WorkflowFile, WorkflowNode } from '../../scripts/dev/n8nApi';
import { CURRENT_SIGNED_PATHS } from '../../sandbox/core/signature';
import type { BenchStack } from './stack';

function node(
	name: string,
	type: string,
	typeVersion: number,
	x: number,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion, position: [x, 0], parameters, ...extra };
}

function chain(name: string, nodes: WorkflowNode[]): WorkflowFile {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < nodes.length; i++)
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

export const CALLER = 'Get transaction';

/** Manual Trigger → Code node emitting `count` items `{ sid }` (the session IDs in turn) → the node that calls Ottu. */
function getsWorkflow(
	name: string,
	sessionIds: string[],
	count: number,
	caller: WorkflowNode,
): WorkflowFile {
	const items = node('Items', 'n8n-nodes-base.code', 2, 200, {
		jsCode: `const ids = ${JSON.stringify(sessionIds)};\nreturn Array.from({ length: ${count} }, (_, i) => ({ json: { sid: ids[i % ids.length] } }));`,
	});
	return chain(name, [node('Manual', 'n8n-nodes-base.manualTrigger', 1, 0, {}), items, caller]);
}

export function ottuGets(
	stack: BenchStack,
	sessionIds: string[],
	count: number,
	concurrency: number,
): WorkflowFile {
	const caller = node(
		CALLER,
		'n8n-nodes-ottu.ottu',
		1,
		400,
		{
			resource: 'paymentTransaction',
			operation: 'get',
			sessionId: '={{ $json.sid }}',
			options: concurrency > 1 ? { concurrency } : {},
		},
		{ credentials: { ottuApi: { id: stack.credentials.ottu, name: 'Ottu Sandbox' } } },
	);
	return getsWorkflow(
		`Bench: Ottu node Get ×${count}, Concurrency ${concurrency}`,
		sessionIds,
		count,
		caller,
	);
}

/**
 * The HTTP Request node as a user sets it up for the same call: GET with a Header Auth credential
 * (`Authorization: Api-Key …`). `batch` sets Options → Batching (items per batch, interval in ms).
 */
export function httpRequestGets(
	stack: BenchStack,
	sessionIds: string[],
	count: number,
	batch?: { batchSize: number; batchInterval: number },
): WorkflowFile {
	const caller = node(
		CALLER,
		'n8n-nodes-base.httpRequest',
		4.2,
		400,
		{
			method: 'GET',
			url: `=${stack.sandbox.url}/b/checkout/v1/pymt-txn/{{ $json.sid }}/`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			options: batch ? { batching: { batch } } : {},
		},
		{
			credentials: {
				httpHeaderAuth: { id: stack.credentials.httpHeader, name: 'Ottu key (Header Auth)' },
			},
		},
	);
	const label = batch
		? `batches of ${batch.batchSize} every ${batch.batchInterval} ms`
		: 'default options';
	return getsWorkflow(
		`Bench: HTTP Request node Get ×${count}, ${label}`,
		sessionIds,
		count,
		caller,
	);
}

export interface WebhookSide {
	workflow: WorkflowFile;
	/** Production URL path after /webhook/. */
	path: string;
	/** The node whose first output item holds the delivery (to check each ran once). */
	firstNode: string;
	/** Where the delivery's session_id is in that item. */
	sessionIdOf: (json: Record<string, unknown>) => unknown;
}

/**
 * The Ottu Trigger alone, at its defaults (all events, Verify Signature and Ignore Repeated Deliveries on), in
 * the version the editor puts on the canvas (2), or in version 1 as workflows saved before version 2 have it.
 */
export function ottuTriggerSide(
	credentialId: string,
	typeVersion = 2,
	options: Record<string, unknown> = {},
): WebhookSide {
	const webhookId = randomUUID();
	const trigger = node(
		'Ottu Trigger',
		'n8n-nodes-ottu.ottuTrigger',
		typeVersion,
		0,
		{ events: ['*'], options },
		{
			webhookId,
			credentials: { ottuApi: { id: credentialId, name: 'Ottu Sandbox' } },
		},
	);
	return {
		workflow: chain(`Bench: Ottu Trigger ${typeVersion} (verification and de-dup on)`, [trigger]),
		path: `${webhookId}/webhook`,
		firstNode: 'Ottu Trigger',
		sessionIdOf: (j) => j.session_id,
	};
}

function webhookNode(
	urlPath: string,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return node(
		'Webhook',
		'n8n-nodes-base.webhook',
		2.1,
		0,
		{ httpMethod: 'POST', path: urlPath, options: {}, ...parameters },
		{ webhookId: randomUUID(), ...extra },
	);
}

const bodySessionId = (j: Record<string, unknown>) =>
	(j.body as Record<string, unknown> | undefined)?.session_id;

export function headerAuthWebhookSide(stack: BenchStack): WebhookSide {
	const urlPath = `bench-header-${randomUUID().slice(0, 8)}`;
	const webhook = webhookNode(
		urlPath,
		{ authentication: 'headerAuth' },
		{
			credentials: {
				httpHeaderAuth: {
					id: stack.credentials.webhookHeader,
					name: 'Webhook token (Header Auth)',
				},
			},
		},
	);
	return {
		workflow: chain('Bench: Webhook node with Header Auth', [webhook]),
		path: urlPath,
		firstNode: 'Webhook',
		sessionIdOf: bodySessionId,
	};
}

export function plainWebhookSide(): WebhookSide {
	const urlPath = `bench-plain-${randomUUID().slice(0, 8)}`;
	return {
		workflow: chain('Bench: plain Webhook node', [webhookNode(urlPath, {})]),
		path: urlPath,
		firstNode: 'Webhook',
		sessionIdOf: bodySessionId,
	};
}

/**
 * What a user builds by hand today: Webhook (answer from a Respond to Webhook node) → a Code node that recomputes
 * Ottu's signature → Respond to Webhook with 200 or 401. The Code node is written as a user would write it from
 * Ottu's description, with the key pasted in (n8n must allow `crypto`: NODE_FUNCTION_ALLOW_BUILTIN=crypto).
 */
export function webhookCodeSide(stack: BenchStack): WebhookSide {
	const urlPath = `bench-code-${randomUUID().slice(0, 8)}`;
	const jsCode = [
		"// Verify Ottu's webhook signature: HMAC-SHA256 of the signed paths (sorted, path=value lines, falsy values left out).",
		"const crypto = require('crypto');",
		`const HMAC_KEY = '${stack.keys.hmacKey}';`,
		`const FIELDS = ${JSON.stringify([...CURRENT_SIGNED_PATHS])};`,
		'const body = $json.body;',
		"const at = (p) => p.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), body);",
		"const message = FIELDS.filter((p) => at(p) !== undefined && at(p) !== null && at(p) !== '' && at(p) !== 0 && at(p) !== false).map((p) => p + '=' + at(p)).join('\\n');",
		"const expected = crypto.createHmac('sha256', HMAC_KEY).update(message).digest('hex');",
		"const given = String(body.signature || '');",
		'const valid = given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));',
		'return { json: { ...body, signature_valid: valid } };',
	].join('\n');
	const nodes = [
		webhookNode(urlPath, { responseMode: 'responseNode' }),
		node('Verify signature', 'n8n-nodes-base.code', 2, 200, { mode: 'runOnceForEachItem', jsCode }),
		node('Respond', 'n8n-nodes-base.respondToWebhook', 1.5, 400, {
			respondWith: 'noData',
			options: { responseCode: '={{ $json.signature_valid ? 200 : 401 }}' },
		}),
	];
	return {
		workflow: chain('Bench: Webhook node + Code node verifying the signature', nodes),
		path: urlPath,
		firstNode: 'Webhook',
		sessionIdOf: bodySessionId,
	};
}
