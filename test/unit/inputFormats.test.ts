import { deepCopy } from 'n8n-workflow';

import { buildCheckoutFields, readExtra } from '../../nodes/Ottu/actions/checkoutFields';
import { PAYMENT_METHOD_TAGS } from '../../nodes/Ottu/actions/paymentMethod/getAll.operation';
import { attachmentUploadUrl, brandingOptions } from '../../nodes/Ottu/helpers/checkoutFormats';
import { COUNTRIES } from '../../nodes/Ottu/helpers/countries';
import {
	applePayTokenProblems,
	checkApplePayToken,
	checkPaymentInstrument,
} from '../../nodes/Ottu/helpers/paymentInstrument';
import { allowedCodes, countryCode, optionalJsonObject } from '../../nodes/Ottu/helpers/validation';
import { COUNTRIES as SANDBOX_COUNTRIES } from '../../sandbox/core/countries';
import { fails } from '../helpers/refusal';

const applePayToken = () => ({
	paymentData: {
		version: 'EC_v1',
		data: 'ZGF0YQ==',
		signature: 'c2ln',
		header: { ephemeralPublicKey: 'a2V5', publicKeyHash: 'aGFzaA==', transactionId: 'f00d' },
	},
	paymentMethod: { displayName: 'Visa 0008', network: 'Visa', type: 'debit' },
	transactionIdentifier: 'F00D',
});

describe('billing and shipping country', () => {
	it("holds Ottu's 249 codes, the same as the sandbox's", () => {
		expect(COUNTRIES.size).toBe(249);
		expect([...COUNTRIES].sort()).toEqual([...SANDBOX_COUNTRIES].sort());
	});

	it('refuses two letters that are not a code Ottu lists, naming the field', () => {
		expect(countryCode(' kw ', 'Billing Address Country', true)).toBe('KW');
		const uk = fails(() => countryCode('UK', 'Billing Address Country', true));
		expect(uk.message).toBe(
			'Billing Address Country "UK" is not an ISO 3166-1 country code Ottu accepts',
		);
		expect(uk.hint).toBe('The United Kingdom is GB');
		for (const code of ['EU', 'XK', 'ZZ'])
			expect(fails(() => countryCode(code, 'Shipping Address Country', true)).hint).toContain(
				'ISO 3166-1 alpha-2',
			);
	});

	it('is checked in the addresses of a checkout', () => {
		const shipping = {
			address: {
				firstName: 'S',
				lastName: 'A',
				email: 's@example.com',
				phone: '+965',
				line1: 'x',
				city: 'y',
				country: 'EU',
			},
		};
		expect(
			fails(() => buildCheckoutFields({ shippingAddress: shipping }, 'KWD')).message,
		).toContain('Shipping Address Country "EU"');
	});
});

describe('attachment upload URL', () => {
	it("must end in one of Ottu's file types", () => {
		expect(attachmentUploadUrl('attachments/invoice-17.pdf', 'Attachment Upload URL')).toBe(
			'attachments/invoice-17.pdf',
		);
		expect(attachmentUploadUrl('x/report.xlsx', 'Attachment Upload URL')).toBe('x/report.xlsx');
		for (const name of ['attachments/run.exe', 'a/page.html', 'a/image.gif', 'a/SCAN.PDF']) {
			const error = fails(() => buildCheckoutFields({ attachmentUploadUrl: name }, 'KWD'));
			expect(error.message).toBe(
				`Attachment Upload URL "${name}" does not end in a file type Ottu accepts`,
			);
			expect(error.hint).toContain('pdf, jpeg, png, doc, docx, jpg, xls, xlsx, txt');
		}
	});
});

