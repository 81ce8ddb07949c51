import Decimal from 'decimal.js';

import type { SandboxContext } from '../context';
import { isExpired } from './cards';
import { detail } from './drf';
import type { Gateway } from './gateways';
import { newReferenceNumber } from './ids';
import { pay } from './payments';
import type { Schema } from './schema';
import { validate } from './schema';
import type { Outcome } from './stateMachine';
import type { Card, Transaction } from './store';

/**
 * Native payment instruments, charged server-to-server on a session: Apple Pay, Google Pay (wallet
 * payloads passed through unmodified), the customer's wallet service, and auto-debit with a saved
 * card token under an agreement. Used by the Native Payments API and by one-step checkout
 * (`payment_instrument`). Ottu documents Tracking-Key replays only for /b/pbl/v2/operation/ (digest
 * §2.6, §2.8), so a Tracking-Key here is ignored: every request is a new charge attempt.
 */

const str = (max?: number): Schema[string] => ({
	kind: 'string',
	required: true,
	...(max ? { max } : {}),
});

export const applePaySchema: Schema = {
	session_id: str(128),
	pg_code: { kind: 'string', max: 50, nullable: true },
	payload: {
		kind: 'object',
		required: true,
		fields: {
			paymentData: {
				kind: 'object',
				required: true,
				fields: {
					version: str(),
					data: str(),
					signature: str(),
					header: {
						kind: 'object',
						required: true,
						fields: {
							ephemeralPublicKey: { kind: 'string' },
							wrappedKey: { kind: 'string' },
							publicKeyHash: str(),
							transactionId: str(),
						},
					},
				},
			},
			paymentMethod: {
				kind: 'object',
				required: true,
				fields: { displayName: str(), network: str(), type: str() },
			},
			transactionIdentifier: str(),
		},
	},
};

export const googlePaySchema: Schema = {
	session_id: str(128),
	pg_code: { kind: 'string', max: 50, nullable: true },
	payload: {
		kind: 'object',
		required: true,
		fields: {
			apiVersion: { kind: 'int', required: true },
			apiVersionMinor: { kind: 'int', required: true },
			paymentMethodData: {
				kind: 'object',
				required: true,
				fields: {
					type: str(),
					description: str(),
					info: {
						kind: 'object',
						required: true,
						fields: { cardNetwork: str(), cardDetails: str(), billingAddress: { kind: 'dict' } },
					},
					tokenizationData: {
						kind: 'object',
						required: true,
						fields: { type: str(), token: str() },
					},
				},
			},
			email: { kind: 'string' },
			shippingAddress: { kind: 'dict' },
		},
	},
};

// OpenAPI `WalletNativePayment`: only session_id is required; payload is a free-form object.
export const walletSchema: Schema = {
	session_id: str(128),
	pg_code: { kind: 'string', max: 50, nullable: true },
	payload: { kind: 'dict' },
};

export const autoDebitSchema: Schema = {
	session_id: str(128),
	token: str(50),
};

function failed(message: string) {
	return detail(400, message, { result: 'failed' });
}

function appWalletGateway(
	ctx: SandboxContext,
	txn: Transaction,
	wallet: 'ApplePay' | 'GooglePay',
	pgCode: unknown,
): Gateway {
	const label = wallet === 'ApplePay' ? 'Apple Pay' : 'Google Pay';
	if (typeof pgCode === 'string' && pgCode) {
		if (!txn.pg_codes.includes(pgCode))
			throw failed(
				`pg_code "${pgCode}" is not one of this session's pg_codes (${txn.pg_codes.join(', ')}).`,
			);
		const g = ctx.store.gateway(pgCode)!;
		if (!g.wallets.includes(wallet))
			throw failed(`${label} is not enabled on pg_code "${pgCode}".`);
		return g;
	}
	const found = txn.pg_codes
		.map((c) => ctx.store.gateway(c)!)
		.find((g) => g?.wallets.includes(wallet));
	if (!found) throw failed(`None of this session's pg_codes has ${label} enabled.`);
	return found;
}

function parseAgreementDate(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	let m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
	if (m) return Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
	m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
	return undefined;
}

