import { currencyDecimals, Money, normalizeAmount, toMoney } from './money';
import type { MoneyValue } from './money';
import { describeValue, OttuInputError } from './errors';
import { optionalText, requireText } from './validation';

/** One line item as the user entered it (text or numbers from expressions). */
export interface InvoiceItemInput {
	sku?: unknown;
	description?: unknown;
	quantity?: unknown;
	unit_price?: unknown;
	tax_rate?: unknown;
	discount_amount?: unknown;
	discount_percentage?: unknown;
}

export interface InvoiceInput {
	currency: string;
	items: InvoiceItemInput[];
	tax_rate?: unknown;
	discount_amount?: unknown;
	discount_percentage?: unknown;
	shipping_excl_tax?: unknown;
	shipping_tax_rate?: unknown;
}

export interface InvoiceItemTotals {
	sku: string;
	description: string;
	quantity: string;
	unit_price: string;
	tax_rate?: string;
	discount_amount?: string;
	discount_percentage?: string;
	total_excl_tax: string;
	tax_amount: string;
	total_incl_tax: string;
}

export interface InvoiceTotals {
	invoice_items: InvoiceItemTotals[];
	tax_rate?: string;
	discount_amount?: string;
	discount_percentage?: string;
	shipping_excl_tax?: string;
	shipping_tax_rate?: string;
	subtotal: string;
	total_excl_tax: string;
	tax_amount: string;
	shipping_incl_tax?: string;
	total_incl_tax: string;
	amount: string;
}

const QUANTITY = /^\d{1,13}(\.\d{1,3})?$/;
const RATE = /^\d{1,3}(\.\d{1,2})?$/;

function isEmpty(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

function textOf(value: unknown): string {
	return typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
}

/** A percentage (tax or discount rate): 0 to 100 with at most 2 decimals, as Ottu requires. */
export function optionalRate(value: unknown, field: string): string | undefined {
	if (isEmpty(value)) return undefined;
	const text = textOf(value);
	if (!RATE.test(text) || toMoney(text).greaterThan(100)) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(value)} is not a percentage from 0 to 100 with at most 2 decimals`,
			'e.g. 5 or 12.5 (for 12.5 %)',
		);
	}
	return toMoney(text).toFixed(2);
}

function quantity(value: unknown, field: string): string {
	const text = textOf(value);
	if (!QUANTITY.test(text) || toMoney(text).isZero()) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(value)} is not a positive quantity with at most 3 decimals`,
			'e.g. 2 or 1.5',
		);
	}
	return text;
}

function optionalMoney(value: unknown, currency: string, field: string): string | undefined {
	if (isEmpty(value)) return undefined;
	return normalizeAmount(value, currency, {
		field,
		allowZero: true,
	});
}

function pct(value: MoneyValue, rate: string): MoneyValue {
	return value.times(toMoney(rate)).dividedBy(100);
}

interface Rounding {
	/** Half up to the currency's decimals, as Ottu rounds every intermediate result. */
	round(v: MoneyValue): MoneyValue;
	/** Rounded and written with the currency's decimals. */
	fmt(v: MoneyValue): string;
}

function rounding(currency: string): Rounding {
	const decimals = currencyDecimals(currency);
	const round = (v: MoneyValue) => v.toDecimalPlaces(decimals, Money.ROUND_HALF_UP);
	return {
		round,
		fmt: (v) => round(v).toFixed(decimals),
	};
}

/** A discount given as an amount or as a percentage of `base` (never both), or zero. */
interface Discount {
	amount?: string;
	percentage?: string;
}

function discountOf(discount: Discount, base: MoneyValue, r: Rounding): MoneyValue {
	if (discount.amount !== undefined) return toMoney(discount.amount);
	if (discount.percentage !== undefined) return r.round(pct(base, discount.percentage));
	return new Money(0);
}

