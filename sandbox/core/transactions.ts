import type { Principal, SandboxContext } from '../context';
import { attachmentUrl } from './attachments';
import { COUNTRIES } from './countries';
import { currencyDecimals } from './currencies';
import { detail, fieldErrors, MSG } from './drf';
import { newSessionId } from './ids';
import type { Schema } from './schema';
import { validate } from './schema';
import type { Transaction } from './store';
import { newLedger, parseDuration } from './stateMachine';

/**
 * The payment transaction (Ottu's checkout object): its writable fields, Ottu's cross-field rules,
 * and create / update / serialize. Shared by the Checkout API and the Invoice API (an invoice
 * becomes one).
 */

const NOTIFICATION_EVENTS = [
	'created',
	'paid',
	'canceled',
	'failed',
	'expired',
	'authorized',
	'voided',
	'refunded',
	'captured',
];
const WHATSAPP_EVENTS = ['created', 'paid', 'canceled', 'failed', 'expired', 'authorized'];

const address: Schema = {
	line1: { kind: 'string', required: true, max: 128 },
	line2: { kind: 'string', max: 128, allowBlank: true },
	city: { kind: 'string', required: true, max: 40 },
	state: { kind: 'string', max: 40, allowBlank: true },
	// Ottu OpenAPI `Address.country`: a 249-value ISO 3166-1 alpha-2 enum.
	country: { kind: 'string', required: true, max: 2, choices: COUNTRIES },
	postal_code: { kind: 'string', max: 12, allowBlank: true },
};

/** Ottu OpenAPI `BrandingItem`: text and a hex colour (^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$) required. */
const brandingItem: Schema = {
	text: { kind: 'string', required: true },
	color: { kind: 'string', required: true, pattern: /^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$/ },
	font_weight: { kind: 'int' },
};

export const agreementSchema: Schema = {
	id: { kind: 'string', required: true, max: 128 },
	type: {
		kind: 'string',
		choices: ['recurring', 'unscheduled', 'installment', 'event_based', 'other'],
	},
	amount_variability: { kind: 'string', choices: ['fixed', 'variable'] },
	start_date: { kind: 'string' },
	expiry_date: { kind: 'string' },
	max_amount_per_cycle: { kind: 'decimal', maxWhole: 13, maxDecimals: 3 },
	cycle_interval_days: { kind: 'int', min: 1, max: 366 },
	total_cycles: { kind: 'int', min: 1, max: 999 },
	frequency: {
		kind: 'string',
		choices: [
			'irregular',
			'daily',
			'weekly',
			'semi_monthly',
			'monthly',
			'quarterly',
			'semi_annually',
			'yearly',
			'other',
		],
	},
	seller: {
		kind: 'object',
		fields: {
			name: { kind: 'string', max: 128 },
			short_name: { kind: 'string', max: 64 },
			category_code: { kind: 'string', max: 64 },
		},
	},
	extra_params: { kind: 'dict' },
};

