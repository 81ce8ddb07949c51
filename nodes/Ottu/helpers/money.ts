import Decimal from 'decimal.js';

import { CURRENCY_DECIMALS } from './currencies';
import { describeValue, OttuInputError } from './errors';

// Money is exact: decimal.js with enough precision for 13 integer digits plus decimals,
// rounding half up at every step as Ottu does.
const Money = Decimal.clone({
	precision: 40,
	rounding: Decimal.ROUND_HALF_UP,
	toExpNeg: -40,
	toExpPos: 40,
});
export type MoneyValue = InstanceType<typeof Money>;

export const MAX_INTEGER_DIGITS = 13;
const PLAIN_DECIMAL = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;

export function isKnownCurrency(code: string): boolean {
	return Object.prototype.hasOwnProperty.call(CURRENCY_DECIMALS, code);
}

/** Uppercases and checks an ISO 4217 code; names the field when it is not one. */
export function normalizeCurrency(value: unknown, field = 'Currency'): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new OttuInputError(
			field,
			`${field} is required, got ${describeValue(value)}`,
			'Use a 3-letter ISO 4217 code such as KWD, SAR or USD',
		);
	}
	const code = value.trim().toUpperCase();
	if (!/^[A-Z]{3}$/.test(code) || !isKnownCurrency(code)) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(value)} is not an ISO 4217 currency Ottu can use`,
			'Use a 3-letter ISO 4217 code such as KWD, SAR, AED, BHD, QAR, OMR or USD',
		);
	}
	return code;
}

export function currencyDecimals(currency: string): number {
	const code = normalizeCurrency(currency);
	return CURRENCY_DECIMALS[code];
}

function decimalsRule(currency: string, decimals: number): string {
	if (decimals === 0) return `${currency} amounts are whole numbers, e.g. 1500`;
	return `${currency} amounts have at most ${decimals} decimal place${decimals === 1 ? '' : 's'}, e.g. ${new Money('12.5').toFixed(decimals)}`;
}

export interface AmountOptions {
	/** The parameter's display name, used in messages. */
	field?: string;
	/** Whether "0" is acceptable (save-card checkouts are created with amount 0). */
	allowZero?: boolean;
}

/** The amount as trimmed text; numbers are accepted, anything else is refused. */
function amountText(value: unknown, field: string, rule: string): string {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) {
			throw new OttuInputError(
				field,
				`${field} must be a number, got ${describeValue(value)}`,
				rule,
			);
		}
		return String(value);
	}
	if (typeof value === 'string') return value.trim();
	throw new OttuInputError(
		field,
		`${field} must be a decimal amount, got ${describeValue(value)}`,
		`Enter the amount as text, e.g. "20.500". ${rule}`,
	);
}

/** Refuses the common near-misses (empty, negative, exponent, comma) with a message for each. */
function refuseNearMisses(text: string, field: string, rule: string): void {
	if (text === '') {
		throw new OttuInputError(
			field,
			`${field} is required`,
			`Enter the amount, e.g. "20.500". ${rule}`,
		);
	}
	if (text.startsWith('-')) {
		throw new OttuInputError(
			field,
			`${field} cannot be negative (got "${text}")`,
			`Enter a positive amount. ${rule}`,
		);
	}
	// Only what reads as a number in exponent form: "ten" or "free" are simply not numbers.
	if (/^\+?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(text)) {
		throw new OttuInputError(
			field,
			`${field} "${text}" uses exponent notation`,
			`Write the amount out in full, e.g. "1500000.000". ${rule}`,
		);
	}
	if (text.includes(',')) {
		throw new OttuInputError(
			field,
			`${field} "${text}" contains a comma`,
			`Use a dot for decimals and no thousands separators, e.g. "1250.500". ${rule}`,
		);
	}
}

/** Splits a plain decimal into its digits before and after the point (leading zeros dropped). */
function decimalParts(text: string, field: string, rule: string): [string, string] {
	const match = PLAIN_DECIMAL.exec(text.startsWith('+') ? text.slice(1) : text);
	if (!match) {
		throw new OttuInputError(
			field,
			`${field} "${text}" is not a number`,
			`Enter digits with an optional decimal point, e.g. "20.500". ${rule}`,
		);
	}
	return [(match[1] ?? '0').replace(/^0+(?=\d)/, ''), match[2] ?? match[3] ?? ''];
}

/**
 * Turns what a user typed (or an expression produced) into Ottu's amount string with exactly
 * the currency's decimals: "20" KWD becomes "20.000". Refuses anything that is not a plain
 * non-negative decimal within the currency's precision; never rounds.
 */
export function normalizeAmount(
	value: unknown,
	currency: string,
	options: AmountOptions = {},
): string {
	const field = options.field ?? 'Amount';
	const code = normalizeCurrency(currency);
	const decimals = CURRENCY_DECIMALS[code];
	const rule = decimalsRule(code, decimals);

	const text = amountText(value, field, rule);
	refuseNearMisses(text, field, rule);
	const [integerPart, fraction] = decimalParts(text, field, rule);
	if (integerPart.length > MAX_INTEGER_DIGITS) {
		throw new OttuInputError(
			field,
			`${field} "${text}" has more than ${MAX_INTEGER_DIGITS} digits before the decimal point`,
			'Ottu accepts amounts below 10,000,000,000,000',
		);
	}
	if (fraction.length > decimals) {
		throw new OttuInputError(
			field,
			`${field} "${text}" has ${fraction.length} decimal place${fraction.length === 1 ? '' : 's'} but ${code} allows ${decimals}`,
			rule,
		);
	}
	const amount = new Money(`${integerPart}.${fraction || '0'}`);
	if (amount.isZero() && !options.allowZero) {
		throw new OttuInputError(field, `${field} must be greater than zero`, rule);
	}
	return amount.toFixed(decimals);
}

/** Reads an amount Ottu sent back (string or number) as an exact decimal. */
export function toMoney(value: string | number | MoneyValue): MoneyValue {
	return new Money(typeof value === 'number' ? String(value) : value);
}

/** Rounds half up to the currency's decimals. */
export function roundToCurrency(value: MoneyValue | string | number, currency: string): MoneyValue {
	return toMoney(value).toDecimalPlaces(currencyDecimals(currency), Decimal.ROUND_HALF_UP);
}

/** Ottu's string form of an exact amount. */
export function formatAmount(value: MoneyValue | string | number, currency: string): string {
	return roundToCurrency(value, currency).toFixed(currencyDecimals(currency));
}

export { Money };

const OPERATION_AMOUNT = /^\d{1,13}(\.\d{1,3})?$/;

/**
 * An amount for Ottu's operations API, which has no currency field: with the transaction's currency
 * it is normalised exactly like any amount; without it, it must fit Ottu's own pattern (at most 13
 * digits and 3 decimals) and Ottu checks the currency's decimals.
 */
export function normalizeOperationAmount(
	value: unknown,
	currency: string | undefined,
	field = 'Amount',
): string {
	if (currency) return normalizeAmount(value, currency, { field });
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : value;
	if (typeof text !== 'string' || !OPERATION_AMOUNT.test(text) || new Money(text).isZero()) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(value)} is not a positive amount with at most 3 decimals`,
			'Enter it like 5.250, or leave it empty for the full (or remaining) amount',
		);
	}
	return text.replace(/^0+(?=\d)/, '');
}

/** One canonical text per amount ("5", "5.0" and "5.000" are the same), for keys. */
export function canonicalAmount(value: string): string {
	return new Money(value).toFixed();
}
