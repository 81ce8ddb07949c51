import Decimal from 'decimal.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { currencyDecimals } from '../core/currencies';
import { fieldErrors, MSG } from '../core/drf';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import { checkoutSchema, createTransaction, serializeTransaction } from '../core/transactions';
import type { SandboxContext } from '../context';

/**
 * Invoice API: line items, tax, discount and shipping, computed exactly as Ottu does (ROUND_HALF_UP to the
 * currency's decimals at every step). Optional computed fields the merchant sends are checked against Ottu's
 * own computation (400 when they differ). The invoice then becomes a payment transaction.
 */

const money = { kind: 'decimal', maxWhole: 13, maxDecimals: 3 } as const;
const rate = { kind: 'decimal', maxWhole: 3, maxDecimals: 2, min: '0' } as const;

const itemSchema: Schema = {
	sku: { kind: 'string', required: true, max: 255 },
	description: { kind: 'string', required: true, max: 255 },
	quantity: { kind: 'decimal', required: true, maxWhole: 13, maxDecimals: 3, min: '0' },
	unit_price: { ...money, required: true, min: '0' },
	tax_rate: rate,
	discount_amount: { ...money, min: '0' },
	discount_percentage: rate,
	total_excl_tax: money,
	tax_amount: money,
	total_incl_tax: money,
	currency_code: { kind: 'string', max: 3, allowBlank: true },
};

const { amount: _checkoutAmount, ...checkoutFields } = checkoutSchema;
void _checkoutAmount;

const invoiceSchema: Schema = {
	...checkoutFields,
	invoice_number: { kind: 'string', required: true, max: 255 },
	due_date: { kind: 'string', required: true, format: 'date' },
	invoice_items: { kind: 'list', required: true, of: { kind: 'object', fields: itemSchema } },
	company_name: { kind: 'string', max: 64, allowBlank: true },
	tax_rate: rate,
	discount_amount: { ...money, min: '0' },
	discount_percentage: rate,
	shipping_excl_tax: { ...money, min: '0' },
	shipping_tax_rate: rate,
	shipping_method: { kind: 'string', max: 128, allowBlank: true },
	total_excl_tax: money,
	tax_amount: money,
	total_incl_tax: money,
	shipping_incl_tax: money,
	subtotal: money,
	amount: money,
};

type Row = Record<string, unknown>;

const pct = (v: unknown) => new Decimal((v as string | undefined) ?? 0).div(100);

/** Compares a sent VAL-CALC value with Ottu's; records an error when they differ. */
function check(sent: Row, field: string, computed: string, errors: Row): void {
	if (sent[field] === undefined) return;
	if (!new Decimal(sent[field] as string).equals(computed)) {
		errors[field] = [
			`Ensure this value matches the calculated ${field} ${computed} (got ${String(sent[field])}).`,
		];
	}
}

function tooPrecise(value: unknown, decimals: number): boolean {
	return typeof value === 'string' && (value.split('.')[1] ?? '').length > decimals;
}

export interface InvoiceTotals {
	items: Row[];
	subtotal: string;
	discount: string;
	total_excl_tax: string;
	tax_amount: string;
	shipping_excl_tax: string;
	shipping_incl_tax: string;
	total_incl_tax: string;
	amount: string;
}

/** ROUND_HALF_UP to the currency's decimals, and its text. */
function rounding(decimals: number) {
	const round = (d: Decimal.Value) =>
		new Decimal(d).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
	return { round, fmt: (d: Decimal.Value) => round(d).toFixed(decimals) };
}

const ITEM_MONEY = [
	'unit_price',
	'discount_amount',
	'total_excl_tax',
	'tax_amount',
	'total_incl_tax',
];
const INVOICE_MONEY = [
	'discount_amount',
	'shipping_excl_tax',
	'total_excl_tax',
	'tax_amount',
	'total_incl_tax',
	'shipping_incl_tax',
	'subtotal',
	'amount',
];
const INVOICE_CALCULATED = [
	'subtotal',
	'total_excl_tax',
	'tax_amount',
	'shipping_incl_tax',
	'total_incl_tax',
	'amount',
] as const;

/** One line item's arithmetic; its errors (precision, discount, VAL-CALC mismatches) go to `e`. */
function computeItem(item: Row, decimals: number, e: Row): Row & { total_incl_tax: string } {
	const { round, fmt } = rounding(decimals);
	for (const f of ITEM_MONEY) if (tooPrecise(item[f], decimals)) e[f] = [MSG.decimals(decimals)];
	if (item.discount_amount !== undefined && item.discount_percentage !== undefined) {
		e.non_field_errors = ['Use either discount_amount or discount_percentage, not both.'];
	}
	const qp = round(new Decimal(item.quantity as string).times(item.unit_price as string));
	const disc =
		item.discount_percentage !== undefined
			? round(qp.times(pct(item.discount_percentage)))
			: round((item.discount_amount as string | undefined) ?? 0);
	if (disc.greaterThan(qp))
		e.discount_amount = [`The discount ${fmt(disc)} is more than the item total ${fmt(qp)}.`];
	const totalExcl = round(qp.minus(disc));
	const tax = round(totalExcl.times(pct(item.tax_rate)));
	const totalIncl = round(totalExcl.plus(tax));
	check(item, 'total_excl_tax', fmt(totalExcl), e);
	check(item, 'tax_amount', fmt(tax), e);
	check(item, 'total_incl_tax', fmt(totalIncl), e);
	const { currency_code: _ignored, ...rest } = item;
	void _ignored;
	return {
		...rest,
		discount_amount: fmt(disc),
		total_excl_tax: fmt(totalExcl),
		tax_amount: fmt(tax),
		total_incl_tax: fmt(totalIncl),
	};
}