/** Writable fields of `CheckoutPOSTRequest` (Ottu OpenAPI), with their types and limits. */
export const checkoutSchema: Schema = {
	type: { kind: 'string', required: true, max: 24, choices: ['e_commerce', 'payment_request'] },
	amount: { kind: 'decimal', required: true, maxWhole: 13, maxDecimals: 3, min: '0' },
	currency_code: { kind: 'string', required: true, max: 3 },
	pg_codes: { kind: 'list', required: true, of: { kind: 'string', max: 50 } },
	payment_type: { kind: 'string', choices: ['one_off', 'auto_debit', 'save_card'] },
	customer_id: { kind: 'string', max: 64, allowBlank: true },
	customer_email: { kind: 'string', max: 128, format: 'email', allowBlank: true },
	customer_phone: { kind: 'string', max: 16, allowBlank: true },
	customer_phone_2: { kind: 'string', max: 16, allowBlank: true },
	customer_first_name: { kind: 'string', max: 64, allowBlank: true },
	customer_last_name: { kind: 'string', max: 64, allowBlank: true },
	customer_birthdate: { kind: 'string', format: 'date', allowBlank: true },
	order_no: { kind: 'string', max: 128, allowBlank: true },
	webhook_url: { kind: 'string', max: 2000, format: 'url', allowBlank: true },
	redirect_url: { kind: 'string', max: 2000, format: 'url', allowBlank: true },
	language: { kind: 'string', choices: ['en', 'ar'] },
	expiration_time: { kind: 'string', allowBlank: true },
	due_datetime: { kind: 'string', allowBlank: true },
	email_recipients: { kind: 'list', of: { kind: 'string', format: 'email' }, allowEmpty: true },
	notifications: {
		kind: 'object',
		fields: {
			email: {
				kind: 'list',
				of: { kind: 'string', choices: NOTIFICATION_EVENTS },
				allowEmpty: true,
			},
			sms: { kind: 'list', of: { kind: 'string', choices: NOTIFICATION_EVENTS }, allowEmpty: true },
			whatsapp: {
				kind: 'list',
				of: { kind: 'string', choices: WHATSAPP_EVENTS },
				allowEmpty: true,
			},
		},
	},
	extra: { kind: 'dict' },
	billing_address: { kind: 'object', fields: address },
	shipping_address: {
		kind: 'object',
		fields: {
			...address,
			first_name: { kind: 'string', required: true, max: 64 },
			last_name: { kind: 'string', required: true, max: 64 },
			email: { kind: 'string', required: true, max: 128, format: 'email' },
			phone: { kind: 'string', required: true, max: 16 },
		},
	},
	agreement: { kind: 'object', fields: agreementSchema },
	card_acceptance_criteria: {
		kind: 'object',
		fields: {
			min_expiry_time: { kind: 'int', min: 1, max: 365 },
			exclude_bins: { kind: 'list', of: { kind: 'string' }, allowEmpty: true },
		},
	},
	payment_instrument: { kind: 'dict' },
	// Ottu OpenAPI `attachment_upload_url`: pattern (?:pdf|jpeg|png|doc|docx|jpg|xls|xlsx|txt)$.
	attachment_upload_url: {
		kind: 'string',
		allowBlank: true,
		pattern: /(?:pdf|jpeg|png|doc|docx|jpg|xls|xlsx|txt)$/,
	},
	shortify_checkout_url: { kind: 'bool' },
	shortify_attachment_url: { kind: 'bool' },
	generate_qr_code: { kind: 'bool' },
	include_sdk_setup_preload: { kind: 'bool' },
	preload_checkout_page: { kind: 'bool' },
	initiator_id: { kind: 'int' },
	product_type: { kind: 'string', max: 128, allowBlank: true },
	vendor_name: { kind: 'string', max: 64, allowBlank: true },
	loyalty: { kind: 'dict', nullable: true },
	// Ottu OpenAPI `BrandingOptions`: {payment_methods (required): {<pg_code>: BrandingItem}}.
	branding_options: {
		kind: 'object',
		fields: {
			payment_methods: {
				kind: 'dict',
				required: true,
				values: { kind: 'object', fields: brandingItem },
			},
		},
	},
	unit_code: { kind: 'string', allowBlank: true },
};

type Row = Record<string, unknown>;

/** Amount precision per currency; gateways that exist and accept the currency and the plugin. */
function checkCurrencyAndGateways(ctx: SandboxContext, data: Row, errors: Row): void {
	const currency = data.currency_code as string | undefined;
	const decimals = currency ? currencyDecimals(currency) : undefined;
	if (currency !== undefined && decimals === undefined) {
		errors.currency_code = [MSG.choice(currency)];
	}
	if (typeof data.amount === 'string' && decimals !== undefined && errors.amount === undefined) {
		const frac = data.amount.split('.')[1] ?? '';
		if (frac.length > decimals) errors.amount = [MSG.decimals(decimals)];
	}
	const pgCodes = data.pg_codes as string[] | undefined;
	if (!pgCodes || errors.pg_codes !== undefined) return;
	const unknown = pgCodes.filter((c) => !ctx.store.gateway(c));
	if (unknown.length > 0) errors.pg_codes = unknown.map((c) => MSG.choice(c));
	else if (currency && decimals !== undefined) {
		const refusing = pgCodes.filter(
			(c) => !ctx.store.gateway(c)!.accepted_currencies.includes(currency),
		);
		if (refusing.length > 0) {
			errors.pg_codes = refusing.map((c) => `Gateway "${c}" does not accept currency ${currency}.`);
		}
	}
	if (errors.pg_codes === undefined && typeof data.type === 'string') {
		const wrongPlugin = pgCodes.filter(
			(c) => !ctx.store.gateway(c)!.plugins.includes(data.type as 'e_commerce'),
		);
		if (wrongPlugin.length > 0) errors.pg_codes = wrongPlugin.map((c) => MSG.choice(c));
	}
}

