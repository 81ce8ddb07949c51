import fc from 'fast-check';

import { checkExpectedTotal, computeInvoice } from '../../nodes/Ottu/helpers/invoice';
import { OttuInputError } from '../../nodes/Ottu/helpers/errors';

describe('invoice totals (Ottu arithmetic, half up at every step)', () => {
	it("matches Ottu's documented example: 1.111 × 5.234 KWD gives 5.815", () => {
		const totals = computeInvoice({
			currency: 'KWD',
			items: [{ sku: 'A', description: 'a', quantity: '1.111', unit_price: '5.234' }],
		});
		expect(totals.invoice_items[0]).toMatchObject({
			total_excl_tax: '5.815',
			tax_amount: '0.000',
			total_incl_tax: '5.815',
		});
		expect(totals.amount).toBe('5.815');
		expect(totals.subtotal).toBe('5.815');
	});

	it('applies item discounts and taxes, the invoice discount and tax, and taxed shipping, in that order', () => {
		const totals = computeInvoice({
			currency: 'KWD',
			items: [
				{
					sku: 'TS-1',
					description: 'T-shirt',
					quantity: '2',
					unit_price: '3.125',
					tax_rate: '5',
					discount_percentage: '10',
				},
				{ sku: 'CAP', description: 'Cap', quantity: 1.111, unit_price: 5.234 },
			],
			discount_amount: '1',
			tax_rate: '2.5',
			shipping_excl_tax: '1.5',
			shipping_tax_rate: '5',
		});
		// 6.250 - 0.625 = 5.625; tax 0.28125 -> 0.281; incl 5.906
		expect(totals.invoice_items[0]).toMatchObject({
			total_excl_tax: '5.625',
			tax_amount: '0.281',
			total_incl_tax: '5.906',
			tax_rate: '5.00',
			discount_percentage: '10.00',
		});
		expect(totals.invoice_items[1].total_incl_tax).toBe('5.815');
		expect(totals).toMatchObject({
			subtotal: '11.721',
			discount_amount: '1.000',
			total_excl_tax: '10.721',
			tax_amount: '0.268',
			shipping_excl_tax: '1.500',
			shipping_incl_tax: '1.575',
			total_incl_tax: '12.564',
			amount: '12.564',
		});
	});

	it('rounds half up, not to even (10.10 USD at 5 % tax is 0.51)', () => {
		const totals = computeInvoice({
			currency: 'USD',
			items: [{ sku: 'X', description: 'x', quantity: '1', unit_price: '10.10', tax_rate: '5' }],
		});
		expect(totals.invoice_items[0].tax_amount).toBe('0.51');
		expect(totals.amount).toBe('10.61');
	});

	it('uses no decimals for JPY', () => {
		const totals = computeInvoice({
			currency: 'JPY',
			items: [{ sku: 'X', description: 'x', quantity: '3', unit_price: '333', tax_rate: '10' }],
		});
		expect(totals.invoice_items[0]).toMatchObject({
			total_excl_tax: '999',
			tax_amount: '100',
			total_incl_tax: '1099',
		});
	});

	const refuses = (fn: () => unknown, field: string, text: RegExp) => {
		let caught: unknown;
		try {
			fn();
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(OttuInputError);
		expect((caught as OttuInputError).field).toBe(field);
		expect((caught as OttuInputError).message).toMatch(text);
	};

	it('refuses what Ottu would refuse, naming the line', () => {
		const item = { sku: 'A', description: 'a', quantity: '1', unit_price: '5' };
		refuses(() => computeInvoice({ currency: 'KWD', items: [] }), 'invoice_items', /no line items/);
		refuses(
			() =>
				computeInvoice({
					currency: 'KWD',
					items: [item, { ...item, discount_amount: '1', discount_percentage: '5' }],
				}),
			'Item 2 Discount',
			/both a discount amount and a discount percentage/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [{ ...item, discount_amount: '6' }] }),
			'Item 1 Discount',
			/larger than its value 5.000/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [{ ...item, tax_rate: '5.125' }] }),
			'Item 1 Tax Rate',
			/at most 2 decimals/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [{ ...item, tax_rate: '101' }] }),
			'Item 1 Tax Rate',
			/0 to 100/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [{ ...item, quantity: '0' }] }),
			'Item 1 Quantity',
			/positive quantity/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [{ ...item, unit_price: '5.1234' }] }),
			'Item 1 Unit Price',
			/4 decimal places but KWD allows 3/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [{ ...item, sku: '' }] }),
			'Item 1 SKU',
			/required/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [item], discount_amount: '6' }),
			'discount',
			/larger than the items' total 5.000/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [item], shipping_tax_rate: '5' }),
			'shipping_tax_rate',
			/without a shipping amount/,
		);
		refuses(
			() => computeInvoice({ currency: 'KWD', items: [{ ...item, discount_percentage: '100' }] }),
			'invoice_items',
			/total is zero/,
		);
	});

	it('stops when the total differs from the expected total, and passes when it matches', () => {
		const totals = computeInvoice({
			currency: 'KWD',
			items: [{ sku: 'A', description: 'a', quantity: '1.111', unit_price: '5.234' }],
		});
		expect(() => checkExpectedTotal(totals, '5.815', 'KWD')).not.toThrow();
		expect(() => checkExpectedTotal(totals, '', 'KWD')).not.toThrow();
		refuses(
			() => checkExpectedTotal(totals, '5.81', 'KWD'),
			'expectedTotal',
			/adds up to 5.815 KWD, not the expected 5.810 KWD/,
		);
	});

	it('keeps every total consistent with its parts for any input (property)', () => {
		const money = fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 1000).toFixed(3));
		const rate = fc.integer({ min: 0, max: 10_000 }).map((n) => (n / 100).toFixed(2));
		const item = fc.record({
			sku: fc.constant('S'),
			description: fc.constant('d'),
			quantity: fc.integer({ min: 1, max: 100_000 }).map((n) => (n / 1000).toString()),
			unit_price: money,
			tax_rate: fc.option(rate, { nil: undefined }),
		});
		fc.assert(
			fc.property(
				fc.array(item, { minLength: 1, maxLength: 6 }),
				fc.option(rate, { nil: undefined }),
				(items, taxRate) => {
					let totals;
					try {
						totals = computeInvoice({ currency: 'KWD', items, tax_rate: taxRate });
					} catch (error) {
						// Only an all-zero invoice may be refused here.
						expect((error as OttuInputError).message).toMatch(/total is zero/);
						return;
					}
					const thousandths = (s: string) => Math.round(Number(s) * 1000);
					for (const line of totals.invoice_items) {
						expect(line.total_incl_tax).toMatch(/^\d+\.\d{3}$/);
						expect(thousandths(line.total_incl_tax)).toBe(
							thousandths(line.total_excl_tax) + thousandths(line.tax_amount),
						);
					}
					const subtotal = totals.invoice_items.reduce(
						(s, l) => s + thousandths(l.total_incl_tax),
						0,
					);
					expect(thousandths(totals.subtotal)).toBe(subtotal);
					expect(thousandths(totals.amount)).toBe(
						thousandths(totals.total_excl_tax) + thousandths(totals.tax_amount),
					);
					expect(totals.amount).toBe(totals.total_incl_tax);
				},
			),
			{ numRuns: 300 },
		);
	});
});