/** The invoice arithmetic; errors (VAL-CALC mismatches, discounts) are added to `errors`. */
export function computeInvoice(data: Row, decimals: number, errors: Row): InvoiceTotals {
	const { round, fmt } = rounding(decimals);
	const itemErrors: Row[] = [];
	const items = (data.invoice_items as Row[]).map((item) => {
		const e: Row = {};
		itemErrors.push(e);
		return computeItem(item, decimals, e);
	});
	if (itemErrors.some((e) => Object.keys(e).length > 0)) errors.invoice_items = itemErrors;
	for (const f of INVOICE_MONEY)
		if (tooPrecise(data[f], decimals)) errors[f] = [MSG.decimals(decimals)];
	if (data.discount_amount !== undefined && data.discount_percentage !== undefined) {
		errors.non_field_errors = ['Use either discount_amount or discount_percentage, not both.'];
	}
	const subtotal = round(items.reduce((s, i) => s.plus(i.total_incl_tax), new Decimal(0)));
	const disc =
		data.discount_percentage !== undefined
			? round(subtotal.times(pct(data.discount_percentage)))
			: round((data.discount_amount as string | undefined) ?? 0);
	if (disc.greaterThan(subtotal))
		errors.discount_amount = [
			`The discount ${fmt(disc)} is more than the invoice total ${fmt(subtotal)}.`,
		];
	const totalExcl = round(subtotal.minus(disc));
	const tax = round(totalExcl.times(pct(data.tax_rate)));
	const shipping = round((data.shipping_excl_tax as string | undefined) ?? 0);
	const shippingIncl = round(shipping.plus(round(shipping.times(pct(data.shipping_tax_rate)))));
	const totalIncl = round(totalExcl.plus(tax).plus(shippingIncl));
	const totals: InvoiceTotals = {
		items,
		subtotal: fmt(subtotal),
		discount: fmt(disc),
		total_excl_tax: fmt(totalExcl),
		tax_amount: fmt(tax),
		shipping_excl_tax: fmt(shipping),
		shipping_incl_tax: fmt(shippingIncl),
		total_incl_tax: fmt(totalIncl),
		amount: fmt(totalIncl),
	};
	for (const f of INVOICE_CALCULATED) check(data, f, totals[f], errors);
	if (errors.amount === undefined && !totalIncl.greaterThan(0))
		errors.amount = [MSG.minValue(new Decimal(1).div(10 ** decimals).toFixed(decimals))];
	return totals;
}

let invoiceSeq = 1000;

/** The invoice's own fields, checked; its currency's decimals. */
function checkInvoice(ctx: SandboxContext, body: Row): { data: Row; decimals: number } {
	const { data, errors } = validate(invoiceSchema, body);
	const decimals =
		typeof data.currency_code === 'string' ? currencyDecimals(data.currency_code) : undefined;
	if (typeof data.currency_code === 'string' && decimals === undefined)
		errors.currency_code = [MSG.choice(data.currency_code)];
	const pgCodes = data.pg_codes as string[] | undefined;
	const authorizing = pgCodes?.filter((c) => ctx.store.gateway(c)?.operation === 'authorize') ?? [];
	if (authorizing.length > 0 && errors.pg_codes === undefined) {
		errors.pg_codes = authorizing.map(
			(c) => `Invoices need a purchase gateway; "${c}" only authorizes.`,
		);
	}
	if (Object.keys(errors).length > 0 || decimals === undefined) throw fieldErrors(errors);
	return { data, decimals };
}

function invoiceJson(data: Row, totals: InvoiceTotals, currencyCode: string): Row {
	return {
		invoice_id: invoiceSeq++,
		invoice_number: data.invoice_number,
		due_date: data.due_date,
		company_name: data.company_name ?? null,
		status: 'sent',
		tax_rate: data.tax_rate ?? null,
		discount_amount: totals.discount,
		discount_percentage: data.discount_percentage ?? null,
		subtotal: totals.subtotal,
		total_excl_tax: totals.total_excl_tax,
		tax_amount: totals.tax_amount,
		shipping_method: data.shipping_method ?? null,
		shipping_excl_tax: totals.shipping_excl_tax,
		shipping_tax_rate: data.shipping_tax_rate ?? null,
		shipping_incl_tax: totals.shipping_incl_tax,
		total_incl_tax: totals.total_incl_tax,
		invoice_items: totals.items.map((item, i) => ({
			id: i + 1,
			...item,
			currency_code: currencyCode,
		})),
	};
}

function createInvoice(ctx: SandboxContext, request: FastifyRequest): Row {
	const body = (request.body ?? {}) as Row;
	ctx.requirePermission(request, `add_${(body.type as string | undefined) ?? 'payment_request'}`);
	ctx.requirePermission(request, 'add_invoice');
	const { data, decimals } = checkInvoice(ctx, body);
	const errors: Row = {};
	const totals = computeInvoice(data, decimals, errors);
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	// The checkout part goes through the Checkout API's own validation (pg_codes, currencies,
	// customer fields).
	const txn = createTransaction(ctx, { ...body, amount: totals.amount }, request.principal);
	const invoice = invoiceJson(data, totals, txn.currency_code);
	txn.fields.invoice = invoice;
	return {
		...serializeTransaction(ctx, txn),
		...invoice,
		amount: totals.amount,
		invoice_pdf_url: `${ctx.baseUrl()}/b/invoice/v1/invoice/${String(invoice.invoice_id)}/pdf/`,
	};
}

export function registerInvoices(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/invoice/v1/invoice/', async (request, reply) =>
		reply.status(201).send(createInvoice(ctx, request)),
	);
}
