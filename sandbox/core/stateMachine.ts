import Decimal from 'decimal.js';

/**
 * The heart of the sandbox: Ottu's payment-transaction state machine as pure functions (no I/O, no clock,
 * no ids of its own: callers pass them in). A transaction's ledger goes in, a new ledger (or Ottu's failure
 * detail) comes out, so every rule is unit-testable and the HTTP layer only translates.
 */

export type ParentState =
	| 'created'
	| 'pending'
	| 'attempted'
	| 'authorized'
	| 'paid'
	| 'failed'
	| 'canceled'
	| 'expired'
	| 'invalided'
	| 'refunded'
	| 'cod';
export type ChildState = 'paid' | 'refunded' | 'refund_queued' | 'refund_rejected' | 'voided';
export type ExternalOperation = 'refund' | 'capture' | 'void';
export type InternalOperation = 'cancel' | 'expire' | 'delete';
export type OperationName = ExternalOperation | InternalOperation;
/** What the customer (or the hosted page's buttons) did with one payment attempt. */
export type Outcome = 'paid' | 'failed' | 'authorized' | 'canceled';
export type AttemptResult = 'pending' | 'success' | 'failed' | 'canceled' | 'error' | 'cod';

export const EXTERNAL_OPERATIONS: readonly ExternalOperation[] = ['refund', 'capture', 'void'];
export const OPERATIONS: readonly OperationName[] = [
	'refund',
	'capture',
	'void',
	'cancel',
	'expire',
	'delete',
];

export interface Attempt {
	reference_number: string;
	pg_code: string;
	outcome: Outcome;
	result: AttemptResult;
	at: number;
}

/** A child transaction created by a successful refund, capture or void. */
export interface ChildTransaction {
	session_id: string;
	order_no: string | null;
	operation: ExternalOperation;
	amount: string;
	currency_code: string;
	state: ChildState;
	reference_number: string;
	pg_code: string;
	tracking_key?: string;
	at: number;
}

export interface OperationRecord {
	operation: OperationName;
	amount: string | null;
	result: 'success';
	child_session_id?: string;
	reference_number?: string;
	tracking_key?: string;
	at: number;
}

/** Everything about a transaction's money and state. Amounts are strings with the currency's decimals. */
export interface Ledger {
	state: ParentState;
	amount: string;
	currency_code: string;
	/** Collected by a purchase. */
	paid_amount: string;
	/** Reserved by an authorization. */
	authorized_amount: string;
	captured_amount: string;
	/** Refunded, including refunds still queued at the gateway. */
	refunded_amount: string;
	voided_amount: string;
	/** pg_code that settled the payment (paid/authorized). */
	settled_pg_code: string | null;
	attempts: Attempt[];
	children: ChildTransaction[];
	operations: OperationRecord[];
	deleted?: 'soft' | 'hard';
}

export interface GatewayCapabilities {
	code: string;
	operations: readonly ExternalOperation[];
	queued_refunds?: boolean;
}

export type Failure = { ok: false; detail: string };
export type Success<T> = { ok: true } & T;
export type Result<T> = Success<T> | Failure;

const fail = (detail: string): Failure => ({ ok: false, detail });

export function formatMoney(value: Decimal.Value, decimals: number): string {
	return new Decimal(value).toFixed(decimals, Decimal.ROUND_HALF_UP);
}

export function newLedger(amount: string, currencyCode: string, decimals: number): Ledger {
	const zero = formatMoney(0, decimals);
	return {
		state: 'created',
		amount: formatMoney(amount, decimals),
		currency_code: currencyCode,
		paid_amount: zero,
		authorized_amount: zero,
		captured_amount: zero,
		refunded_amount: zero,
		voided_amount: zero,
		settled_pg_code: null,
		attempts: [],
		children: [],
		operations: [],
	};
}

/** States in which the customer may still pay (a new attempt). */
export const PAYABLE_STATES: readonly ParentState[] = ['created', 'pending', 'attempted'];
/** A delayed gateway callback or an inquiry can still turn these into paid/authorized. */
const LATE_SUCCESS_STATES: readonly ParentState[] = ['failed', 'expired'];

