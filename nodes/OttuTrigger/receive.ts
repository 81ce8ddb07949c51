/**
 * The Ottu Trigger's answer to one delivery: refuse what cannot be genuine before the credential is
 * loaded, verify the signature, decide everything from the signed fields only, drop repeats, and hand
 * the workflow the verified payload with `_ottu` saying what was verified.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isRepeatDelivery, keepMarkedForSaving, pendingDelivery, settledDelivery } from './dedup';
import type { OttuEventInfo, SignedFields } from './events';
import { classifyOttuEvent, deliveryKey, eventSelected, operationResultSelected } from './events';
import type { TriggerOptions } from './options';
import {
	KEY_LOCATION,
	MERCHANT_ID_LOCATION,
	NO_KEY_MESSAGE,
	PREVIOUS_SCHEME_LOCATION,
	readOptions,
} from './options';
import type { RawValue } from '../ottuSignature/rawJson';
import { parseRawJson, rawValueAt } from '../ottuSignature/rawJson';
import type { SignatureCheck, SignatureScheme } from '../ottuSignature/signature';
import {
	checkEnvelope,
	CURRENT_SIGNED_PATHS,
	merchantOfBaseUrl,
	readEnvelope,
	sameMerchant,
	signedAt,
	signedText,
	signedValues,
} from '../ottuSignature/signature';

/** Said to anyone whose payload fails verification; deliberately says nothing about the key. */
const UNAUTHORIZED_BODY = { message: 'Unauthorized: the webhook signature could not be verified' };
/** Said when the trigger itself cannot work (its credential unreadable); nothing ran. */
const UNAVAILABLE_BODY = {
	message:
		'Service unavailable: the webhook could not be checked now and did not run; send it again',
};

type Refusal =
	| Extract<SignatureCheck, { valid: false }>['reason']
	| 'credential-error'
	| 'previous-scheme'
	| 'merchant-mismatch';

/** What the trigger knows about a delivery it accepted. */
interface Accepted {
	signed: SignedFields;
	scheme: SignatureScheme | null;
}

/** The signed merchant and the one expected, when they differ (for the editor message). */
interface MerchantMismatch {
	signed: string;
	expected: string;
}

function rawBodyText(body: unknown): string | undefined {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (typeof body === 'string') return body;
	return undefined;
}

/** Shown in the editor when a test event is refused; production answers 401 and runs nothing. */
function refusalError(
	this: IWebhookFunctions,
	reason: Refusal,
	merchant?: MerchantMismatch,
): NodeOperationError {
	const credential = this.getNode().credentials?.ottuApi?.name ?? 'Ottu API';
	const texts: Record<Refusal, [string, string]> = {
		ambiguous: [
			"The webhook's signed fields hold a line break, so its signature could belong to another webhook",
			"Ottu's signature does not escape line breaks: the same signature can cover a different split of the same text into fields. Genuine Ottu webhooks carry none.",
		],
		'previous-scheme': [
			"This webhook is signed with Ottu's previous signature scheme, which this trigger does not accept",
			`The signature is genuine, but the previous scheme does not sign session_id, payment_type, extra or the card token, so a captured webhook could be replayed against another payment. Ottu has moved to the current scheme; only if your Ottu instance has not moved yet, turn on ${PREVIOUS_SCHEME_LOCATION}.`,
		],
		'merchant-mismatch': [
			`This webhook is for the Ottu merchant "${merchant?.signed ?? ''}", not "${merchant?.expected ?? ''}"`,
			`Ottu signs the merchant in extra.merchant_id. The trigger expects the host of the credential "${credential}" or the value of ${MERCHANT_ID_LOCATION}. If "${merchant?.signed ?? ''}" is your merchant, put it in ${MERCHANT_ID_LOCATION}; otherwise the webhook was sent to the wrong workflow.`,
		],
		mismatch: [
			"Ottu's webhook signature did not match the Webhook HMAC Key",
			`The key is the Webhook HMAC Key of the credential "${credential}". Copy it again from ${KEY_LOCATION} (it is not the API key), then listen again.`,
		],
		'no-key': [NO_KEY_MESSAGE, `The credential in use is "${credential}".`],
		'no-signature': [
			'The webhook had no signature field, so it cannot come from Ottu',
			'Ottu signs every webhook it sends.',
		],
		'malformed-signature': [
			"The webhook's signature field is not an Ottu signature (64 hexadecimal digits)",
			'Ottu signs every webhook it sends.',
		],
		'unreadable-body': [
			"The webhook's body is not a JSON object, so it cannot come from Ottu",
			'Ottu sends JSON webhooks.',
		],
		'credential-error': [
			`The credential "${credential}" could not be read`,
			'n8n could not load it (is its database reachable?). On the Production URL such a webhook is answered 503 and does not run; send it again once n8n is healthy. If this persists, open the credential and save it again.',
		],
	};
	const [message, fix] = texts[reason];
	return new NodeOperationError(this.getNode(), message, {
		description: `${fix} The webhook was refused and the workflow did not run. In production the same webhook is answered ${reason === 'credential-error' ? 503 : 401} and nothing runs.`,
	});
}

