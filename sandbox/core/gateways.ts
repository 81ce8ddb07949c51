/**
 * The sandbox's gateway catalogue: what Ottu's Payment Methods API would list for a merchant.
 * Modelled on Ottu's real gateway families (KNET, MPGS, Apple Pay, Google Pay, STC Pay, Benefit);
 * pass your own list to createSandbox({ gateways }) to test other set-ups.
 */
export interface Gateway {
	code: string;
	name: string;
	pg_name: string;
	is_sandbox: boolean;
	default_currency: string;
	accepted_currencies: string[];
	/** What a successful customer payment does: collect (purchase) or reserve (authorize). */
	operation: 'purchase' | 'authorize';
	/** Merchant operations this MID supports. */
	operations: Array<'refund' | 'capture' | 'void'>;
	is_tokenizable: boolean;
	auto_debit_enabled: boolean;
	wallets: string[];
	payment_services: Array<{ code: string; name: string; name_ar: string }>;
	tags: string[];
	plugins: Array<'e_commerce' | 'payment_request'>;
	/** Minutes after which Ottu's automatic inquiry would run. */
	inquiry_minutes: number | null;
	/** Refunds settle later: the child starts as refund_queued. */
	queued_refunds?: boolean;
}

const BOTH: Gateway['plugins'] = ['e_commerce', 'payment_request'];
const GCC = ['KWD', 'BHD', 'QAR', 'OMR', 'AED', 'SAR', 'USD'];

export const DEFAULT_GATEWAYS: Gateway[] = [
	{
		code: 'knet-test',
		name: 'KNET',
		pg_name: 'kpay',
		is_sandbox: true,
		default_currency: 'KWD',
		accepted_currencies: ['KWD'],
		operation: 'purchase',
		operations: ['refund'],
		is_tokenizable: false,
		auto_debit_enabled: false,
		wallets: [],
		payment_services: [],
		tags: ['e_commerce', 'test'],
		plugins: BOTH,
		inquiry_minutes: 8,
	},
	{
		code: 'credit-card',
		name: 'Credit Card (MPGS)',
		pg_name: 'mpgs',
		is_sandbox: true,
		default_currency: 'KWD',
		accepted_currencies: GCC,
		operation: 'purchase',
		operations: ['refund', 'capture', 'void'],
		is_tokenizable: true,
		auto_debit_enabled: true,
		wallets: [],
		payment_services: [],
		tags: ['e_commerce', 'subscriptions', 'test'],
		plugins: BOTH,
		inquiry_minutes: 11,
	},
	{
		code: 'mpgs-auth',
		name: 'Credit Card (authorize then capture)',
		pg_name: 'mpgs',
		is_sandbox: true,
		default_currency: 'KWD',
		accepted_currencies: GCC,
		operation: 'authorize',
		operations: ['refund', 'capture', 'void'],
		is_tokenizable: true,
		auto_debit_enabled: true,
		wallets: [],
		payment_services: [],
		tags: ['e_commerce', 'subscriptions', 'test'],
		plugins: BOTH,
		inquiry_minutes: 11,
	},
	{
		code: 'apple-pay',
		name: 'Apple Pay',
		pg_name: 'mpgs',
		is_sandbox: true,
		default_currency: 'KWD',
		accepted_currencies: GCC,
		operation: 'purchase',
		operations: ['refund', 'capture', 'void'],
		is_tokenizable: false,
		auto_debit_enabled: false,
		wallets: ['ApplePay'],
		payment_services: [{ code: 'apple_pay', name: 'Apple Pay', name_ar: 'أبل باي' }],
		tags: ['mobile_app', 'test'],
		plugins: BOTH,
		inquiry_minutes: 11,
	},
	{
		code: 'google-pay',
		name: 'Google Pay',
		pg_name: 'mpgs',
		is_sandbox: true,
		default_currency: 'KWD',
		accepted_currencies: GCC,
		operation: 'purchase',
		operations: ['refund', 'capture', 'void'],
		is_tokenizable: false,
		auto_debit_enabled: false,
		wallets: ['GooglePay'],
		payment_services: [{ code: 'google_pay', name: 'Google Pay', name_ar: 'جوجل باي' }],
		tags: ['mobile_app', 'test'],
		plugins: BOTH,
		inquiry_minutes: 11,
	},
	{
		code: 'stcpay',
		name: 'STC Pay',
		pg_name: 'stc_pay',
		is_sandbox: true,
		default_currency: 'SAR',
		accepted_currencies: ['SAR', 'BHD'],
		operation: 'purchase',
		operations: ['refund'],
		is_tokenizable: true,
		auto_debit_enabled: false,
		wallets: [],
		payment_services: [],
		tags: ['mobile_app', 'test'],
		plugins: BOTH,
		inquiry_minutes: 8,
		queued_refunds: true,
	},
	{
		code: 'benefit',
		name: 'Benefit',
		pg_name: 'benefit',
		is_sandbox: true,
		default_currency: 'BHD',
		accepted_currencies: ['BHD'],
		operation: 'purchase',
		operations: ['refund'],
		is_tokenizable: false,
		auto_debit_enabled: true,
		wallets: [],
		payment_services: [],
		tags: ['e_commerce', 'test'],
		plugins: BOTH,
		inquiry_minutes: 8,
	},
	{
		code: 'knet',
		name: 'KNET (production)',
		pg_name: 'kpay',
		is_sandbox: false,
		default_currency: 'KWD',
		accepted_currencies: ['KWD'],
		operation: 'purchase',
		operations: ['refund'],
		is_tokenizable: false,
		auto_debit_enabled: false,
		wallets: [],
		payment_services: [],
		tags: ['e_commerce', 'retail'],
		plugins: BOTH,
		inquiry_minutes: 8,
	},
];