/** Agreement rules for a merchant-initiated charge; throws Ottu's failure when one is broken. */
function checkAutoDebit(ctx: SandboxContext, txn: Transaction, card: Card | undefined): Card {
	if (txn.fields.payment_type !== 'auto_debit')
		throw failed('Auto-debit needs a payment transaction created with payment_type "auto_debit".');
	if (!card) throw failed('Invalid token: no saved card matches it.');
	if (card.customer_id !== txn.fields.customer_id)
		throw failed('The card token does not belong to this customer_id.');
	if (!txn.pg_codes.includes(card.pg_code))
		throw failed(
			`The card was saved on pg_code "${card.pg_code}", which is not one of this session's pg_codes.`,
		);
	const gateway = ctx.store.gateway(card.pg_code);
	if (!gateway?.auto_debit_enabled)
		throw failed(`Auto-debit is not enabled on pg_code "${card.pg_code}".`);
	if (isExpired(card, ctx.store.clock.date())) throw failed('The card has expired.');
	const agreementId = (txn.fields.agreement as { id?: string } | undefined)?.id;
	if (!agreementId || !card.agreements.includes(agreementId))
		throw failed(`The card is not linked to agreement "${agreementId ?? ''}".`);
	const record = ctx.store.agreements.get(agreementId);
	const agreement = {
		...(record?.agreement ?? {}),
		...(txn.fields.agreement as Record<string, unknown>),
	};
	const expiry = parseAgreementDate(agreement.expiry_date);
	if (expiry !== undefined && ctx.store.clock.now() > expiry + 86_400_000)
		throw failed(`Agreement "${agreementId}" expired on ${String(agreement.expiry_date)}.`);
	if (
		typeof agreement.max_amount_per_cycle === 'string' &&
		new Decimal(txn.amount).greaterThan(agreement.max_amount_per_cycle)
	) {
		throw failed(
			`The amount ${txn.amount} exceeds the agreement's max_amount_per_cycle ${agreement.max_amount_per_cycle}.`,
		);
	}
	if (
		agreement.amount_variability === 'fixed' &&
		record &&
		!new Decimal(txn.amount).equals(record.amount)
	) {
		throw failed(
			`Agreement "${agreementId}" has a fixed amount of ${record.amount}; this charge is ${txn.amount}.`,
		);
	}
	if (
		typeof agreement.total_cycles === 'number' &&
		record &&
		record.charges >= agreement.total_cycles
	) {
		throw failed(
			`Agreement "${agreementId}" has used all of its ${agreement.total_cycles} cycles.`,
		);
	}
	return card;
}

export type Charge = (
	ctx: SandboxContext,
	txn: Transaction,
	data: Record<string, unknown>,
) => { status: number; answer: Record<string, unknown> };

/**
 * Apple Pay or Google Pay (the gateway's `wallets`). Not to be confused with `walletCharge`, the
 * customer's wallet service (the node's Native Payment → Wallet).
 */
export const appWalletCharge =
	(wallet: 'ApplePay' | 'GooglePay'): Charge =>
	(ctx, txn, data) => {
		const gateway = appWalletGateway(ctx, txn, wallet, data.pg_code);
		const payload = data.payload as Record<string, Record<string, unknown>>;
		const declineMarker =
			wallet === 'ApplePay'
				? payload.paymentData.data
				: (payload.paymentMethodData.tokenizationData as Record<string, unknown>).token;
		if (wallet === 'GooglePay' && declineMarker === '3DS') {
			// A gateway asking for a 3-D Secure challenge: the customer must complete it in a browser.
			const reference = newReferenceNumber();
			return {
				status: 200,
				answer: {
					status: '3DS',
					method: 'redirect',
					redirect_url: `${ctx.baseUrl()}/b/checkout/redirect/start/?session_id=${txn.session_id}&pg_code=${gateway.code}`,
					order_no: txn.order_no ?? null,
					session_id: txn.session_id,
					reference_number: reference,
					form_of_payment: 'google_pay',
					challenge_occurred: true,
				},
			};
		}
		const outcome: Outcome =
			declineMarker === 'DECLINE'
				? 'failed'
				: gateway.operation === 'authorize'
					? 'authorized'
					: 'paid';
		return { status: 200, answer: pay(ctx, txn, outcome, { pg_code: gateway.code }).payload };
	};

export const autoDebitCharge: Charge = (ctx, txn, data) => {
	const card = checkAutoDebit(ctx, txn, ctx.store.cards.get(data.token as string));
	const gateway = ctx.store.gateway(card.pg_code)!;
	const result = pay(ctx, txn, gateway.operation === 'authorize' ? 'authorized' : 'paid', { card });
	const agreementId = (txn.fields.agreement as { id: string }).id;
	const record = ctx.store.agreements.get(agreementId);
	if (record) record.charges += 1;
	return { status: 200, answer: result.payload };
};