function refuse(
	this: IWebhookFunctions,
	reason: Refusal,
	merchant?: MerchantMismatch,
): IWebhookResponseData {
	if (reason === 'credential-error') return unavailable.call(this);
	this.logger.warn(`Ottu Trigger: webhook refused with 401 (${reason})`, {
		node: this.getNode().name,
	});
	if (this.getMode() === 'manual') throw refusalError.call(this, reason, merchant);
	this.getResponseObject().status(401).json(UNAUTHORIZED_BODY);
	return { noWebhookResponse: true };
}

/**
 * The credential could not be read (its database unreachable): a fault here, not a forgery, so 503 and
 * nothing run. Ottu does not retry an error answer: the delivery is recovered by re-sending it or by
 * reconciling (see the README).
 */
function unavailable(this: IWebhookFunctions): IWebhookResponseData {
	if (this.getMode() === 'manual') throw refusalError.call(this, 'credential-error');
	this.getResponseObject().status(503).json(UNAVAILABLE_BODY);
	return { noWebhookResponse: true };
}

/** The HMAC key and the merchant of the credential's Ottu host; undefined when unreadable. */
async function credentialFacts(
	this: IWebhookFunctions,
): Promise<{ key: string; merchant: string | undefined } | undefined> {
	try {
		const credentials = await this.getCredentials('ottuApi');
		return {
			key: typeof credentials.hmacSecret === 'string' ? credentials.hmacSecret : '',
			merchant:
				typeof credentials.baseUrl === 'string'
					? merchantOfBaseUrl(credentials.baseUrl)
					: undefined,
		};
	} catch (error) {
		this.logger.error(
			'Ottu Trigger: could not read the Ottu API credential (is the database reachable?); webhook answered 503 and not run',
			{
				node: this.getNode().name,
				error: (error as Error).message,
			},
		);
		return undefined;
	}
}

