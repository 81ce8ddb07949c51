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

/**
 * Ottu's invoice arithmetic, exactly: every intermediate result is rounded half up to the
 * currency's decimals, in the order Ottu documents. The returned amounts are sent with the invoice
 * so that Ottu confirms them; a difference would make Ottu refuse the invoice rather than bill a
 * different amount.
 */
export function computeInvoice(input: InvoiceInput): InvoiceTotals {
	const currency = input.currency;
	const decimals = currencyDecimals(currency);
	const round = (v: MoneyValue) => v.toDecimalPlaces(decimals, Money.ROUND_HALF_UP);
	const fmt = (v: MoneyValue) => round(v).toFixed(decimals);

	if (input.items.length === 0) {
		throw new OttuInputError(
			'invoice_items',
			'The invoice has no line items',
			'Add at least one item under Items, with SKU, description, quantity and unit price',
		);
	}

	const items = input.items.map((item, i): InvoiceItemTotals => {
		const label = `Item ${i + 1}`;
		const sku = requireText(
			item.sku,
			`${label} SKU`,
			255,
			'Give each line item a SKU (your product code)',
		);
		const description = requireText(
			item.description,
			`${label} Description`,
			255,
			'Describe the product or service',
		);
		const qty = quantity(item.quantity, `${label} Quantity`);
		const unitPrice = normalizeAmount(item.unit_price, currency, {
			field: `${label} Unit Price`,
			allowZero: true,
		});
		const taxRate = optionalRate(item.tax_rate, `${label} Tax Rate`);
		const discountAmount = optionalMoney(
			item.discount_amount,
			currency,
			`${label} Discount Amount`,
		);
		const discountPercentage = optionalRate(
			item.discount_percentage,
			`${label} Discount Percentage`,
		);
		if (discountAmount !== undefined && discountPercentage !== undefined) {
			throw new OttuInputError(
				`${label} Discount`,
				`${label} has both a discount amount and a discount percentage`,
				'Ottu accepts one or the other: clear one of them',
			);
		}
		const qp = round(toMoney(qty).times(toMoney(unitPrice)));
		const discount =
			discountAmount !== undefined
				? toMoney(discountAmount)
				: discountPercentage !== undefined
					? round(pct(qp, discountPercentage))
					: new Money(0);
		if (discount.greaterThan(qp)) {
			throw new OttuInputError(
				`${label} Discount`,
				`${label} discount ${fmt(discount)} is larger than its value ${fmt(qp)} (quantity × unit price)`,
				'Lower the discount',
			);
		}
		const totalExcl = round(qp.minus(discount));
		const tax = taxRate !== undefined ? round(pct(totalExcl, taxRate)) : new Money(0);
		const totalIncl = round(totalExcl.plus(tax));
		const out: InvoiceItemTotals = {
			sku,
			description,
			quantity: qty,
			unit_price: unitPrice,
			total_excl_tax: fmt(totalExcl),
			tax_amount: fmt(tax),
			total_incl_tax: fmt(totalIncl),
		};
		if (taxRate !== undefined) out.tax_rate = taxRate;
		if (discountAmount !== undefined) out.discount_amount = discountAmount;
		if (discountPercentage !== undefined) out.discount_percentage = discountPercentage;
		return out;
	});

	const taxRate = optionalRate(input.tax_rate, 'Tax Rate');
	const discountAmount = optionalMoney(input.discount_amount, currency, 'Discount Amount');
	const discountPercentage = optionalRate(input.discount_percentage, 'Discount Percentage');
	if (discountAmount !== undefined && discountPercentage !== undefined) {
		throw new OttuInputError(
			'discount',
			'The invoice has both a discount amount and a discount percentage',
			'Ottu accepts one or the other: clear one of them',
		);
	}
	const shippingExcl = optionalMoney(input.shipping_excl_tax, currency, 'Shipping (Excl. Tax)');
	const shippingTaxRate = optionalRate(input.shipping_tax_rate, 'Shipping Tax Rate');
	if (shippingTaxRate !== undefined && shippingExcl === undefined) {
		throw new OttuInputError(
			'shipping_tax_rate',
			'A shipping tax rate was given without a shipping amount',
			'Enter Shipping (Excl. Tax) too, or clear Shipping Tax Rate',
		);
	}

	const subtotal = round(
		items.reduce<MoneyValue>((sum, item) => sum.plus(toMoney(item.total_incl_tax)), new Money(0)),
	);
	const discount =
		discountAmount !== undefined
			? toMoney(discountAmount)
			: discountPercentage !== undefined
				? round(pct(subtotal, discountPercentage))
				: new Money(0);
	if (discount.greaterThan(subtotal)) {
		throw new OttuInputError(
			'discount',
			`The invoice discount ${fmt(discount)} is larger than the items' total ${fmt(subtotal)}`,
			'Lower the discount',
		);
	}
	const totalExcl = round(subtotal.minus(discount));
	const tax = taxRate !== undefined ? round(pct(totalExcl, taxRate)) : new Money(0);
	let shippingIncl: MoneyValue | undefined;
	if (shippingExcl !== undefined) {
		const shipping = toMoney(shippingExcl);
		const shippingTax =
			shippingTaxRate !== undefined ? round(pct(shipping, shippingTaxRate)) : new Money(0);
		shippingIncl = round(shipping.plus(shippingTax));
	}
	const totalIncl = round(totalExcl.plus(tax).plus(shippingIncl ?? 0));
	if (totalIncl.isZero()) {
		throw new OttuInputError(
			'invoice_items',
			'The invoice total is zero',
			'Check the quantities, unit prices and discounts',
		);
	}

	const totals: InvoiceTotals = {
		invoice_items: items,
		subtotal: fmt(subtotal),
		total_excl_tax: fmt(totalExcl),
		tax_amount: fmt(tax),
		total_incl_tax: fmt(totalIncl),
		amount: fmt(totalIncl),
	};
	if (taxRate !== undefined) totals.tax_rate = taxRate;
	if (discountAmount !== undefined) totals.discount_amount = discountAmount;
	if (discountPercentage !== undefined) totals.discount_percentage = discountPercentage;
	if (shippingExcl !== undefined) {
		totals.shipping_excl_tax = shippingExcl;
		totals.shipping_incl_tax = fmt(shippingIncl!);
	}
	if (shippingTaxRate !== undefined) totals.shipping_tax_rate = shippingTaxRate;
	return totals;
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
