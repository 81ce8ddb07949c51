import type { FastifyRequest } from 'fastify';

import type { SandboxContext } from '../context';
import { currencyDecimals } from './currencies';
import { detail, MSG } from './drf';
import type { Gateway } from './gateways';
import { newCardToken, newReferenceNumber } from './ids';
import { paymentPayload } from './payloads';
import type { Signer } from './signature';
import { applyOutcome, expire, isPastExpiry } from './stateMachine';
import type { Outcome } from './stateMachine';
import type { Card, Transaction, WebhookAttempt } from './store';

/**
 * Shared behaviour for everything that pays a transaction: hosted page, control route, native
 * payments, inquiry.
 */

export function decimalsOf(currency: string): number {
	return currencyDecimals(currency) ?? 2;
}

/** The merchant's Tracking-Key header: idempotency for external operations (digest §2.6). */
export function trackingKey(request: FastifyRequest): string | undefined {
	const value = request.headers['tracking-key'];
	const key = Array.isArray(value) ? value[0] : value;
	return key && key.trim() ? key.trim() : undefined;
}

/** Finds a transaction by session_id or order_no (hard-deleted ones are gone). */
export function lookupTransaction(
	ctx: SandboxContext,
	ids: { session_id?: unknown; order_no?: unknown },
): Transaction | undefined {
	if (typeof ids.session_id === 'string' && ids.session_id) {
		const txn = ctx.store.transactions.get(ids.session_id);
		if (!txn || txn.deleted === 'hard') return undefined;
		if (typeof ids.order_no === 'string' && ids.order_no && txn.order_no !== ids.order_no)
			return undefined;
		return txn;
	}
	if (typeof ids.order_no === 'string' && ids.order_no)
		return ctx.store.findByOrderNo(ids.order_no);
	return undefined;
}

export function transactionOr404(
	ctx: SandboxContext,
	ids: { session_id?: unknown; order_no?: unknown },
): Transaction {
	const txn = lookupTransaction(ctx, ids);
	if (!txn) throw detail(404, MSG.notFound);
	return txn;
}

/** The gateway of the last attempt (the one that settled, if any). */
export function attemptGateway(ctx: SandboxContext, txn: Transaction): Gateway | undefined {
	const code = txn.settled_pg_code ?? txn.attempts[txn.attempts.length - 1]?.pg_code;
	return code ? ctx.store.gateway(code) : undefined;
}

export function transactionCard(ctx: SandboxContext, txn: Transaction): Card | undefined {
	return txn.token ? ctx.store.cards.get(txn.token) : undefined;
}

/** How the merchant's Ottu signs now: its HMAC key, its scheme, its merchant ID (default: the host name). */
export function signerOf(ctx: SandboxContext): Signer {
	const { scheme, merchantId } = ctx.store.signing;
	return {
		key: ctx.config.hmacKey,
		scheme,
		merchantId: merchantId ?? new URL(ctx.baseUrl() || 'http://127.0.0.1').hostname,
	};
}

export function buildPaymentPayload(
	ctx: SandboxContext,
	txn: Transaction,
	result?: string,
): Record<string, unknown> {
	return paymentPayload({
		txn,
		gateway: attemptGateway(ctx, txn),
		card: transactionCard(ctx, txn),
		signer: signerOf(ctx),
		timestamp: ctx.store.clock.timestampUtc(),
		result,
	});
}

/** POSTs the payment webhook to `url` (default: the transaction's webhook_url). */
export function sendPaymentWebhook(
	ctx: SandboxContext,
	txn: Transaction,
	payload: Record<string, unknown>,
	url?: string,
): Promise<WebhookAttempt> | undefined {
	const target = url ?? (txn.fields.webhook_url as string | undefined);
	if (!target) return undefined;
	return ctx.webhooks.send(target, 'payment', txn.session_id, payload);
}

/** Picks the gateway an attempt goes through: the one asked for, else the best fit for the outcome. */
export function chooseGateway(
	ctx: SandboxContext,
	txn: Transaction,
	outcome: Outcome,
	pgCode?: string,
): Gateway {
	if (pgCode) {
		if (!txn.pg_codes.includes(pgCode))
			throw detail(
				400,
				`pg_code "${pgCode}" is not one of this transaction's pg_codes (${txn.pg_codes.join(', ')}).`,
				{ result: 'failed' },
			);
		return ctx.store.gateway(pgCode)!;
	}
	const gateways = txn.pg_codes.map((c) => ctx.store.gateway(c)!).filter(Boolean);
	const tokenizing = ['save_card', 'auto_debit'].includes(String(txn.fields.payment_type));
	const wanted = outcome === 'authorized' ? 'authorize' : 'purchase';
	return (
		gateways.find((g) => g.operation === wanted && (!tokenizing || g.is_tokenizable)) ??
		gateways.find((g) => !tokenizing || g.is_tokenizable) ??
		gateways[0]
	);
}