export interface OutcomeInput {
	outcome: Outcome;
	pg_code: string;
	reference_number: string;
	at: number;
	/** The MID's can_have_multiple_attempts (Ottu's default: on). */
	multipleAttempts?: boolean;
	decimals: number;
}

/** One payment attempt's result, with Ottu's multi-attempt semantics (digest §3.2). */
export function applyOutcome(
	ledger: Ledger,
	input: OutcomeInput,
): Result<{ ledger: Ledger; attempt: Attempt }> {
	if (ledger.deleted) return fail('This payment transaction has been deleted.');
	const success = input.outcome === 'paid' || input.outcome === 'authorized';
	const allowed =
		PAYABLE_STATES.includes(ledger.state) ||
		(success && LATE_SUCCESS_STATES.includes(ledger.state));
	if (!allowed) return fail(`This payment transaction is ${ledger.state} and cannot be paid.`);
	const multi = input.multipleAttempts ?? true;
	const attempt: Attempt = {
		reference_number: input.reference_number,
		pg_code: input.pg_code,
		outcome: input.outcome,
		result: success ? 'success' : input.outcome === 'failed' ? 'failed' : 'canceled',
		at: input.at,
	};
	const next: Ledger = { ...ledger, attempts: [...ledger.attempts, attempt] };
	switch (input.outcome) {
		case 'paid':
			next.state = 'paid';
			next.paid_amount = ledger.amount;
			next.settled_pg_code = input.pg_code;
			break;
		case 'authorized':
			next.state = 'authorized';
			next.authorized_amount = ledger.amount;
			next.settled_pg_code = input.pg_code;
			break;
		case 'failed':
			next.state = multi ? 'attempted' : 'failed';
			break;
		case 'canceled':
			next.state = multi ? 'attempted' : 'expired';
			break;
	}
	return { ok: true, ledger: next, attempt };
}

export interface OperationInput {
	operation: OperationName;
	/** For refund/capture; ignored for void and internal operations. */
	amount?: string;
	gateway?: GatewayCapabilities;
	decimals: number;
	at: number;
	/** Ids for the child transaction an external operation creates. */
	child_session_id?: string;
	reference_number?: string;
	order_no?: string | null;
	tracking_key?: string;
}

export type OperationResult = Result<{
	ledger: Ledger;
	record: OperationRecord;
	child?: ChildTransaction;
	/** Whether the transaction's state changed (payment webhook) — internal operations only. */
	stateChanged: boolean;
}>;

const CANCELABLE: readonly ParentState[] = ['created', 'pending', 'attempted', 'cod'];
const EXPIRABLE: readonly ParentState[] = ['created', 'pending', 'attempted'];
const SOFT_DELETE: readonly ParentState[] = ['paid', 'authorized', 'cod'];

/** What a refund may still take back: a purchase's collected amount, or what was captured of an authorization. */
export function refundable(ledger: Ledger): Decimal {
	const base =
		ledger.state === 'paid'
			? ledger.paid_amount
			: ledger.state === 'authorized'
				? ledger.captured_amount
				: '0';
	return Decimal.max(0, new Decimal(base).minus(ledger.refunded_amount));
}

/** What a capture may still take of an authorization. */
export function capturable(ledger: Ledger): Decimal {
	if (ledger.state !== 'authorized') return new Decimal(0);
	return Decimal.max(
		0,
		new Decimal(ledger.authorized_amount).minus(ledger.captured_amount).minus(ledger.voided_amount),
	);
}

/** Validates an operation amount: at most the currency's decimals, more than zero. */
function parseAmount(
	operation: string,
	raw: string | undefined,
	decimals: number,
): Decimal | Failure | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (!/^-?\d{0,13}(?:\.\d{0,3})?$/.test(raw) || raw === '-' || raw === '.')
		return fail('A valid number is required.');
	const frac = raw.split('.')[1] ?? '';
	if (frac.length > decimals)
		return fail(
			`The ${operation} amount ${raw} has more decimal places than the currency allows (${decimals}).`,
		);
	const value = new Decimal(raw);
	if (value.lessThanOrEqualTo(0)) return fail(`The ${operation} amount must be greater than zero.`);
	return value;
}