/**
 * The payment_type rules: customer and tokenizing gateways, agreement, and the amount it allows.
 */
function checkPaymentType(ctx: SandboxContext, data: Row, errors: Row): void {
	const pgCodes = data.pg_codes as string[] | undefined;
	const paymentType = (data.payment_type as string | undefined) ?? 'one_off';
	if (paymentType === 'auto_debit' || paymentType === 'save_card') {
		if (!data.customer_id)
			errors.customer_id = [`This field is required when payment_type is ${paymentType}.`];
		if (pgCodes && errors.pg_codes === undefined) {
			const notTokenizable = pgCodes.filter((c) => !ctx.store.gateway(c)!.is_tokenizable);
			if (notTokenizable.length > 0)
				errors.pg_codes = notTokenizable.map(
					(c) => `Gateway "${c}" does not support tokenization.`,
				);
		}
	}
	if (paymentType === 'auto_debit' && !data.agreement)
		errors.agreement = ['This field is required when payment_type is auto_debit.'];
	if (paymentType === 'one_off' && data.agreement)
		errors.agreement = ['Agreement is only allowed when payment_type is auto_debit.'];
	if (paymentType === 'save_card' && typeof data.amount === 'string' && Number(data.amount) !== 0) {
		errors.amount = ['Amount must be 0 when payment_type is save_card.'];
	}
	if (
		paymentType !== 'save_card' &&
		typeof data.amount === 'string' &&
		errors.amount === undefined &&
		/^0*(\.0*)?$/.test(data.amount)
	) {
		errors.amount = [MSG.minValue('0.01')];
	}
}

/** The expiration_time's format, and the address each notification channel needs. */
function checkExpiryAndNotifications(data: Row, errors: Row): void {
	if (
		typeof data.expiration_time === 'string' &&
		data.expiration_time !== '' &&
		parseDuration(data.expiration_time) === undefined
	) {
		errors.expiration_time = [
			'Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].',
		];
	}
	const notifications = data.notifications as Record<string, string[]> | undefined;
	if (notifications?.email?.length && !data.customer_email)
		errors.customer_email = ['This field is required when email notifications are set.'];
	if (notifications?.sms?.length && !data.customer_phone)
		errors.customer_phone = ['This field is required when SMS notifications are set.'];
}

/** Ottu's cross-field rules on a checkout; a later rule's message replaces an earlier one's. */
function crossValidate(ctx: SandboxContext, data: Row, errors: Row): void {
	checkCurrencyAndGateways(ctx, data, errors);
	checkPaymentType(ctx, data, errors);
	checkExpiryAndNotifications(data, errors);
}

export function formatAmount(amount: string, currency: string): string {
	const decimals = currencyDecimals(currency) ?? 2;
	const [whole, frac = ''] = amount.split('.');
	return decimals === 0
		? whole.replace(/^0+(?=\d)/, '')
		: `${whole.replace(/^0+(?=\d)/, '') || '0'}.${frac.padEnd(decimals, '0')}`;
}