/** Reads a discount amount and percentage, refusing both at once (Ottu accepts one or the other). */
function readDiscount(
	amount: unknown,
	percentage: unknown,
	currency: string,
	label: { field: string; prefix: string; whose: string },
): Discount {
	const discount = {
		amount: optionalMoney(amount, currency, `${label.prefix}Discount Amount`),
		percentage: optionalRate(percentage, `${label.prefix}Discount Percentage`),
	};
	if (discount.amount !== undefined && discount.percentage !== undefined) {
		throw new OttuInputError(
			label.field,
			`${label.whose} has both a discount amount and a discount percentage`,
			'Ottu accepts one or the other: clear one of them',
		);
	}
	return discount;
}

/** One line item's fields, each checked and named by its item number. */
function readItem(item: InvoiceItemInput, label: string, currency: string) {
	return {
		sku: requireText(
			item.sku,
			`${label} SKU`,
			255,
			'Give each line item a SKU (your product code)',
		),
		description: requireText(
			item.description,
			`${label} Description`,
			255,
			'Describe the product or service',
		),
		qty: quantity(item.quantity, `${label} Quantity`),
		unitPrice: normalizeAmount(item.unit_price, currency, {
			field: `${label} Unit Price`,
			allowZero: true,
		}),
		taxRate: optionalRate(item.tax_rate, `${label} Tax Rate`),
		given: readDiscount(item.discount_amount, item.discount_percentage, currency, {
			field: `${label} Discount`,
			prefix: `${label} `,
			whose: label,
		}),
	};
}

/** One line item: checked, then totalled as Ottu does (quantity × unit price, discount, tax). */
function itemTotals(
	item: InvoiceItemInput,
	i: number,
	currency: string,
	r: Rounding,
): InvoiceItemTotals {
	const label = `Item ${i + 1}`;
	const { sku, description, qty, unitPrice, taxRate, given } = readItem(item, label, currency);
	const qp = r.round(toMoney(qty).times(toMoney(unitPrice)));
	const discount = discountOf(given, qp, r);
	if (discount.greaterThan(qp)) {
		throw new OttuInputError(
			`${label} Discount`,
			`${label} discount ${r.fmt(discount)} is larger than its value ${r.fmt(qp)} (quantity × unit price)`,
			'Lower the discount',
		);
	}
	const totalExcl = r.round(qp.minus(discount));
	const tax = taxRate !== undefined ? r.round(pct(totalExcl, taxRate)) : new Money(0);
	return compactTotals({
		sku,
		description,
		quantity: qty,
		unit_price: unitPrice,
		total_excl_tax: r.fmt(totalExcl),
		tax_amount: r.fmt(tax),
		total_incl_tax: r.fmt(r.round(totalExcl.plus(tax))),
		tax_rate: taxRate,
		discount_amount: given.amount,
		discount_percentage: given.percentage,
	});
}

/** Leaves out the optional amounts that were not given, as Ottu expects. */
function compactTotals<T extends object>(totals: T): T {
	const out = { ...totals } as Record<string, unknown>;
	for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
	return out as T;
}

/** Shipping with its tax, or undefined without shipping; a tax rate alone is refused. */
function shippingTotal(
	input: InvoiceInput,
	r: Rounding,
): { excl?: string; rate?: string; incl?: MoneyValue } {
	const excl = optionalMoney(input.shipping_excl_tax, input.currency, 'Shipping (Excl. Tax)');
	const rate = optionalRate(input.shipping_tax_rate, 'Shipping Tax Rate');
	if (rate !== undefined && excl === undefined) {
		throw new OttuInputError(
			'shipping_tax_rate',
			'A shipping tax rate was given without a shipping amount',
			'Enter Shipping (Excl. Tax) too, or clear Shipping Tax Rate',
		);
	}
	if (excl === undefined) return { rate };
	const shipping = toMoney(excl);
	const tax = rate !== undefined ? r.round(pct(shipping, rate)) : new Money(0);
	return { excl, rate, incl: r.round(shipping.plus(tax)) };
}

