/** ISO 4217 minor units the sandbox enforces (Ottu: amounts carry exactly the currency's decimals). */
const THREE = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];
const ZERO = [
	'BIF',
	'CLP',
	'DJF',
	'GNF',
	'ISK',
	'JPY',
	'KMF',
	'KRW',
	'PYG',
	'RWF',
	'UGX',
	'UYI',
	'VND',
	'VUV',
	'XAF',
	'XOF',
	'XPF',
];
const TWO = [
	'AED',
	'AUD',
	'CAD',
	'CHF',
	'CNY',
	'EGP',
	'EUR',
	'GBP',
	'HKD',
	'IDR',
	'INR',
	'KHR',
	'LBP',
	'MAD',
	'MYR',
	'NZD',
	'PHP',
	'PKR',
	'QAR',
	'SAR',
	'SGD',
	'THB',
	'TRY',
	'USD',
	'ZAR',
];

export function currencyDecimals(code: string): number | undefined {
	if (THREE.includes(code)) return 3;
	if (ZERO.includes(code)) return 0;
	if (TWO.includes(code)) return 2;
	return undefined;
}