function supports(
	gateway: GatewayCapabilities | undefined,
	op: ExternalOperation,
): Failure | undefined {
	if (!gateway)
		return fail(`No payment gateway settled this transaction, so ${op} is not possible.`);
	if (!gateway.operations.includes(op))
		return fail(`The payment gateway "${gateway.code}" does not support the ${op} operation.`);
	return undefined;
}

function internal(ledger: Ledger, input: OperationInput, patch: Partial<Ledger>): OperationResult {
	const record: OperationRecord = {
		operation: input.operation,
		amount: null,
		result: 'success',
		at: input.at,
	};
	const next: Ledger = { ...ledger, ...patch, operations: [...ledger.operations, record] };
	return { ok: true, ledger: next, record, stateChanged: next.state !== ledger.state };
}

function external(
	ledger: Ledger,
	input: OperationInput,
	op: ExternalOperation,
	amount: Decimal,
	childState: ChildState,
	patch: Partial<Ledger>,
): OperationResult {
	const formatted = formatMoney(amount, input.decimals);
	const child: ChildTransaction = {
		session_id: input.child_session_id ?? '',
		order_no: input.order_no ?? null,
		operation: op,
		amount: formatted,
		currency_code: ledger.currency_code,
		state: childState,
		reference_number: input.reference_number ?? '',
		pg_code: input.gateway?.code ?? '',
		at: input.at,
		...(input.tracking_key ? { tracking_key: input.tracking_key } : {}),
	};
	const record: OperationRecord = {
		operation: op,
		amount: formatted,
		result: 'success',
		child_session_id: child.session_id,
		reference_number: child.reference_number,
		at: input.at,
		...(input.tracking_key ? { tracking_key: input.tracking_key } : {}),
	};
	const next: Ledger = {
		...ledger,
		...patch,
		children: [...ledger.children, child],
		operations: [...ledger.operations, record],
	};
	return { ok: true, ledger: next, record, child, stateChanged: false };
}

function capture(ledger: Ledger, input: OperationInput): OperationResult {
	const state = ledger.state;
	if (state !== 'authorized')
		return fail(`Only an authorized payment transaction can be captured; this one is "${state}".`);
	const unsupported = supports(input.gateway, 'capture');
	if (unsupported) return unsupported;
	if (new Decimal(ledger.voided_amount).greaterThan(0))
		return fail('This authorization has been voided and cannot be captured.');
	const remaining = capturable(ledger);
	if (remaining.lessThanOrEqualTo(0)) return fail('The authorized amount has been fully captured.');
	const parsed = parseAmount('capture', input.amount, input.decimals);
	if (parsed && 'ok' in parsed) return parsed;
	const amount = parsed ?? remaining;
	if (amount.greaterThan(remaining)) {
		return fail(
			`The capture amount ${formatMoney(amount, input.decimals)} exceeds the remaining authorized amount ${formatMoney(remaining, input.decimals)}.`,
		);
	}
	return external(ledger, input, 'capture', amount, 'paid', {
		captured_amount: formatMoney(new Decimal(ledger.captured_amount).plus(amount), input.decimals),
	});
}

function voidAuthorization(ledger: Ledger, input: OperationInput): OperationResult {
	const state = ledger.state;
	if (state !== 'authorized')
		return fail(`Only an authorized payment transaction can be voided; this one is "${state}".`);
	const unsupported = supports(input.gateway, 'void');
	if (unsupported) return unsupported;
	if (new Decimal(ledger.voided_amount).greaterThan(0))
		return fail('This authorization has already been voided.');
	if (new Decimal(ledger.captured_amount).greaterThan(0))
		return fail('An authorization that has been captured cannot be voided.');
	const amount = new Decimal(ledger.authorized_amount);
	return external(ledger, input, 'void', amount, 'voided', {
		voided_amount: formatMoney(amount, input.decimals),
	});
}