/** The fields the signature would cover, read from an unverified body (Verify Signature off). */
function claimedFields(raw: string | undefined, body: IDataObject): SignedFields {
	let root: RawValue | undefined;
	try {
		root =
			raw === undefined
				? undefined
				: parseRawJson(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
	} catch {
		root = undefined;
	}
	const fields: Record<string, string> = {};
	for (const path of CURRENT_SIGNED_PATHS) {
		const fromRaw =
			root?.type === 'object' ? signedText(rawValueAt(root, path), 'current') : undefined;
		const value = path
			.split('.')
			.reduce<unknown>(
				(o, k) => (o && typeof o === 'object' ? (o as IDataObject)[k] : undefined),
				body,
			);
		const text =
			fromRaw ??
			(typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
		if (text !== undefined && text !== '') fields[path] = text;
	}
	return fields;
}

function parsePayload(raw: string | undefined): unknown {
	if (raw === undefined || raw.trim() === '') return undefined;
	try {
		return JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
	} catch {
		return undefined;
	}
}

/** `_ottu`: the decisions, which scheme verified and which of the payload's fields it signed. */
function derivedFields(body: IDataObject, accepted: Accepted, info: OttuEventInfo): IDataObject {
	const verifiedFields = accepted.scheme === null ? [] : Object.keys(accepted.signed);
	const derived: IDataObject = {
		...info,
		signatureVerified: accepted.scheme !== null,
		signatureScheme: accepted.scheme,
		verifiedFields,
		unsignedFields: Object.keys(body).filter(
			(field) => field !== 'signature' && !verifiedFields.includes(field),
		),
		merchantId:
			accepted.scheme === 'current' ? (accepted.signed['extra.merchant_id'] ?? null) : null,
	};
	if (accepted.scheme === null) {
		derived.warning =
			'Verify Signature is off in the Ottu Trigger: nothing in this webhook was verified; anyone who knows the URL can send it';
	} else if (accepted.scheme === 'previous') {
		derived.warning =
			"Verified with Ottu's previous signature scheme: session_id, payment_type, extra, the card token and the agreement are not signed. Confirm the payment with Payment Transaction → Get before acting on it";
	}
	return derived;
}

/** Answers the request here and tells n8n not to answer it again. */
function answered(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

/**
 * Whether the verified payload names another merchant than expected. Only a signed merchant ID binds:
 * the previous scheme does not sign it, and a payload without one (not documented) is not refused.
 */
function merchantMismatch(
	root: RawValue,
	scheme: SignatureScheme,
	expected: string | undefined,
): MerchantMismatch | undefined {
	const signed = scheme === 'current' ? signedAt(root, 'extra.merchant_id') : undefined;
	if (signed === undefined || !expected || sameMerchant(signed, expected)) return undefined;
	return { signed, expected };
}

/** Verifies the signature, the scheme and the merchant; on refusal, the 401 (or editor error) given. */
async function verifyDelivery(
	this: IWebhookFunctions,
	raw: string | undefined,
	options: TriggerOptions,
): Promise<{ accepted: Accepted } | { refused: IWebhookResponseData }> {
	// Shape first: a body that cannot be genuine costs no credential load.
	const envelope =
		raw === undefined
			? ({
					readable: false,
					reason: 'unreadable-body',
				} as const)
			: readEnvelope(raw);
	if (!envelope.readable) return { refused: refuse.call(this, envelope.reason) };
	const facts = await credentialFacts.call(this);
	if (facts === undefined) return { refused: refuse.call(this, 'credential-error') };
	const check = checkEnvelope(envelope, facts.key);
	if (!check.valid) return { refused: refuse.call(this, check.reason) };
	if (check.scheme === 'previous' && !options.acceptPreviousScheme)
		return { refused: refuse.call(this, 'previous-scheme') };
	const mismatch = merchantMismatch(
		envelope.root,
		check.scheme,
		options.merchantId || facts.merchant,
	);
	if (mismatch) return { refused: refuse.call(this, 'merchant-mismatch', mismatch) };
	return {
		accepted: {
			signed: Object.fromEntries(signedValues(envelope.root, check.scheme)),
			scheme: check.scheme,
		},
	};
}

/** The payload as a JSON object, or undefined when it is not one. */
function readPayload(
	this: IWebhookFunctions,
	raw: string | undefined,
	verifySignature: boolean,
): IDataObject | undefined {
	// The workflow gets exactly the bytes that were verified, parsed as JSON; n8n's own body parsing
	// (which follows the sender's Content-Type) is only used when verification is off.
	let payload = parsePayload(raw);
	if (payload === undefined && !verifySignature) payload = this.getBodyData();
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
	return payload as IDataObject;
}

/**
 * Whether this delivery was already run within the repeat window. When not, its key is recorded as
 * pending until n8n answers: kept on a 2xx (the execution is saved), forgotten otherwise.
 */
async function isRepeat(
	this: IWebhookFunctions,
	accepted: Accepted,
	options: TriggerOptions,
): Promise<boolean> {
	// A test event always runs: the user is listening for exactly one, perhaps re-sent on purpose.
	if (!options.ignoreRepeats || this.getMode() === 'manual') return false;
	const key = deliveryKey(accepted.signed, accepted.scheme ?? 'unverified');
	if (key === undefined) return false;
	const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	// A copy being handed to n8n right now: its outcome decides whether this one is a repeat.
	await settledDelivery(key, scope);
	const staticData = this.getWorkflowStaticData('node');
	const repeat = isRepeatDelivery(
		staticData,
		key,
		Date.now(),
		options.repeatWindowMinutes * 60_000,
		scope,
	);
	if (!repeat)
		settleOnAnswer(
			this.getResponseObject(),
			pendingDelivery(key, scope),
			keepMarkedForSaving(staticData, scope),
		);
	return repeat;
}

/**
 * n8n's answer settles a pending key; a connection closed before any answer keeps it (never twice).
 * n8n has saved the static data (or given up) by then, so the marking stops.
 */
function settleOnAnswer(
	res: ReturnType<IWebhookFunctions['getResponseObject']>,
	settle: (started: boolean) => void,
	stopMarking: () => void,
): void {
	res.once('finish', () => {
		stopMarking();
		settle(res.statusCode >= 200 && res.statusCode < 300);
	});
	res.once('close', () => {
		stopMarking();
		settle(true);
	});
}

export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const options = readOptions(this.getNodeParameter('options', {}) as IDataObject);
	const events = this.getNodeParameter('events', ['*']) as string[];

	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function')
		await req.readRawBody();
	const raw = rawBodyText(req.rawBody);

	let accepted: Accepted | undefined;
	if (options.verifySignature) {
		const verified = await verifyDelivery.call(this, raw, options);
		if ('refused' in verified) return verified.refused;
		accepted = verified.accepted;
	}

	const body = readPayload.call(this, raw, options.verifySignature);
	if (body === undefined) return answered.call(this, 400, 'Expected a JSON object');
	accepted ??= {
		signed: claimedFields(raw, body),
		scheme: null,
	};

	const info = classifyOttuEvent(accepted.signed);
	if (!eventSelected(events, info) || !operationResultSelected(options.operationResults, info)) {
		return answered.call(
			this,
			options.responseCode,
			'Received; this event is not selected in the Ottu Trigger',
		);
	}
	if (await isRepeat.call(this, accepted, options)) {
		this.logger.info('Ottu Trigger: repeated delivery answered without running the workflow', {
			node: this.getNode().name,
		});
		return answered.call(this, options.responseCode, 'Received; repeated delivery ignored');
	}

	// n8n answers (with the chosen code) only once it has saved the execution, as its own Webhook node
	// does in "respond immediately" mode; if it cannot, it answers 5xx and the delivery can be re-sent.
	return {
		workflowData: [[{ json: { ...body, _ottu: derivedFields(body, accepted, info) } }]],
	};
}