/** Saves the card Ottu tokenizes on a successful save_card / auto_debit payment. */
function tokenize(ctx: SandboxContext, txn: Transaction, gateway: Gateway): Card {
	const customerId = String(txn.fields.customer_id ?? '');
	const agreementId = (txn.fields.agreement as { id?: string } | undefined)?.id;
	if (agreementId) {
		// One card per agreement: a new CIT with the same agreement moves it to the new card.
		for (const other of ctx.store.cards.values()) {
			if (other.customer_id === customerId)
				other.agreements = other.agreements.filter((a) => a !== agreementId);
		}
	}
	const year = (ctx.store.clock.date().getUTCFullYear() + 3) % 100;
	if (agreementId && !ctx.store.agreements.has(agreementId)) {
		ctx.store.agreements.set(agreementId, {
			agreement: txn.fields.agreement as Record<string, unknown>,
			customer_id: customerId,
			amount: txn.amount,
			charges: 0,
		});
	}
	const card: Card = {
		token: newCardToken(),
		customer_id: customerId,
		pg_code: gateway.code,
		pg_name: gateway.pg_name,
		brand: 'MASTERCARD',
		number: '**** 0008',
		name_on_card:
			[txn.fields.customer_first_name, txn.fields.customer_last_name].filter(Boolean).join(' ') ||
			null,
		expiry_month: '12',
		expiry_year: String(year).padStart(2, '0'),
		cvv_required: txn.fields.payment_type !== 'auto_debit',
		is_preferred: false,
		is_sandbox: gateway.is_sandbox,
		agreements: agreementId ? [agreementId] : [],
		created_at: ctx.store.clock.now(),
	};
	ctx.store.cards.set(card.token, card);
	return card;
}

export interface PayOptions {
	pg_code?: string;
	/** The saved card a merchant-initiated charge uses. */
	card?: Card;
	/** Where to POST the webhook (default: the transaction's webhook_url); false sends none. */
	webhook?: string | false;
}

export interface PayResult {
	txn: Transaction;
	payload: Record<string, unknown>;
	delivery?: Promise<WebhookAttempt>;
}

/**
 * One payment attempt with the given outcome: state machine, tokenization, signed payload, webhook.
 * Throws Ottu's 400 `{detail, result: "failed"}` when the transaction cannot be paid.
 */
export function pay(
	ctx: SandboxContext,
	txn: Transaction,
	outcome: Outcome,
	options: PayOptions = {},
): PayResult {
	const now = ctx.store.clock.now();
	if (
		isPastExpiry(txn.created_at, txn.fields.expiration_time as string | undefined, now) &&
		['created', 'pending', 'attempted'].includes(txn.state)
	) {
		Object.assign(txn, expire(txn));
	}
	const gateway = options.card
		? ctx.store.gateway(options.card.pg_code)!
		: chooseGateway(ctx, txn, outcome, options.pg_code);
	const result = applyOutcome(txn, {
		outcome,
		pg_code: gateway.code,
		reference_number: newReferenceNumber(),
		at: now,
		multipleAttempts: ctx.config.multipleAttempts,
		decimals: decimalsOf(txn.currency_code),
	});
	if (!result.ok) throw detail(400, result.detail, { result: 'failed' });
	Object.assign(txn, result.ledger);
	txn.updated_at = now;
	if (outcome === 'paid' || outcome === 'authorized') {
		if (options.card) txn.token = options.card.token;
		else if (
			['save_card', 'auto_debit'].includes(String(txn.fields.payment_type)) &&
			gateway.is_tokenizable
		)
			txn.token = tokenize(ctx, txn, gateway).token;
	}
	const payload = buildPaymentPayload(ctx, txn);
	const delivery =
		options.webhook === false ? undefined : sendPaymentWebhook(ctx, txn, payload, options.webhook);
	return { txn, payload, delivery };
}
