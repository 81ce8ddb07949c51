/**
 * What kind of Ottu webhook a payload is, decided only from the fields Ottu's signature covers, and the
 * derived fields the trigger adds under `_ottu`. Ottu signs `state` (payments carry it at top level,
 * operations do not), `result`, `amount` and the reference number, but never which operation (refund,
 * capture, void) a webhook reports, nor `success` or the session ID under its previous scheme: those
 * stay in the payload for the workflow to read, and the trigger decides nothing from them.
 */
import { createHash } from 'crypto';

import type { SignatureScheme } from '../ottuSignature/signature';

export type OttuEvent = 'payment' | 'operation' | 'save_card';

/** Signed text by field name or dot path, as Ottu signed it (absent, null and "" are left out). */
export type SignedFields = Readonly<Record<string, string>>;

export interface OttuEventInfo {
	event: OttuEvent;
	/** The parent transaction state for payment and save-card events; null for operations (not signed). */
	kind: string | null;
	/** Attempt result for payments; success, queued, rejected or failed for operations. */
	result: string;
	isPaid: boolean;
	isSuccess: boolean;
}

/** Ottu's "success" parent states. */
const SUCCESS_STATES = new Set(['paid', 'authorized', 'cod']);

function text(value: string | undefined): string {
	return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** Ottu requires amount "0" for a save-card checkout and at least 0.01 for a payment. */
function isZeroAmount(amount: string | undefined): boolean {
	return typeof amount === 'string' && /^(0+(\.0*)?|\.0+)$/.test(amount.trim());
}

export function classifyOttuEvent(signed: SignedFields): OttuEventInfo {
	const state = text(signed.state);
	const result = text(signed.result);
	if (state === '') {
		return {
			event: 'operation',
			kind: null,
			result,
			isPaid: false,
			isSuccess: result === 'success',
		};
	}
	// payment_type is signed only by the current scheme; a zero amount is signed by both.
	if (text(signed.payment_type) === 'save_card' || isZeroAmount(signed.amount)) {
		return {
			event: 'save_card',
			kind: state,
			result,
			isPaid: false,
			isSuccess: SUCCESS_STATES.has(state) || result === 'success',
		};
	}
	return {
		event: 'payment',
		kind: state,
		result,
		isPaid: state === 'paid',
		isSuccess: SUCCESS_STATES.has(state),
	};
}

/** Event values the trigger can no longer decide (the operation is not signed); refused at activation. */
export const UNVERIFIABLE_EVENTS: readonly string[] = [
	'operation.capture',
	'operation.refund',
	'operation.void',
];

/** Values of the Events parameter: `*`, `payment.*`, `payment.<state>`, `operation.*`, `save_card`. */
export function eventSelected(selected: readonly string[], info: OttuEventInfo): boolean {
	if (selected.length === 0 || selected.includes('*')) return true;
	if (info.event === 'save_card') return selected.includes('save_card');
	if (info.event === 'operation') return selected.includes('operation.*');
	return selected.includes('payment.*') || selected.includes(`payment.${info.kind}`);
}

/** Operation results filter; an empty list lets every result through. Payments are not affected. */
export function operationResultSelected(selected: readonly string[], info: OttuEventInfo): boolean {
	if (info.event !== 'operation' || selected.length === 0) return true;
	return selected.includes(info.result);
}

/**
 * Identity of a delivery for de-duplication: a hash of everything the signature covers. Ottu's retries
 * repeat it exactly; a real change (failed → paid, refund queued → refunded, another operation's
 * reference number) changes it. Undefined without a signed reference number, order number or session
 * ID, so a payload that says too little is never wrongly dropped. 32 hex digits whatever the payload.
 */
export function deliveryKey(
	signed: SignedFields,
	scheme: SignatureScheme | 'unverified',
): string | undefined {
	if (!signed.reference_number && !signed.order_no && !signed.session_id) return undefined;
	const canonical = JSON.stringify([
		scheme,
		...Object.keys(signed)
			.sort()
			.map((path) => [path, signed[path]]),
	]);
	return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 32);
}