/**
 * OpenAPI `wallet_native_payment` (documented answers 200, 400, 401): debits the wallet account of the
 * transaction's customer_id; no customer payload is needed. Ottu's M-Wallet guide: immediate capture only,
 * so a gateway that authorizes is refused. A session already paid is refused like any payment of a settled
 * session (core/payments.ts). Assumptions: the refusals' texts, and that the balance covers the amount (the
 * sandbox keeps no wallet balances; Ottu's partial-balance split is not emulated).
 */
export const walletCharge: Charge = (ctx, txn, data) => {
	if (typeof txn.fields.customer_id !== 'string' || txn.fields.customer_id === '')
		throw failed('A wallet charge needs a payment transaction with a customer_id.');
	const pgCode = typeof data.pg_code === 'string' && data.pg_code ? data.pg_code : undefined;
	if (pgCode && !txn.pg_codes.includes(pgCode))
		throw failed(
			`pg_code "${pgCode}" is not one of this session's pg_codes (${txn.pg_codes.join(', ')}).`,
		);
	const gateway = ctx.store.gateway(pgCode ?? txn.pg_codes[0])!;
	if (gateway.operation === 'authorize')
		throw failed(
			`The wallet supports immediate capture only; "${gateway.code}" authorizes payments.`,
		);
	return { status: 200, answer: pay(ctx, txn, 'paid', { pg_code: gateway.code }).payload };
};

const INSTRUMENT_TYPES = ['apple_pay', 'google_pay', 'token', 'samsung_pay', 'wallet'] as const;
type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

const instrumentPayloads: Record<InstrumentType, Schema> = {
	apple_pay: { payload: applePaySchema.payload },
	google_pay: { payload: googlePaySchema.payload },
	token: { payload: { kind: 'object', required: true, fields: { token: str(50) } } },
	samsung_pay: { payload: { kind: 'object', required: true, fields: { token: str() } } },
	wallet: {
		payload: {
			kind: 'object',
			required: true,
			fields: { wallet_code: { kind: 'string', max: 64, required: true } },
		},
	},
};

/** Checks a one-step checkout's `payment_instrument`: errors in DRF shape, or its type and payload. */
export function validateInstrument(value: unknown): {
	errors?: unknown;
	type?: InstrumentType;
	payload?: Record<string, unknown>;
} {
	const outer = validate({ payment_instrument: { kind: 'dict' } }, { payment_instrument: value });
	if (outer.errors.payment_instrument) return { errors: outer.errors.payment_instrument };
	const body = value as Record<string, unknown>;
	const typed = validate(
		{ instrument_type: { kind: 'string', required: true, choices: INSTRUMENT_TYPES } },
		body,
	);
	if (typed.errors.instrument_type) return { errors: typed.errors };
	const type = typed.data.instrument_type as InstrumentType;
	const { data, errors } = validate(instrumentPayloads[type], body);
	if (Object.keys(errors).length > 0) return { errors };
	return { type, payload: (data.payload ?? {}) as Record<string, unknown> };
}

/** Pays a just-created transaction with a validated instrument (one-step checkout). */
export function chargeInstrument(
	ctx: SandboxContext,
	txn: Transaction,
	type: InstrumentType,
	payload: Record<string, unknown>,
): Record<string, unknown> {
	const pgCode = txn.pg_codes[0];
	switch (type) {
		case 'apple_pay':
			return appWalletCharge('ApplePay')(ctx, txn, { pg_code: pgCode, payload }).answer;
		case 'google_pay':
			return appWalletCharge('GooglePay')(ctx, txn, { pg_code: pgCode, payload }).answer;
		case 'token': {
			const card = ctx.store.cards.get(payload.token as string);
			if (txn.fields.payment_type === 'auto_debit')
				return autoDebitCharge(ctx, txn, { token: payload.token }).answer;
			if (!card || card.customer_id !== txn.fields.customer_id)
				throw failed('Invalid token: no saved card of this customer matches it.');
			if (card.pg_code !== pgCode)
				throw failed(`The card was saved on pg_code "${card.pg_code}", not "${pgCode}".`);
			const gateway = ctx.store.gateway(card.pg_code)!;
			return pay(ctx, txn, gateway.operation === 'authorize' ? 'authorized' : 'paid', { card })
				.payload;
		}
		default: {
			const gateway = ctx.store.gateway(pgCode)!;
			return pay(ctx, txn, gateway.operation === 'authorize' ? 'authorized' : 'paid', {
				pg_code: pgCode,
			}).payload;
		}
	}
}
