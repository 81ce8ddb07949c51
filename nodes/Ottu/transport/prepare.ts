/**
 * Building a request: what the caller asks (OttuRequest), turned into the options n8n's request helper takes,
 * with the credential read once for the item.
 */
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IPollFunctions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	INode,
} from 'n8n-workflow';

import { normalizeBaseUrl } from '../../../credentials/ottuBaseUrl';
import { baseUrlError } from './errors';

export const CREDENTIAL_TYPE = 'ottuApi';

export const DEFAULT_TIMEOUT_MS = 60_000;

export type OttuFunctions =
	IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions | IPollFunctions;

/**
 * How a request may be repeated after a failure whose outcome is unknown (timeout, reset, 5xx):
 * - `read`: no side effect, always safe to repeat;
 * - `tracked`: moves money but carries a Tracking-Key on `/b/pbl/v2/operation/`, the one place Ottu documents it,
 *   so Ottu answers a repeat with the original operation (without a Tracking-Key it counts as `once`);
 * - `once`: never repeated, except after a 429 (Ottu refused it before doing anything).
 */
export type RetryPolicy = 'read' | 'tracked' | 'once';

export interface OttuRequest {
	method: IHttpRequestMethods;
	/** Path under the instance, with Ottu's trailing slash, e.g. `/b/checkout/v1/pymt-txn/`. */
	path: string;
	body?: IDataObject;
	/** A multipart/form-data body (file uploads), sent as built; a Buffer, so a repeat can send it again. */
	multipart?: { data: Buffer; contentType: string };
	qs?: IDataObject;
	/** Sent as the `Tracking-Key` header: idempotency for refund/capture/void, a reference elsewhere. */
	trackingKey?: string;
	retry?: RetryPolicy;
	/** For `once`: what the error says when the outcome is unknown, instead of the general sentence. */
	unknownOutcome?: string;
	/** For `once`: the caller reads whether it happened before sending it (a charge), so no durable mark. */
	settledByRead?: boolean;
	/** Called before a request is sent again after an attempt whose outcome is unknown (answer lost, 5xx). */
	onLostAnswer?: () => void;
	itemIndex?: number;
	/** Stream the response body instead of parsing JSON (report downloads). */
	stream?: boolean;
	/** Milliseconds before one attempt is abandoned; for a stream, the whole body must have arrived by then. */
	timeout?: number;
	/** Largest streamed body accepted, in bytes (JSON answers: BODY_LIMITS.maxJsonBytes). */
	maxBytes?: number;
	/** Told the size of each JSON answer read (listings bound their total). */
	onAnswerBytes?: (bytes: number) => void;
}

/** A request ready to send, and what its errors need to know. */
export interface PreparedRequest {
	request: OttuRequest;
	options: IHttpRequestOptions;
	authentication: IAdditionalCredentialOptions;
	node: INode;
	baseUrl: string;
	timeout: number;
	policy: RetryPolicy;
	credentials: Record<string, unknown>;
}

/**
 * What stays the same for every item of one node run, read once per run: n8n's getNode() deep-copies the
 * node each call, and a Timeout that is not an expression has the same value for every item.
 */
interface RunMemo {
	node: INode;
	/** undefined: not set; 'per item': an expression, resolved for each item. */
	timeout: number | undefined | 'per item';
}
// Kept because BENCHMARKS.md (overhead_ratio) counts reading the node's settings once per run, not per item,
// among what took the figure from 2.30 to 1.88–2.23.
const runMemos = new WeakMap<OttuFunctions, RunMemo>();

function runMemo(ctx: OttuFunctions): RunMemo {
	let memo = runMemos.get(ctx);
	if (memo === undefined) {
		const node = ctx.getNode();
		const raw = (node.parameters?.options as IDataObject | undefined)?.timeout;
		const perItem = typeof raw === 'string' && raw.startsWith('=');
		memo = {
			node,
			timeout: perItem ? 'per item' : timeoutOption(ctx, 0),
		};
		runMemos.set(ctx, memo);
	}
	return memo;
}

/** The node of this run (read once per run). */
export function nodeOf(ctx: OttuFunctions): INode {
	return runMemo(ctx).node;
}

/** The Ottu node's Options → Timeout (milliseconds) for this item, when set. */
function timeoutOption(ctx: OttuFunctions, itemIndex: number | undefined): number | undefined {
	if (!('getInputData' in ctx) || typeof ctx.getNodeParameter !== 'function') return undefined;
	const value = Number(
		(ctx as IExecuteFunctions).getNodeParameter('options.timeout', itemIndex ?? 0, 0),
	);
	return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/** Milliseconds one attempt may take: the node's Timeout option, else the request's, else the default. */
export function timeoutOf(ctx: OttuFunctions, request: OttuRequest): number {
	const memo = runMemo(ctx);
	return (
		(memo.timeout === 'per item' ? timeoutOption(ctx, request.itemIndex) : memo.timeout) ??
		request.timeout ??
		DEFAULT_TIMEOUT_MS
	);
}

/** The credential of this item, and its instance address (an unusable one is the user's to correct). */
export async function readCredential(
	ctx: OttuFunctions,
	node: INode,
	itemIndex: number | undefined,
): Promise<{ credentials: Record<string, unknown>; baseUrl: string }> {
	const credentials = (await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex)) as Record<
		string,
		unknown
	>;
	try {
		return { credentials, baseUrl: normalizeBaseUrl(credentials.baseUrl) };
	} catch (error) {
		throw baseUrlError(node, error as Error, itemIndex);
	}
}

export async function prepareRequest(
	ctx: OttuFunctions,
	request: OttuRequest,
): Promise<PreparedRequest> {
	const node = nodeOf(ctx);
	const { credentials, baseUrl } = await readCredential(ctx, node, request.itemIndex);
	const timeout = timeoutOf(ctx, request);
	const asked: RetryPolicy = request.retry ?? (request.method === 'GET' ? 'read' : 'once');
	return {
		request,
		options: httpOptions(request, `${baseUrl}${request.path}`, timeout),
		authentication: passCredential(node, credentials),
		node,
		baseUrl,
		timeout,
		policy: asked === 'tracked' && !request.trackingKey ? 'once' : asked,
		credentials,
	};
}

function httpOptions(request: OttuRequest, url: string, timeout: number): IHttpRequestOptions {
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.trackingKey) headers['Tracking-Key'] = request.trackingKey;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		headers,
		timeout,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Every answer is streamed and read within BODY_LIMITS, so none is held whole beyond them.
		encoding: 'stream',
		json: false,
		// Redirects are the transport's decision (attempt.ts): n8n's would carry the credential along.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.body !== undefined) {
		options.body = JSON.stringify(request.body);
		headers['Content-Type'] = 'application/json';
	} else if (request.multipart !== undefined) {
		options.body = request.multipart.data;
		headers['Content-Type'] = request.multipart.contentType;
	}
	return options;
}

/**
 * The credential read for this item, passed through so that n8n does not load it again for each attempt: in
 * a real n8n every credential load costs a database read and an expression isolate (BENCHMARKS.md, the
 * trigger's profile: the credential's isolate is 8 % of a delivery's busy time).
 */
function passCredential(
	node: INode,
	credentials: Record<string, unknown>,
): IAdditionalCredentialOptions {
	const credentialRef = node.credentials?.[CREDENTIAL_TYPE];
	return {
		credentialsDecrypted: {
			id: credentialRef?.id ?? '',
			name: credentialRef?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: credentials as ICredentialDataDecryptedObject,
		},
	};
}