describe('branding options', () => {
	const branding = (item: unknown) => JSON.stringify({ payment_methods: { knet: item } });

	it('accepts hex colours of 3 or 6 digits', () => {
		expect(
			brandingOptions(branding({ text: 'Pay', color: '#0a7' }), 'Branding Options (JSON)'),
		).toEqual({ payment_methods: { knet: { text: 'Pay', color: '#0a7' } } });
		expect(
			buildCheckoutFields(
				{ brandingOptions: branding({ text: 'Pay', color: '#00AA77', font_weight: 400 }) },
				'KWD',
			).branding_options,
		).toBeDefined();
	});

	it.each(['red', '#12345', '#GGGGGG', '00AA77', 'rgb(0,0,0)', '#00AA77FF'])(
		'refuses the colour %s, naming the gateway',
		(color) => {
			const error = fails(() =>
				buildCheckoutFields({ brandingOptions: branding({ text: 'Pay', color }) }, 'KWD'),
			);
			expect(error.message).toBe(
				`Branding Options (JSON) payment_methods.knet.color "${color}" is not a colour Ottu accepts`,
			);
			expect(error.hint).toContain('#0A7 or #00AA77');
		},
	);

	it('refuses a missing text, a missing payment_methods, and a font weight that is not whole', () => {
		expect(fails(() => brandingOptions(branding({ color: '#fff' }), 'B')).message).toBe(
			'B payment_methods.knet.text is required, got nothing',
		);
		expect(
			fails(() => brandingOptions('{"knet": {"text": "x", "color": "#fff"}}', 'B')).message,
		).toBe('B needs "payment_methods", an object keyed by pg_code');
		expect(
			fails(() => brandingOptions(branding({ text: 'x', color: '#fff', font_weight: 'bold' }), 'B'))
				.message,
		).toContain('font_weight must be a whole number');
	});
});

describe('payment instrument', () => {
	const F = 'Payment Instrument (JSON)';

	it('accepts each documented type with its payload', () => {
		for (const instrument of [
			{ instrument_type: 'apple_pay', payload: applePayToken() },
			{
				instrument_type: 'google_pay',
				payload: { apiVersion: 2, apiVersionMinor: 0, paymentMethodData: { type: 'CARD' } },
			},
			{ instrument_type: 'token', payload: { token: '9923965822244314' } },
			{ instrument_type: 'samsung_pay', payload: { token: 'enc' } },
			{ instrument_type: 'wallet', payload: { wallet_code: 'wallet_ottu' } },
		]) {
			expect(() => checkPaymentInstrument(instrument, F)).not.toThrow();
		}
	});

	it('refuses an unknown instrument type through the checkout fields', () => {
		const error = fails(() =>
			buildCheckoutFields(
				{ paymentInstrument: '{"instrument_type": "paypal", "payload": {}}' },
				'KWD',
			),
		);
		expect(error.message).toBe(
			'Payment Instrument (JSON) has the instrument_type "paypal", which Ottu does not know',
		);
		expect(error.hint).toBe(
			'Use apple_pay, google_pay, token, samsung_pay, wallet, with its "payload"',
		);
	});

	it('refuses a payload that is missing or lacks what its type needs', () => {
		// OpenAPI WalletInstrument: the payload "must specify wallet_code".
		expect(
			fails(() => checkPaymentInstrument({ instrument_type: 'wallet', payload: {} }, F)).message,
		).toBe('Payment Instrument (JSON) payload for wallet is missing wallet_code (text)');
		expect(fails(() => checkPaymentInstrument({ instrument_type: 'token' }, F)).message).toBe(
			'Payment Instrument (JSON) needs a "payload" object, got nothing',
		);
		expect(
			fails(() => checkPaymentInstrument({ instrument_type: 'token', payload: { card: '1' } }, F))
				.message,
		).toBe('Payment Instrument (JSON) payload for token is missing token (text)');
		expect(
			fails(() =>
				checkPaymentInstrument({ instrument_type: 'google_pay', payload: { apiVersion: '2' } }, F),
			).message,
		).toContain('apiVersion (integer), apiVersionMinor (integer), paymentMethodData (object)');
		expect(
			fails(() =>
				checkPaymentInstrument({ instrument_type: 'apple_pay', payload: { paymentData: {} } }, F),
			).message,
		).toContain('payload is missing paymentData.version');
	});
});

