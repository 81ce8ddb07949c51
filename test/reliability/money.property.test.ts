/**
 * Property tests (fast-check) for the money module and invoice arithmetic, against an independent exact
 * reference written here with BigInt minor units: no floats anywhere in the reference.
 */
import fc from 'fast-check';

import { CURRENCY_DECIMALS } from '../../nodes/Ottu/helpers/currencies';
import { OttuInputError } from '../../nodes/Ottu/helpers/errors';
import type { InvoiceItemInput } from '../../nodes/Ottu/helpers/invoice';
import { computeInvoice } from '../../nodes/Ottu/helpers/invoice';
import {
	canonicalAmount,
	MAX_INTEGER_DIGITS,
	normalizeAmount,
	normalizeOperationAmount,
} from '../../nodes/Ottu/helpers/money';
import { Figures } from './support';

const figures = new Figures('money');
afterAll(() => figures.save());

const RUNS = 400;
const CURRENCIES = Object.keys(CURRENCY_DECIMALS);
const SAMPLE_CURRENCIES = [
	'KWD',
	'BHD',
	'OMR',
	'JOD',
	'SAR',
	'AED',
	'QAR',
	'USD',
	'EUR',
	'EGP',
	'JPY',
	'KRW',
	'CLP',
];

// ---- the exact reference: amounts as BigInt counts of 10^-scale ---------------------------------------

/** "12.5" at scale 3 → 12500n; only for plain non-negative decimals with at most `scale` decimals. */
function toUnits(text: string, scale: number): bigint {
	const [whole, frac = ''] = text.split('.');
	return (
		BigInt(whole || '0') * 10n ** BigInt(scale) +
		BigInt((frac + '0'.repeat(scale)).slice(0, scale) || '0')
	);
}