function requireItems(input: InvoiceInput): void {
	if (input.items.length === 0) {
		throw new OttuInputError(
			'invoice_items',
			'The invoice has no line items',
			'Add at least one item under Items, with SKU, description, quantity and unit price',
		);
	}
}

/** The invoice-level discount on the items' total, which it may not exceed. */
function invoiceDiscount(given: Discount, subtotal: MoneyValue, r: Rounding): MoneyValue {
	const discount = discountOf(given, subtotal, r);
	if (discount.greaterThan(subtotal)) {
		throw new OttuInputError(
			'discount',
			`The invoice discount ${r.fmt(discount)} is larger than the items' total ${r.fmt(subtotal)}`,
			'Lower the discount',
		);
	}
	return discount;
}

function refuseZeroTotal(totalIncl: MoneyValue): void {
	if (totalIncl.isZero()) {
		throw new OttuInputError(
			'invoice_items',
			'The invoice total is zero',
			'Check the quantities, unit prices and discounts',
		);
	}
}

/**
 * Ottu's invoice arithmetic, exactly: every intermediate result is rounded half up to the
 * currency's decimals, in the order Ottu documents. The returned amounts are sent with the invoice
 * so that Ottu confirms them; a difference would make Ottu refuse the invoice rather than bill a
 * different amount.
 */
export function computeInvoice(input: InvoiceInput): InvoiceTotals {
	const { currency } = input;
	const r = rounding(currency);
	requireItems(input);
	const items = input.items.map((item, i) => itemTotals(item, i, currency, r));
	const taxRate = optionalRate(input.tax_rate, 'Tax Rate');
	const given = readDiscount(input.discount_amount, input.discount_percentage, currency, {
		field: 'discount',
		prefix: '',
		whose: 'The invoice',
	});
	const shipping = shippingTotal(input, r);
	const subtotal = r.round(
		items.reduce<MoneyValue>((sum, item) => sum.plus(toMoney(item.total_incl_tax)), new Money(0)),
	);
	const discount = invoiceDiscount(given, subtotal, r);
	const totalExcl = r.round(subtotal.minus(discount));
	const tax = taxRate !== undefined ? r.round(pct(totalExcl, taxRate)) : new Money(0);
	const totalIncl = r.round(totalExcl.plus(tax).plus(shipping.incl ?? 0));
	refuseZeroTotal(totalIncl);
	return compactTotals({
		invoice_items: items,
		subtotal: r.fmt(subtotal),
		total_excl_tax: r.fmt(totalExcl),
		tax_amount: r.fmt(tax),
		total_incl_tax: r.fmt(totalIncl),
		amount: r.fmt(totalIncl),
		tax_rate: taxRate,
		discount_amount: given.amount,
		discount_percentage: given.percentage,
		shipping_excl_tax: shipping.excl,
		shipping_incl_tax: shipping.incl === undefined ? undefined : r.fmt(shipping.incl),
		shipping_tax_rate: shipping.rate,
	});
}

/** Compares the computed total with the total the user expects, if they gave one. */
export function checkExpectedTotal(
	totals: InvoiceTotals,
	expected: unknown,
	currency: string,
): void {
	const text = optionalText(expected, 'Expected Total');
	if (text === undefined) return;
	const want = normalizeAmount(text, currency, { field: 'Expected Total' });
	if (want !== totals.amount) {
		throw new OttuInputError(
			'expectedTotal',
			`The invoice adds up to ${totals.amount} ${currency}, not the expected ${want} ${currency}`,
			`Check the items, discounts, tax and shipping (subtotal ${totals.subtotal}, tax ${totals.tax_amount}${totals.shipping_incl_tax ? `, shipping ${totals.shipping_incl_tax}` : ''}), or correct Expected Total`,
		);
	}
}