describe('Apple Pay token', () => {
	it('needs every paymentData, paymentMethod and transactionIdentifier field Ottu documents', () => {
		expect(applePayTokenProblems(applePayToken())).toEqual([]);
		const token = applePayToken() as Record<string, unknown>;
		(token.paymentData as Record<string, unknown>).header = { publicKeyHash: 'h' };
		delete (token.paymentMethod as Record<string, unknown>).network;
		(token.paymentData as Record<string, unknown>).signature = '';
		expect(applePayTokenProblems(token)).toEqual([
			'paymentData.signature',
			'paymentData.header.transactionId',
			'paymentMethod.network',
		]);
		expect(applePayTokenProblems({ version: 'EC_v1' })).toEqual([
			'paymentData',
			'paymentMethod',
			'transactionIdentifier',
		]);
		const error = fails(() =>
			checkApplePayToken(
				{ paymentData: { version: 'EC_v1' }, paymentMethod: {}, transactionIdentifier: 'x' },
				'Apple Pay Token (JSON)',
			),
		);
		expect(error.message).toBe(
			'Apple Pay Token (JSON) is missing paymentData.data, paymentData.signature, paymentData.header, paymentMethod.displayName, paymentMethod.network, paymentMethod.type',
		);
	});
});

describe('payment-method tags', () => {
	it("are Ottu's business tags, and the placeholder suggests only those", async () => {
		expect(allowedCodes('e_commerce, subscriptions', 'Tags', PAYMENT_METHOD_TAGS)).toEqual([
			'e_commerce',
			'subscriptions',
		]);
		const error = fails(() => allowedCodes('cards, local_debit', 'Tags', PAYMENT_METHOD_TAGS));
		expect(error.message).toBe('Tags cannot include "cards", "local_debit"');
		expect(error.hint).toContain('e_commerce, crm, pos');
		const { description } = await import('../../nodes/Ottu/actions/paymentMethod/getAll.operation');
		const tags = (
			description.find((p) => p.name === 'filters')!.options as Array<{
				name: string;
				placeholder?: string;
			}>
		).find((o) => o.name === 'tags')!;
		const suggested = tags.placeholder!.replace(/^e\.g\. /, '').split(', ');
		expect(suggested.every((t) => PAYMENT_METHOD_TAGS.includes(t))).toBe(true);
	});
});

describe('Extra keys n8n cannot keep', () => {
	it.each(['__proto__', 'constructor', 'prototype'])(
		'refuses %s as a key-value pair instead of dropping it',
		(key) => {
			const error = fails(() =>
				readExtra(
					'keyValue',
					{
						field: [
							{ key: 'ref', value: '1' },
							{ key, value: 'x' },
						],
					},
					'{}',
				),
			);
			expect(error.message).toBe(`Extra Fields 2 Key uses the key "${key}", which n8n cannot keep`);
			expect(error.hint).toContain('Rename the key');
		},
	);

	it('refuses them in Extra (JSON), also nested: n8n would drop them from any copy of the item', () => {
		const extra = JSON.parse('{"__proto__": "a", "constructor": "b", "prototype": "c", "ok": 1}');
		expect(deepCopy({ extra }).extra).toEqual({ ok: 1 });
		expect(fails(() => readExtra('json', {}, '{"__proto__": {"x": 1}}')).message).toBe(
			'Extra (JSON) uses the key "__proto__", which n8n cannot keep',
		);
		expect(
			fails(() => optionalJsonObject('{"a": [{"b": {"constructor": 1}}]}', 'Extra (JSON)')).message,
		).toBe('Extra (JSON) uses the key "constructor" inside "a.b", which n8n cannot keep');
		expect(readExtra('json', {}, '{"proto": 1}')).toEqual({ proto: 1 });
	});
});