/** The checkout object as Ottu returns it from create, retrieve and update. */
export function serializeTransaction(
	ctx: SandboxContext,
	txn: Transaction,
): Record<string, unknown> {
	const base = ctx.baseUrl();
	const gatewayOperation = txn.pg_codes.some((c) => ctx.store.gateway(c)?.operation === 'authorize')
		? 'authorize'
		: 'purchase';
	return {
		...txn.fields,
		type: txn.type,
		amount: txn.amount,
		currency_code: txn.currency_code,
		pg_codes: txn.pg_codes,
		order_no: txn.order_no ?? null,
		session_id: txn.session_id,
		state: txn.state,
		settled_pg_code: txn.settled_pg_code,
		operation: gatewayOperation,
		payment_type: txn.fields.payment_type ?? 'one_off',
		language: txn.fields.language ?? 'en',
		expiration_time: txn.fields.expiration_time ?? '1 00:00:00',
		checkout_url: `${base}/b/checkout/redirect/start/?session_id=${txn.session_id}`,
		checkout_page_url: `${base}/b/checkout/page/${txn.session_id}/`,
		// The download link of the attachment set by attachment_upload_url (Ottu OpenAPI `attachment`, read-only).
		...(typeof txn.fields.attachment_upload_url === 'string' &&
		txn.fields.attachment_upload_url !== ''
			? { attachment: attachmentUrl(ctx, txn.fields.attachment_upload_url) }
			: {}),
		payment_methods: txn.pg_codes.map((code) => {
			const g = ctx.store.gateway(code)!;
			return {
				code,
				name: g.name,
				type: g.is_sandbox ? 'sandbox' : 'production',
				amount: txn.amount,
				currency_code: txn.currency_code,
				fee: formatAmount('0', txn.currency_code),
				fee_description: '',
				icon: `${base}/static/pg/${g.pg_name}.svg`,
				flow: 'redirect',
				redirect_url: `${base}/b/checkout/redirect/start/?session_id=${txn.session_id}&pg_code=${encodeURIComponent(code)}`,
			};
		}),
	};
}

export function createTransaction(
	ctx: SandboxContext,
	body: Record<string, unknown>,
	initiator?: Principal,
): Transaction {
	const { data, errors } = validate(checkoutSchema, body);
	crossValidate(ctx, data, errors);
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const now = ctx.store.clock.now();
	const currency = data.currency_code as string;
	const { type, amount, currency_code, pg_codes, order_no, ...rest } = data;
	void currency_code;
	const txn: Transaction = {
		...newLedger(amount as string, currency, currencyDecimals(currency) ?? 2),
		session_id: newSessionId(),
		order_no: (order_no as string | undefined) || undefined,
		type: type as Transaction['type'],
		pg_codes: pg_codes as string[],
		fields: rest,
		created_at: now,
		updated_at: now,
		inquiries: [],
		initiator: initiator?.kind === 'user' ? initiator.user.username : undefined,
	};
	ctx.store.transactions.set(txn.session_id, txn);
	return txn;
}

export function findTransaction(ctx: SandboxContext, sessionId: string): Transaction {
	const txn = ctx.store.transactions.get(sessionId);
	if (!txn || txn.deleted === 'hard') throw detail(404, MSG.notFound);
	return txn;
}

/** PATCH (partial) and PUT (full): only while the customer has not completed a payment. */
export function updateTransaction(
	ctx: SandboxContext,
	txn: Transaction,
	body: Record<string, unknown>,
	partial: boolean,
): Transaction {
	if (!['created', 'pending', 'attempted'].includes(txn.state)) {
		throw detail(400, `A transaction in state "${txn.state}" cannot be updated.`);
	}
	const { data, errors } = validate(checkoutSchema, body, partial);
	const merged: Record<string, unknown> = {
		type: txn.type,
		amount: txn.amount,
		currency_code: txn.currency_code,
		pg_codes: txn.pg_codes,
		...txn.fields,
		...data,
	};
	crossValidate(ctx, merged, errors);
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const { type, amount, currency_code, pg_codes, order_no, ...rest } = merged;
	txn.type = type as Transaction['type'];
	txn.currency_code = currency_code as string;
	txn.amount = formatAmount(amount as string, txn.currency_code);
	txn.pg_codes = pg_codes as string[];
	// Nothing has moved yet (updates are refused after payment), so the ledger follows the new currency.
	const zero = formatAmount('0', txn.currency_code);
	Object.assign(txn, {
		paid_amount: zero,
		authorized_amount: zero,
		captured_amount: zero,
		refunded_amount: zero,
		voided_amount: zero,
	});
	if (order_no !== undefined) txn.order_no = (order_no as string) || undefined;
	txn.fields = partial ? { ...txn.fields, ...rest } : rest;
	txn.updated_at = ctx.store.clock.now();
	return txn;
}
