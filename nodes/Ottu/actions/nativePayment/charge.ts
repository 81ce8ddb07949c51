import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { verifyChargeAnswer } from '../../helpers/answerSignature';
import { OttuInputError } from '../../helpers/errors';
import { apiPath, pathSegment, SESSION_ID, segmentText } from '../../helpers/pathSegment';
import { optionalJsonObject, optionalText } from '../../helpers/validation';
import { ottuApiRequest, outcomeUnknown, settle } from '../../transport';
import { trackingKeyFields, trackingKeyFor } from '../moneyMoving';

/**
 * Building blocks of the Native Payment charges (POST /b/pbl/v2/payment/<method>/). Each charge file says
 * which parameters it has and what it sends; nothing here depends on which charge calls it.
 */

/** The optional gateway of a native charge, from the instance's gateways. */
export function gatewayProperty(purpose: string): INodeProperties {
	return {
		displayName: 'Gateway Name or ID',
		name: 'pgCode',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getGateways' },
		default: '',
		description: `${purpose}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

/** The wallet button's payment object (Apple Pay token, Google Pay payment data), passed on unchanged. */
export function walletPayloadProperty(displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name: 'payload',
		type: 'json',
		default: '{}',
		required: true,
		description,
	};
}

/** The Session ID of the transaction to pay, checked as a path-safe session_id. */
export function readSessionId(ctx: IExecuteFunctions, itemIndex: number): string {
	return segmentText(ctx.getNodeParameter('sessionId', itemIndex), 'Session ID', SESSION_ID);
}

/** The Gateway (pg_code) when one was chosen. */
export function readGateway(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	return optionalText(ctx.getNodeParameter('pgCode', itemIndex, ''), 'Gateway', 50) || undefined;
}

export interface WalletPayload {
	/** The field's display name, for the messages. */
	label: string;
	/** Where the object comes from, for the fix: "Apple Pay" or "Google Pay". */
	button: string;
	/** The keys the object must have. */
	required: string[];
	/** A deeper check of the object's shape, if any. */
	check?: (payload: IDataObject | undefined, label: string) => void;
}

/** The wallet payment object, checked for the keys Ottu needs before anything is sent. */
export function readWalletPayload(
	ctx: IExecuteFunctions,
	itemIndex: number,
	shape: WalletPayload,
): IDataObject {
	const payload = optionalJsonObject(ctx.getNodeParameter('payload', itemIndex), shape.label);
	shape.check?.(payload, shape.label);
	const missing = shape.required.filter((k) => payload?.[k] === undefined);
	if (!payload || missing.length > 0) {
		throw new OttuInputError(
			'payload',
			`${shape.label} is missing ${missing.join(', ')}`,
			`Pass the object your ${shape.button} button returned, unchanged`,
		);
	}
	return payload;
}

export interface ChargeRequest {
	/** The charge's name in the automatic Tracking-Key (applePay, autoDebit, ...). */
	charge: string;
	path: string;
	sessionId: string;
	body: IDataObject;
}

/**
 * Sends a charge once and returns Ottu's answer with the Tracking-Key it carried. Ottu documents Tracking-Key
 * replays only for /b/pbl/v2/operation/: a charge whose outcome is unknown is never sent again (a 429,
 * refused before anything was done, is still waited out and retried). The transaction is read first: one
 * already charged (an earlier run that lost its answer or its worker, a payment on another channel) is not
 * charged again.
 */
export async function postCharge(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: ChargeRequest,
): Promise<IDataObject> {
	const trackingKey = await trackingKeyFor(ctx, itemIndex, {
		operation: request.charge,
		transaction: { session_id: request.sessionId },
	});
	const before = await readTransaction(ctx, itemIndex, request.sessionId);
	const response = isCharged(before)
		? alreadyCharged(before)
		: await sendCharge(ctx, itemIndex, request, trackingKey.key);
	return {
		...(await verifyChargeAnswer(ctx, itemIndex, response, request.sessionId)),
		...trackingKeyFields(trackingKey),
	};
}

/** The charge itself, sent once; a lost answer is settled by reading the transaction. */
async function sendCharge(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: ChargeRequest,
	trackingKey: string,
): Promise<IDataObject> {
	const sent = await settle(
		ottuApiRequest.call(ctx, {
			method: 'POST',
			path: request.path,
			body: request.body,
			trackingKey,
			retry: 'once',
			unknownOutcome: chargeMayHaveGoneThrough(request.sessionId),
			settledByRead: true,
			itemIndex,
		}),
	);
	if ('value' in sent) return sent.value as IDataObject;
	if (!outcomeUnknown(sent.error)) throw sent.error;
	return await settleByLookup(ctx, itemIndex, request.sessionId, sent.error);
}

/** Transaction states that show a charge went through (captured, or authorized for a later capture). */
const CHARGED_STATES = new Set(['paid', 'authorized']);

function isCharged(transaction: IDataObject): boolean {
	return typeof transaction.state === 'string' && CHARGED_STATES.has(transaction.state);
}

/** The transaction (Payment Transaction → Get). */
async function readTransaction(
	ctx: IExecuteFunctions,
	itemIndex: number,
	sessionId: string,
): Promise<IDataObject> {
	const read = await ottuApiRequest.call(ctx, {
		method: 'GET',
		path: apiPath`/b/checkout/v1/pymt-txn/${pathSegment(sessionId, 'Session ID', SESSION_ID)}/`,
		itemIndex,
	});
	return (read ?? {}) as IDataObject;
}

/** The transaction read, reported as the charge's outcome. */
function chargedByLookup(transaction: IDataObject, note: string): IDataObject {
	return { ...transaction, outcome_settled_by: 'lookup', outcome_note: note };
}

function alreadyCharged(transaction: IDataObject): IDataObject {
	return chargedByLookup(
		transaction,
		`The transaction was already ${String(transaction.state)} when this charge was to be sent (by an earlier run whose answer or worker was lost, or on another channel), so the item is reported as charged. Nothing was charged now.`,
	);
}

/**
 * After a charge whose answer was lost: one read of the transaction (Payment Transaction → Get) settles it when
 * the transaction shows it paid; otherwise the charge's own error stands ("it may have gone through").
 */
async function settleByLookup(
	ctx: IExecuteFunctions,
	itemIndex: number,
	sessionId: string,
	unsure: unknown,
): Promise<IDataObject> {
	const read = await settle(readTransaction(ctx, itemIndex, sessionId));
	if (!('value' in read) || !isCharged(read.value)) throw unsure;
	return chargedByLookup(
		read.value,
		`The charge's answer was lost; the transaction read afterwards is ${String(read.value.state)}, so the item is reported as charged. Not charged again.`,
	);
}

