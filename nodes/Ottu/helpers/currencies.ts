/**
 * ISO 4217 active currencies and their minor units. Ottu sends and expects amounts with exactly
 * the currency's decimals; it accepts at most 3, so the 4-decimal funds codes (CLF, UYW) are left out.
 */
const THREE_DECIMALS = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];

const ZERO_DECIMALS = [
	'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV',
	'XAF', 'XOF', 'XPF',
];

const TWO_DECIMALS = [
	'AED', 'AFN', 'ALL', 'AMD', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BGN', 'BMD',
	'BND', 'BOB', 'BOV', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHE', 'CHF', 'CHW',
	'CNY', 'COP', 'COU', 'CRC', 'CUP', 'CVE', 'CZK', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR',
	'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GTQ', 'GYD', 'HKD', 'HNL', 'HTG', 'HUF', 'IDR',
	'ILS', 'INR', 'IRR', 'JMD', 'KES', 'KGS', 'KHR', 'KPW', 'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD',
	'LSL', 'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MXV',
	'MYR', 'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR', 'PLN',
	'QAR', 'RON', 'RSD', 'RUB', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD',
	'SSP', 'STN', 'SVC', 'SYP', 'SZL', 'THB', 'TJS', 'TMT', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH',
	'USD', 'USN', 'UYU', 'UZS', 'VED', 'VES', 'WST', 'XCD', 'XCG', 'YER', 'ZAR', 'ZMW', 'ZWG',
];

export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = Object.freeze({
	...Object.fromEntries(TWO_DECIMALS.map((c) => [c, 2])),
	...Object.fromEntries(ZERO_DECIMALS.map((c) => [c, 0])),
	...Object.fromEntries(THREE_DECIMALS.map((c) => [c, 3])),
});

/** Currencies Ottu merchants use most, listed first in dropdowns. */
export const PREFERRED_CURRENCIES = ['KWD', 'SAR', 'AED', 'BHD', 'QAR', 'OMR', 'USD', 'EUR', 'EGP', 'JOD', 'GBP'];

let displayNames: Intl.DisplayNames | undefined;
export function currencyName(code: string): string {
	try {
		displayNames ??= new Intl.DisplayNames(['en'], { type: 'currency' });
		return displayNames.of(code) ?? code;
	} catch {
		return code;
	}
}

export function currencyOptions(): Array<{ name: string; value: string }> {
	const rest = Object.keys(CURRENCY_DECIMALS)
		.filter((c) => !PREFERRED_CURRENCIES.includes(c))
		.sort();
	return [...PREFERRED_CURRENCIES, ...rest].map((code) => ({ name: `${code} - ${currencyName(code)}`, value: code }));
}
