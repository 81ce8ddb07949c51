import Decimal from 'decimal.js';

import type { Gateway } from './gateways';
import type { Signer } from './signature';
import { signedBy } from './signature';
import { formatMoney } from './stateMachine';
import type { ChildTransaction, OperationRecord } from './stateMachine';
import type { Card, Transaction } from './store';

/**
 * The JSON Ottu sends and answers with: the payment-webhook payload (also the answer of inquiry and native
 * payments) and the external-operation payload (operation answer and operation webhook). Signed here.
 */

const PG_PARAM_NAMES: Record<string, [string, string]> = {
	auth_code: ['Auth Code', 'رمز التفويض'],
	card_type: ['Card Type', 'نوع البطاقة'],
	card_number: ['Card Number', 'رقم البطاقة'],
	transaction_id: ['Transaction ID', 'رقم العملية'],
	receipt_no: ['Receipt No', 'رقم الإيصال'],
	rrn: ['RRN', 'RRN'],
	result: ['Result', 'النتيجة'],
	pg_message: ['PG Message', 'رسالة البوابة'],
};

function pgParams(values: Record<string, string>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(values).map(([k, value]) => [
			k,
			{
				value,
				verbose_name_en: PG_PARAM_NAMES[k]?.[0] ?? k,
				verbose_name_ar: PG_PARAM_NAMES[k]?.[1] ?? k,
			},
		]),
	);
}

const MESSAGES: Record<string, string> = {
	success: 'Payment processed successfully.',
	failed: 'Transaction declined by the payment gateway (sandbox test card).',
	canceled: 'The payment was canceled.',
	pending: 'The payment is pending.',
};

export interface PaymentPayloadInput {
	txn: Transaction;
	gateway?: Gateway;
	card?: Card;
	signer: Signer;
	timestamp: string;
	/** Overrides the last attempt's result (e.g. "canceled" after a cancel operation). */
	result?: string;
}

export function cardJson(card: Card): Record<string, unknown> {
	return {
		brand: card.brand,
		customer_id: card.customer_id,
		cvv_required: card.cvv_required,
		expiry_month: card.expiry_month,
		expiry_year: card.expiry_year,
		is_expired: false,
		is_preferred: card.is_preferred,
		name_on_card: card.name_on_card,
		number: card.number,
		pg_code: card.pg_code,
		pg_name: card.pg_name,
		token: card.token,
		agreements: card.agreements,
	};
}

export function childJson(child: ChildTransaction): Record<string, unknown> {
	return {
		amount: child.amount,
		currency_code: child.currency_code,
		order_no: child.order_no,
		session_id: child.session_id,
		state: child.state,
	};
}

function addressFields(fields: Record<string, unknown>): Record<string, unknown> {
	const billing = (fields.billing_address ?? {}) as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	for (const k of ['line1', 'line2', 'city', 'state', 'country', 'postal_code']) {
		if (billing[k] !== undefined) out[`customer_address_${k}`] = billing[k];
	}
	return out;
}

/** The payload's amount, currency, amount_details and fee (the sandbox charges no fee). */
function amountFields(amount: string, currency: string): Record<string, unknown> {
	const zero = formatMoney(0, (amount.split('.')[1] ?? '').length);
	return {
		amount,
		currency_code: currency,
		amount_details: { currency_code: currency, amount, total: amount, fee: zero },
		fee: `${zero} ${currency}`,
	};
}

/** What the gateway answered the last attempt: its response and its pg_params. */
function gatewayAnswer(
	attempt: Transaction['attempts'][number] | undefined,
	result: string,
	card: Card | undefined,
): Record<string, unknown> {
	if (!attempt) return { gateway_response: {}, pg_params: {} };
	const success = result === 'success';
	return {
		gateway_response: {
			result: success ? 'CAPTURED' : result.toUpperCase(),
			reference: attempt.reference_number,
			sandbox: true,
		},
		pg_params: pgParams({
			result: success ? 'CAPTURED' : result.toUpperCase(),
			card_type: card?.brand ?? 'MASTERCARD',
			card_number: card?.number ?? '512345******0008',
			auth_code: success ? attempt.reference_number.slice(-6).toUpperCase() : '',
			transaction_id: attempt.reference_number,
			pg_message: MESSAGES[result] ?? '',
		}),
	};
}

/** The customer, address, agreement, card and initiator fields a payment payload ends with. */
function customerFields(txn: Transaction, card: Card | undefined): Record<string, unknown> {
	const f = txn.fields;
	const out: Record<string, unknown> = {};
	for (const k of [
		'customer_id',
		'customer_email',
		'customer_first_name',
		'customer_last_name',
		'customer_phone',
		'customer_birthdate',
	]) {
		if (f[k] !== undefined) out[k] = f[k];
	}
	Object.assign(out, addressFields(f));
	out.extra = f.extra ?? {};
	if (f.agreement) out.agreement = f.agreement;
	if (card) out.token = cardJson(card);
	if (f.card_acceptance_criteria) out.card_acceptance_criteria = f.card_acceptance_criteria;
	if (txn.initiator)
		out.initiator = {
			id: 1,
			first_name: '',
			last_name: '',
			username: txn.initiator,
			email: '',
			phone: '',
		};
	return out;
}

/**
 * settled_amount and remaining_amount, required by Ottu's payment-webhook schema: what was paid or
 * authorized, and what is still due. Written as strings with the currency's decimals, as in Ottu's
 * payload example (the schema says number; the node reads neither).
 */
