/**
 * What kind of Ottu webhook a payload is, and the derived fields the trigger adds under `_ottu`.
 * Payment and operation webhooks share no type field, so they are told apart by shape: a payment
 * payload has the parent `state` at top level; an operation payload has `txn`, `source`, `pg_response`
 * and `success` instead. A save-card event is a payment payload with `payment_type: "save_card"`.
 */
import type { IDataObject } from 'n8n-workflow';

export type OttuEvent = 'payment' | 'operation' | 'save_card';

export interface OttuEventInfo {
	event: OttuEvent;
	/** The parent transaction state for payment and save-card events; refund, capture or void for operations. */
	kind: string;
	/** Attempt result for payments; success, queued, rejected or failed for operations. */
	result: string;
	isPaid: boolean;
	isSuccess: boolean;
}

/** Ottu's "success" parent states. */
const SUCCESS_STATES = new Set(['paid', 'authorized', 'cod']);

/** Child transaction state → operation, for operation payloads that carry `operation: null`. */
const OPERATION_BY_CHILD_STATE: Record<string, string> = {
	refunded: 'refund',
	refund_queued: 'refund',
	refund_rejected: 'refund',
	voided: 'void',
	paid: 'capture',
};

const RESULT_BY_CHILD_STATE: Record<string, string> = {
	refund_queued: 'queued',
	refund_rejected: 'rejected',
};

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isOperationPayload(body: IDataObject): boolean {
	if (typeof body.state === 'string' && body.state !== '') return false;
	return isObject(body.txn) || 'source' in body || 'pg_response' in body || typeof body.success === 'boolean';
}

export function classifyOttuEvent(body: IDataObject): OttuEventInfo {
	if (isOperationPayload(body)) {
		const txn = isObject(body.txn) ? body.txn : {};
		const childState = text(txn.state);
		const kind = text(body.operation) || OPERATION_BY_CHILD_STATE[childState] || 'unknown';
		let result = text(body.result) || RESULT_BY_CHILD_STATE[childState] || '';
		if (!result && typeof body.success === 'boolean') result = body.success ? 'success' : 'failed';
		const isSuccess = body.success === true || result === 'success';
		return { event: 'operation', kind, result, isPaid: false, isSuccess };
	}
	const state = text(body.state) || 'unknown';
	const result = text(body.result);
	if (text(body.payment_type) === 'save_card') {
		return { event: 'save_card', kind: state, result, isPaid: false, isSuccess: SUCCESS_STATES.has(state) || result === 'success' };
	}
	return { event: 'payment', kind: state, result, isPaid: state === 'paid', isSuccess: SUCCESS_STATES.has(state) };
}

/** Values of the Events parameter: `*`, `payment.*`, `payment.<state>`, `operation.*`, `operation.<op>`, `save_card`. */
export function eventSelected(selected: readonly string[], info: OttuEventInfo): boolean {
	if (selected.length === 0 || selected.includes('*')) return true;
	if (info.event === 'save_card') return selected.includes('save_card');
	return selected.includes(`${info.event}.*`) || selected.includes(`${info.event}.${info.kind}`);
}

/** Operation results filter; an empty list lets every result through. Payments are not affected. */
export function operationResultSelected(selected: readonly string[], info: OttuEventInfo): boolean {
	if (info.event !== 'operation' || selected.length === 0) return true;
	return selected.includes(info.result);
}

/**
 * Identity of a delivery for de-duplication: Ottu's retries repeat the same session, state or
 * operation, result and reference number; a real change (failed → paid, refund queued → refunded)
 * changes the key. Undefined when the payload lacks a session id, so it is never wrongly dropped.
 */
export function deliveryKey(body: IDataObject, info: OttuEventInfo): string | undefined {
	const sessionId = typeof body.session_id === 'string' ? body.session_id : '';
	if (!sessionId) return undefined;
	const reference = typeof body.reference_number === 'string' || typeof body.reference_number === 'number' ? String(body.reference_number) : '';
	return JSON.stringify([info.event, sessionId, info.kind, info.result, reference]);
}