function refund(ledger: Ledger, input: OperationInput): OperationResult {
	const state = ledger.state;
	if (
		state !== 'paid' &&
		!(state === 'authorized' && new Decimal(ledger.captured_amount).greaterThan(0))
	) {
		return fail(
			`Only a paid (or captured) payment transaction can be refunded; this one is "${state}".`,
		);
	}
	const unsupported = supports(input.gateway, 'refund');
	if (unsupported) return unsupported;
	const remaining = refundable(ledger);
	if (remaining.lessThanOrEqualTo(0))
		return fail('This payment transaction has been fully refunded.');
	const parsed = parseAmount('refund', input.amount, input.decimals);
	if (parsed && 'ok' in parsed) return parsed;
	const amount = parsed ?? remaining;
	if (amount.greaterThan(remaining)) {
		return fail(
			`The refund amount ${formatMoney(amount, input.decimals)} exceeds the refundable amount ${formatMoney(remaining, input.decimals)}.`,
		);
	}
	return external(
		ledger,
		input,
		'refund',
		amount,
		input.gateway?.queued_refunds ? 'refund_queued' : 'refunded',
		{
			refunded_amount: formatMoney(
				new Decimal(ledger.refunded_amount).plus(amount),
				input.decimals,
			),
		},
	);
}

/** refund / capture / void / cancel / expire / delete with Ottu's preconditions (digest §3.1). */
export function applyOperation(ledger: Ledger, input: OperationInput): OperationResult {
	const op = input.operation;
	if (ledger.deleted) return fail('This payment transaction has been deleted.');
	const state = ledger.state;
	switch (op) {
		case 'cancel':
			if (!CANCELABLE.includes(state))
				return fail(
					`A payment transaction in state "${state}" cannot be canceled. Allowed states: ${CANCELABLE.join(', ')}.`,
				);
			return internal(ledger, input, { state: 'canceled' });
		case 'expire':
			if (!EXPIRABLE.includes(state))
				return fail(
					`A payment transaction in state "${state}" cannot be expired. Allowed states: ${EXPIRABLE.join(', ')}.`,
				);
			return internal(ledger, input, { state: 'expired' });
		case 'delete':
			return internal(ledger, input, { deleted: SOFT_DELETE.includes(state) ? 'soft' : 'hard' });
		case 'capture':
			return capture(ledger, input);
		case 'void':
			return voidAuthorization(ledger, input);
		case 'refund':
			return refund(ledger, input);
		default:
			return fail(`"${String(op)}" is not a valid choice.`);
	}
}

/** A queued refund settles at the gateway: refunded, or rejected (the money is refundable again). */
export function settleQueuedRefund(
	ledger: Ledger,
	childSessionId: string,
	outcome: 'refunded' | 'refund_rejected',
	decimals: number,
): Result<{ ledger: Ledger; child: ChildTransaction }> {
	const index = ledger.children.findIndex((c) => c.session_id === childSessionId);
	if (index < 0) return fail('No such child transaction.');
	const child = ledger.children[index];
	if (child.state !== 'refund_queued')
		return fail(`The child transaction is "${child.state}", not refund_queued.`);
	const updated: ChildTransaction = { ...child, state: outcome };
	const children = ledger.children.slice();
	children[index] = updated;
	const refunded =
		outcome === 'refund_rejected'
			? new Decimal(ledger.refunded_amount).minus(child.amount)
			: new Decimal(ledger.refunded_amount);
	return {
		ok: true,
		ledger: { ...ledger, children, refunded_amount: formatMoney(refunded, decimals) },
		child: updated,
	};
}

/** Ottu's expiration_time, a Django duration: "[DD] [HH:[MM:]]ss". Seconds, or undefined. */
export function parseDuration(text: string | undefined): number | undefined {
	if (!text) return undefined;
	const m = /^\s*(?:(\d+)\s+)?(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)\s*$/.exec(text);
	if (!m) return undefined;
	const [, days, hours, minutes, seconds] = m;
	return (
		Number(days ?? 0) * 86400 +
		Number(hours ?? 0) * 3600 +
		Number(minutes ?? 0) * 60 +
		Number(seconds)
	);
}

/** Ottu expires a transaction on the next payment attempt once expiration_time has passed. */
export function isPastExpiry(
	createdAtMs: number,
	expirationTime: string | undefined,
	nowMs: number,
): boolean {
	const seconds = parseDuration(expirationTime ?? '1 00:00:00') ?? 86400;
	return nowMs > createdAtMs + seconds * 1000;
}

export function expire(ledger: Ledger): Ledger {
	return PAYABLE_STATES.includes(ledger.state) ? { ...ledger, state: 'expired' } : ledger;
}