function fromUnits(units: bigint, scale: number): string {
	const digits = units.toString().padStart(scale + 1, '0');
	return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** a / b rounded half up, for a >= 0, b > 0. */
function divHalfUp(a: bigint, b: bigint): bigint {
	return (2n * a + b) / (2n * b);
}

const amountText = (decimals: number, maxUnits: bigint, minUnits = 0n) =>
	fc.bigInt({ min: minUnits, max: maxUnits }).map((units) => fromUnits(units, decimals));

describe('amount normalisation (per currency)', () => {
	it("round-trips every exact amount and its equivalent spellings to Ottu's form", () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...CURRENCIES).chain((currency) => {
					const d = CURRENCY_DECIMALS[currency];
					return fc.tuple(
						fc.constant(currency),
						amountText(d, 10n ** BigInt(MAX_INTEGER_DIGITS + d) - 1n, 1n),
						fc.nat({ max: 3 }),
						fc.nat({ max: 2 }),
						fc.boolean(),
					);
				}),
				([currency, exact, leadingZeros, spaces, plus]) => {
					const d = CURRENCY_DECIMALS[currency];
					expect(normalizeAmount(exact, currency)).toBe(exact);
					// Trailing zeros dropped, leading zeros, a plus sign, spaces: the same amount.
					const stripped = d > 0 ? exact.replace(/\.?0+$/, '') : exact;
					const spelled = `${' '.repeat(spaces)}${plus ? '+' : ''}${'0'.repeat(leadingZeros)}${stripped}${' '.repeat(spaces)}`;
					expect(normalizeAmount(spelled, currency)).toBe(exact);
					expect(normalizeAmount(normalizeAmount(spelled, currency), currency)).toBe(exact);
					// The Tracking-Key material is the same for every spelling, so "5" and "5.000" never refund twice.
					expect(canonicalAmount(normalizeAmount(spelled, currency))).toBe(canonicalAmount(exact));
					expect(toUnits(normalizeAmount(spelled, currency), d)).toBe(toUnits(exact, d));
					figures.count('normalisation round-trips');
				},
			),
			{ numRuns: RUNS * 2 },
		);
	});

	it('refuses any amount with more decimals than its currency allows, never rounding it', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...CURRENCIES),
				fc.bigInt({ min: 0n, max: 10n ** 12n }),
				fc.integer({ min: 1, max: 4 }),
				fc.integer({ min: 1, max: 9 }),
				(currency, whole, extra, lastDigit) => {
					const d = CURRENCY_DECIMALS[currency];
					const fraction = `${'0'.repeat(d + extra - 1)}${lastDigit}`;
					const text = `${whole}.${fraction}`;
					let error: unknown;
					try {
						normalizeAmount(text, currency);
					} catch (e) {
						error = e;
					}
					expect(error).toBeInstanceOf(OttuInputError);
					expect((error as OttuInputError).field).toBe('Amount');
					expect((error as OttuInputError).message).toBe(
						`Amount "${text}" has ${d + extra} decimal place${d + extra === 1 ? '' : 's'} but ${currency} allows ${d}`,
					);
					expect((error as OttuInputError).hint).toMatch(
						d === 0
							? /amounts are whole numbers/
							: new RegExp(`amounts have at most ${d} decimal place`),
					);
					figures.count('precision refusals');
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('accepts 13 integer digits and refuses 14, in every currency', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...CURRENCIES),
				fc.bigInt({ min: 10n ** 12n, max: 10n ** 14n - 1n }),
				(currency, whole) => {
					const text = whole.toString();
					if (text.length <= MAX_INTEGER_DIGITS) {
						expect(normalizeAmount(text, currency)).toBe(
							fromUnits(
								whole * 10n ** BigInt(CURRENCY_DECIMALS[currency]),
								CURRENCY_DECIMALS[currency],
							),
						);
					} else {
						expect(() => normalizeAmount(text, currency)).toThrow(
							`has more than ${MAX_INTEGER_DIGITS} digits before the decimal point`,
						);
					}
					figures.count('size checks');
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('takes numbers from expressions exactly as JavaScript prints them, or refuses them', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...SAMPLE_CURRENCIES),
				fc.double({ min: 0, max: 1e13, noNaN: true }),
				(currency, value) => {
					const d = CURRENCY_DECIMALS[currency];
					const printed = String(value);
					const plain = /^\d+(\.\d+)?$/.test(printed);
					const fraction = plain ? (printed.split('.')[1] ?? '') : '';
					const integer = plain ? printed.split('.')[0] : '';
					let result: string | undefined;
					try {
						result = normalizeAmount(value, currency);
					} catch (error) {
						expect(error).toBeInstanceOf(OttuInputError);
					}
					const acceptable =
						plain && fraction.length <= d && integer.length <= MAX_INTEGER_DIGITS && value > 0;
					if (acceptable) expect(result).toBe(fromUnits(toUnits(printed, d), d));
					else expect(result).toBeUndefined();
					figures.count('expression numbers');
				},
			),
			{ numRuns: RUNS },
		);
	});

	it("normalises operation amounts (no currency) to Ottu's pattern, and refuses the rest", () => {
		fc.assert(
			fc.property(
				fc.nat({ max: 4 }),
				fc.bigInt({ min: 0n, max: 10n ** 14n }),
				fc.nat({ max: 2 }),
				(decimals, units, leading) => {
					const text = `${'0'.repeat(leading)}${fromUnits(units, decimals)}`;
					const integerDigits = fromUnits(units, decimals)
						.split('.')[0]
						.replace(/^0+(?=\d)/, '').length;
					const valid =
						decimals <= 3 &&
						units > 0n &&
						integerDigits <= MAX_INTEGER_DIGITS &&
						text.split('.')[0].length <= MAX_INTEGER_DIGITS;
					if (valid) {
						const out = normalizeOperationAmount(text, undefined);
						expect(toUnits(out, 3)).toBe(toUnits(text, 3));
						expect(out).not.toMatch(/^0\d/);
					} else {
						expect(() => normalizeOperationAmount(text, undefined)).toThrow(OttuInputError);
					}
					figures.count('operation amounts');
				},
			),
			{ numRuns: RUNS },
		);
	});
});