function settlementFields(txn: Transaction): Record<string, string> {
	const decimals = (txn.amount.split('.')[1] ?? '').length;
	const settled = ['paid', 'authorized', 'cod'].includes(txn.state)
		? txn.state === 'authorized'
			? txn.authorized_amount
			: txn.paid_amount
		: '0';
	const due = new Decimal(txn.amount).minus(txn.state === 'cod' ? 0 : settled);
	return {
		settled_amount: formatMoney(settled, decimals),
		remaining_amount: formatMoney(Decimal.max(due, 0), decimals),
	};
}

/** Ottu's payment webhook payload (digest §4.3), signed. */
export function paymentPayload(input: PaymentPayloadInput): Record<string, unknown> {
	const { txn, gateway, card } = input;
	const attempt = txn.attempts[txn.attempts.length - 1];
	const result = input.result ?? attempt?.result ?? 'pending';
	const f = txn.fields;
	const payload: Record<string, unknown> = {
		session_id: txn.session_id,
		order_no: txn.order_no ?? null,
		reference_number: attempt?.reference_number ?? '',
		state: txn.state,
		result,
		message: MESSAGES[result] ?? '',
		...amountFields(txn.amount, txn.currency_code),
		paid_amount: txn.state === 'authorized' ? txn.captured_amount : txn.paid_amount,
		refunded_amount: txn.refunded_amount,
		voided_amount: txn.voided_amount,
		payment_type: f.payment_type ?? 'one_off',
		gateway_name: gateway?.pg_name ?? '',
		gateway_account: gateway?.code ?? '',
		...gatewayAnswer(attempt, result, card),
		is_sandbox: gateway?.is_sandbox ?? true,
		transactions: txn.children.map(childJson),
		transaction_log_id: null,
		timestamp_utc: input.timestamp,
	};
	Object.assign(payload, settlementFields(txn));
	Object.assign(payload, customerFields(txn, card));
	return signedBy(payload, input.signer);
}

export interface OperationPayloadInput {
	txn: Transaction;
	child: ChildTransaction;
	record: OperationRecord;
	gateway?: Gateway;
	signer: Signer;
	timestamp: string;
	initiator?: string;
	/** A queued refund the gateway rejected. */
	rejected?: boolean;
}

/** Ottu's external-operation payload (digest §2.6 / §4.4): the operation's answer and its webhook, signed. */
export function operationPayload(input: OperationPayloadInput): Record<string, unknown> {
	const { txn, child } = input;
	const ok = !input.rejected;
	const payload: Record<string, unknown> = {
		amount: child.amount,
		session_id: txn.session_id,
		order_no: txn.order_no ?? null,
		is_sandbox: input.gateway?.is_sandbox ?? true,
		operation: child.operation,
		pg_code: child.pg_code,
		pg_response: {
			status: ok ? 'SUCCESS' : 'REJECTED',
			operation: child.operation.toUpperCase(),
			reference: child.reference_number,
			sandbox: true,
		},
		reference_number: child.reference_number,
		source: 'input',
		success: ok,
		result: ok ? 'success' : 'failed',
		timestamp_utc: input.timestamp,
		txn: childJson(child),
		pg_params: {},
		extra: txn.fields.extra ?? {},
	};
	if (input.initiator)
		payload.initiator = {
			id: 1,
			first_name: '',
			last_name: '',
			username: input.initiator,
			email: '',
			phone: '',
		};
	return signedBy(payload, input.signer);
}

export interface OperationStatusInput {
	txn: Transaction;
	child: ChildTransaction;
	gateway?: Gateway;
	signer: Signer;
	timestamp: string;
}

const CHILD_RESULT: Record<ChildTransaction['state'], string> = {
	paid: 'success',
	refunded: 'success',
	voided: 'success',
	refund_queued: 'pending',
	refund_rejected: 'failed',
};

const CHILD_AMOUNT_FIELD: Partial<Record<ChildTransaction['state'], string>> = {
	paid: 'paid_amount',
	refunded: 'refunded_amount',
	refund_queued: 'refunded_amount',
	voided: 'voided_amount',
};

/**
 * Ottu's answer to a repeated Tracking-Key: the latest status of the original operation, shaped like the
 * payment webhook payload instead of the operation answer (digest §2.6; its example shows `state: "refunded"`,
 * a child state, §3.3). Assumption (not documented): the payload describes the operation's own child
 * transaction (its session_id, amount and state); `result` follows the child's state.
 */
export function operationStatusPayload(input: OperationStatusInput): Record<string, unknown> {
	const { txn, child } = input;
	const result = CHILD_RESULT[child.state];
	const payload: Record<string, unknown> = {
		session_id: child.session_id,
		order_no: child.order_no,
		reference_number: child.reference_number,
		state: child.state,
		result,
		message: MESSAGES[result] ?? '',
		...amountFields(child.amount, child.currency_code),
		payment_type: txn.fields.payment_type ?? 'one_off',
		gateway_name: input.gateway?.pg_name ?? '',
		gateway_account: child.pg_code,
		gateway_response: {
			status: child.state.toUpperCase(),
			operation: child.operation.toUpperCase(),
			reference: child.reference_number,
			sandbox: true,
		},
		pg_params: {},
		is_sandbox: input.gateway?.is_sandbox ?? true,
		transactions: [],
		transaction_log_id: null,
		timestamp_utc: input.timestamp,
		extra: txn.fields.extra ?? {},
	};
	const amountField = CHILD_AMOUNT_FIELD[child.state];
	if (amountField) payload[amountField] = child.amount;
	return signedBy(payload, input.signer);
}