/**
 * An app-wallet charge (Apple Pay, Google Pay): the Session ID, the wallet's payload as received, the Gateway
 * when chosen, sent once; the answer marks a 3-D Secure challenge.
 */
export async function postAppWalletCharge(
	ctx: IExecuteFunctions,
	itemIndex: number,
	wallet: { charge: string; path: string; payload: WalletPayload },
): Promise<IDataObject> {
	const sessionId = readSessionId(ctx, itemIndex);
	const body: IDataObject = {
		session_id: sessionId,
		payload: readWalletPayload(ctx, itemIndex, wallet.payload),
	};
	const pgCode = readGateway(ctx, itemIndex);
	if (pgCode) body.pg_code = pgCode;
	const out = await postCharge(ctx, itemIndex, {
		charge: wallet.charge,
		path: wallet.path,
		sessionId,
		body,
	});
	return withThreeDs(out);
}

/** A card charge may ask for a 3-D Secure challenge the customer must complete in a browser. */
export function withThreeDs(out: IDataObject): IDataObject {
	return out.status === '3DS'
		? {
				...out,
				requires_3ds: true,
			}
		: out;
}

/** What an error says when a charge was sent but its answer was lost (timeout, reset, 5xx, garbled answer). */
export function chargeMayHaveGoneThrough(sessionId: string): string {
	return (
		`The charge may have gone through. Check with Payment Transaction → Get or Payment Status → Check (session_id ${sessionId}) before charging again. ` +
		'It was not repeated automatically: Ottu does not document Tracking-Key protection for charges, so a repeat could charge the customer twice.'
	);
}