// ---- invoices: the node's totals against the exact reference ----------------------------------------

interface RefItem {
	qtyMilli: bigint;
	priceUnits: bigint;
	taxCenti?: bigint;
	discount?: { kind: 'amount'; units: bigint } | { kind: 'percent'; centi: bigint };
}

interface RefInvoice {
	currency: string;
	items: RefItem[];
	taxCenti?: bigint;
	discount?: { kind: 'amount'; units: bigint } | { kind: 'percent'; centi: bigint };
	shippingUnits?: bigint;
	shippingTaxCenti?: bigint;
}

/** Ottu's documented invoice arithmetic, in minor units, rounding half up after every step. */
function reference(inv: RefInvoice) {
	const percentOf = (units: bigint, centi: bigint) => divHalfUp(units * centi, 10_000n);
	const items = inv.items.map((it) => {
		const value = divHalfUp(it.qtyMilli * it.priceUnits, 1000n);
		const discount =
			it.discount === undefined
				? 0n
				: it.discount.kind === 'amount'
					? it.discount.units
					: percentOf(value, it.discount.centi);
		const excl = value - discount;
		const tax = it.taxCenti === undefined ? 0n : percentOf(excl, it.taxCenti);
		return { value, discount, excl, tax, incl: excl + tax };
	});
	const subtotal = items.reduce((s, i) => s + i.incl, 0n);
	const discount =
		inv.discount === undefined
			? 0n
			: inv.discount.kind === 'amount'
				? inv.discount.units
				: percentOf(subtotal, inv.discount.centi);
	const excl = subtotal - discount;
	const tax = inv.taxCenti === undefined ? 0n : percentOf(excl, inv.taxCenti);
	const shipping =
		inv.shippingUnits === undefined
			? undefined
			: inv.shippingUnits +
				(inv.shippingTaxCenti === undefined
					? 0n
					: percentOf(inv.shippingUnits, inv.shippingTaxCenti));
	return { items, subtotal, discount, excl, tax, shipping, total: excl + tax + (shipping ?? 0n) };
}

const centiRate = fc.integer({ min: 0, max: 10_000 }).map(BigInt);
const rateText = (centi: bigint) => fromUnits(centi, 2);

const invoiceArb = fc.constantFrom(...SAMPLE_CURRENCIES).chain((currency) => {
	const d = CURRENCY_DECIMALS[currency];
	const price = fc.bigInt({ min: 0n, max: 10n ** BigInt(6 + d) });
	const item = fc
		.record({
			qtyMilli: fc.oneof(
				fc.integer({ min: 1, max: 50 }).map((n) => BigInt(n) * 1000n),
				fc.integer({ min: 1, max: 1_000_000 }).map(BigInt),
			),
			priceUnits: price,
			taxCenti: fc.option(centiRate, { nil: undefined }),
			discountKind: fc.constantFrom('none', 'amount', 'percent'),
			discountSeed: fc.double({ min: 0, max: 1, noNaN: true }),
			discountCenti: centiRate,
		})
		.map((r): RefItem => {
			const value = divHalfUp(r.qtyMilli * r.priceUnits, 1000n);
			const discount =
				r.discountKind === 'amount'
					? {
							kind: 'amount' as const,
							units: (value * BigInt(Math.floor(r.discountSeed * 1000))) / 1000n,
						}
					: r.discountKind === 'percent'
						? { kind: 'percent' as const, centi: r.discountCenti }
						: undefined;
			return { qtyMilli: r.qtyMilli, priceUnits: r.priceUnits, taxCenti: r.taxCenti, discount };
		});
	return fc.record({
		currency: fc.constant(currency),
		items: fc.array(item, { minLength: 1, maxLength: 25 }),
		taxCenti: fc.option(centiRate, { nil: undefined }),
		discount: fc.option(
			fc.oneof(
				centiRate.map((centi) => ({ kind: 'percent' as const, centi })),
				fc
					.bigInt({ min: 0n, max: 10n ** BigInt(2 + d) })
					.map((units) => ({ kind: 'amount' as const, units })),
			),
			{ nil: undefined },
		),
		shippingUnits: fc.option(fc.bigInt({ min: 0n, max: 10n ** BigInt(4 + d) }), { nil: undefined }),
		shippingTaxCenti: fc.option(centiRate, { nil: undefined }),
	});
});

