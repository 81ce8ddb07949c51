import { OttuInputError } from '../../nodes/Ottu/helpers/errors';
import type { MoneyValue } from '../../nodes/Ottu/helpers/money';
import {
	formatAmount,
	Money,
	normalizeAmount,
	normalizeCurrency,
	roundToCurrency,
	toMoney,
} from '../../nodes/Ottu/helpers/money';

/** A sum in the node's Money type (the node itself never adds amounts up). */
function sumAmounts(values: Array<MoneyValue | string | number>): MoneyValue {
	return values.reduce<MoneyValue>((total, v) => total.plus(toMoney(v)), new Money(0));
}

function inputError(fn: () => unknown): OttuInputError {
	try {
		fn();
	} catch (error) {
		if (error instanceof OttuInputError) return error;
		throw error;
	}
	throw new Error('expected an OttuInputError');
}

describe('normalizeAmount', () => {
	it.each([
		['20', 'KWD', '20.000'],
		['20.5', 'KWD', '20.500'],
		['0.001', 'BHD', '0.001'],
		['  7.25 ', 'USD', '7.25'],
		['1500', 'JPY', '1500'],
		['.5', 'SAR', '0.50'],
		['007.1', 'OMR', '7.100'],
		['+3', 'AED', '3.00'],
		['9999999999999.999', 'KWD', '9999999999999.999'],
		['12.345', 'TND', '12.345'],
	])('%s %s -> %s', (input, currency, expected) => {
		expect(normalizeAmount(input, currency)).toBe(expected);
	});

	it('accepts numbers from expressions without float drift in the output', () => {
		expect(normalizeAmount(20.5, 'KWD')).toBe('20.500');
		expect(normalizeAmount(19.99, 'USD')).toBe('19.99');
	});

	it('refuses a float result with hidden precision instead of rounding it', () => {
		const err = inputError(() => normalizeAmount(0.1 + 0.2, 'USD'));
		expect(err.message).toContain('decimal places but USD allows 2');
	});

	it.each([
		['20.1234', 'KWD', 'Amount "20.1234" has 4 decimal places but KWD allows 3'],
		['10.5', 'JPY', 'Amount "10.5" has 1 decimal place but JPY allows 0'],
		['10.00', 'JPY', 'Amount "10.00" has 2 decimal places but JPY allows 0'],
		['1.005', 'USD', 'Amount "1.005" has 3 decimal places but USD allows 2'],
		['-5', 'KWD', 'Amount cannot be negative (got "-5")'],
		['1e3', 'KWD', 'Amount "1e3" uses exponent notation'],
		['12,5', 'KWD', 'Amount "12,5" contains a comma'],
		['abc', 'KWD', 'Amount "abc" is not a number'],
		['', 'KWD', 'Amount is required'],
		['0', 'KWD', 'Amount must be greater than zero'],
		[
			'12345678901234',
			'KWD',
			'Amount "12345678901234" has more than 13 digits before the decimal point',
		],
		['1.2.3', 'KWD', 'Amount "1.2.3" is not a number'],
	])('refuses %s %s', (input, currency, message) => {
		const err = inputError(() => normalizeAmount(input, currency));
		expect(err.message).toBe(message);
		expect(err.field).toBe('Amount');
		expect(err.hint).toBeTruthy();
	});

	it("states the currency's rule in the hint", () => {
		expect(inputError(() => normalizeAmount('1.1234', 'KWD')).hint).toBe(
			'KWD amounts have at most 3 decimal places, e.g. 12.500',
		);
		expect(inputError(() => normalizeAmount('1.5', 'JPY')).hint).toBe(
			'JPY amounts are whole numbers, e.g. 1500',
		);
	});

	it('allows zero only when asked (save-card checkouts)', () => {
		expect(normalizeAmount('0', 'KWD', { allowZero: true })).toBe('0.000');
	});

	it('names the field it was given', () => {
		expect(inputError(() => normalizeAmount('x', 'KWD', { field: 'Refund Amount' })).message).toBe(
			'Refund Amount "x" is not a number',
		);
	});

	it('refuses non-text, non-number values', () => {
		expect(inputError(() => normalizeAmount({}, 'KWD')).message).toBe(
			'Amount must be a decimal amount, got an object',
		);
		expect(inputError(() => normalizeAmount(true, 'KWD')).message).toBe(
			'Amount must be a decimal amount, got boolean true',
		);
		expect(inputError(() => normalizeAmount(Number.NaN, 'KWD')).message).toBe(
			'Amount must be a number, got number NaN',
		);
	});
});

describe('currencies', () => {
	it('uppercases known codes and refuses unknown ones', () => {
		expect(normalizeCurrency(' kwd ')).toBe('KWD');
		expect(inputError(() => normalizeCurrency('XYZ')).message).toBe(
			'Currency "XYZ" is not an ISO 4217 currency Ottu can use',
		);
		expect(inputError(() => normalizeCurrency('')).message).toBe(
			'Currency is required, got an empty value',
		);
	});
});

describe('exact arithmetic', () => {
	it('sums without float drift', () => {
		expect(sumAmounts(['0.1', '0.2']).toString()).toBe('0.3');
		expect(formatAmount(sumAmounts(Array(1000).fill('0.001')), 'KWD')).toBe('1.000');
	});

	it('rounds half up per currency, as Ottu does', () => {
		expect(roundToCurrency('5.8145', 'KWD').toFixed(3)).toBe('5.815');
		expect(formatAmount('2.675', 'USD')).toBe('2.68');
		expect(formatAmount('0.5', 'JPY')).toBe('1');
	});
});