describe('invoice totals', () => {
	it("reference reproduces Ottu's documented example (1.111 × 5.234 KWD = 5.815)", () => {
		const ref = reference({ currency: 'KWD', items: [{ qtyMilli: 1111n, priceUnits: 5234n }] });
		expect(fromUnits(ref.total, 3)).toBe('5.815');
		expect(
			computeInvoice({
				currency: 'KWD',
				items: [{ sku: 'A', description: 'a', quantity: '1.111', unit_price: '5.234' }],
			}).amount,
		).toBe('5.815');
	});

	it('equal the exact BigInt reference for random line items, in every currency, with no float drift', () => {
		fc.assert(
			fc.property(invoiceArb, (inv) => {
				const d = CURRENCY_DECIMALS[inv.currency];
				const fmt = (units: bigint) => fromUnits(units, d);
				const ref = reference(inv);
				const items: InvoiceItemInput[] = inv.items.map((it, i) => ({
					sku: `SKU-${i}`,
					description: `Item ${i}`,
					quantity: fromUnits(it.qtyMilli, 3).replace(/\.?0+$/, ''),
					unit_price: fmt(it.priceUnits),
					tax_rate: it.taxCenti === undefined ? undefined : rateText(it.taxCenti),
					discount_amount: it.discount?.kind === 'amount' ? fmt(it.discount.units) : undefined,
					discount_percentage:
						it.discount?.kind === 'percent' ? rateText(it.discount.centi) : undefined,
				}));
				const input = {
					currency: inv.currency,
					items,
					tax_rate: inv.taxCenti === undefined ? undefined : rateText(inv.taxCenti),
					discount_amount: inv.discount?.kind === 'amount' ? fmt(inv.discount.units) : undefined,
					discount_percentage:
						inv.discount?.kind === 'percent' ? rateText(inv.discount.centi) : undefined,
					shipping_excl_tax: inv.shippingUnits === undefined ? undefined : fmt(inv.shippingUnits),
					shipping_tax_rate:
						inv.shippingUnits === undefined || inv.shippingTaxCenti === undefined
							? undefined
							: rateText(inv.shippingTaxCenti),
				};
				if (ref.discount > ref.subtotal || ref.total === 0n) {
					// The node refuses these before sending (discount larger than the items, or nothing to pay).
					expect(() => computeInvoice(input)).toThrow(OttuInputError);
					figures.count('invoices refused as expected');
					return;
				}
				const totals = computeInvoice(input);
				totals.invoice_items.forEach((line, i) => {
					expect(line.total_excl_tax).toBe(fmt(ref.items[i].excl));
					expect(line.tax_amount).toBe(fmt(ref.items[i].tax));
					expect(line.total_incl_tax).toBe(fmt(ref.items[i].incl));
				});
				expect(totals.subtotal).toBe(fmt(ref.subtotal));
				expect(totals.total_excl_tax).toBe(fmt(ref.excl));
				expect(totals.tax_amount).toBe(fmt(ref.tax));
				expect(totals.shipping_incl_tax).toBe(
					ref.shipping === undefined ? undefined : fmt(ref.shipping),
				);
				expect(totals.amount).toBe(fmt(ref.total));
				figures.count('invoices equal to the reference');
				figures.count('line items checked', inv.items.length);
			}),
			{ numRuns: RUNS },
		);
	});
});
