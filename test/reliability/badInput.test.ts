/**
 * A table of invalid inputs across the Ottu node's operations, each run through n8n's real engine against the
 * sandbox. Every one must fail with an error that names the field (by its label in the node), the item, and
 * what would be valid, and the sandbox's request log must prove that nothing reached "Ottu".
 * Values come both typed into the parameter and from expressions that resolve to the wrong type.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, startSandbox } from '../helpers/sandbox';
import { apiRequests, Figures, newTransaction, reset } from './support';

interface BadInput {
	/** What is wrong, for the test name and RELIABILITY.md. */
	what: string;
	parameters: IDataObject;
	/** The input items (the first two are run; each must be refused, naming its own item). */
	items?: IDataObject[];
	/** The field's label, as the error message must name it. */
	field: string;
	/** Part of the message that says what is wrong. */
	problem: string | RegExp;
	/** Part of the description that says how to fix it. */
	fix: string | RegExp;
}

const create = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'paymentTransaction',
	operation: 'create',
	type: 'e_commerce',
	amount: '10',
	currencyCode: 'KWD',
	pgCodes: ['credit-card'],
	...overrides,
});
const refund = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'paymentOperation',
	operation: 'refund',
	identifyBy: 'sessionId',
	sessionId: 'sid-1',
	...overrides,
});
const capture = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'paymentOperation',
	operation: 'capture',
	identifyBy: 'sessionId',
	sessionId: 'sid-1',
	...overrides,
});
const invoice = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'invoice',
	operation: 'create',
	type: 'payment_request',
	currencyCode: 'KWD',
	pgCodes: ['credit-card'],
	invoiceNumber: 'INV-1',
	dueDate: '2026-12-31',
	invoiceItems: { item: [{ sku: 'SKU-1', description: 'Widget', quantity: '2', unitPrice: '5' }] },
	...overrides,
});
const applePayToken = {
	paymentData: { version: 'EC_v1' },
	paymentMethod: { network: 'Visa' },
	transactionIdentifier: 'F00D',
};
const DECIMALS_HINT = /amounts have at most \d decimal places?|amounts are whole numbers/;

const CASES: BadInput[] = [
	// ---- amounts: precision per currency, sign, notation, size -----------------------------------------
	{
		what: 'KWD amount with 4 decimals',
		parameters: create({ amount: '1.2345' }),
		field: 'Amount',
		problem: 'has 4 decimal places but KWD allows 3',
		fix: 'KWD amounts have at most 3 decimal places, e.g. 12.500',
	},
	{
		what: 'USD amount with 3 decimals',
		parameters: create({ amount: '10.125', currencyCode: 'USD' }),
		field: 'Amount',
		problem: 'has 3 decimal places but USD allows 2',
		fix: 'USD amounts have at most 2 decimal places, e.g. 12.50',
	},
	{
		what: 'JPY amount with decimals',
		parameters: create({ amount: '1500.5', currencyCode: 'JPY' }),
		field: 'Amount',
		problem: 'has 1 decimal place but JPY allows 0',
		fix: 'JPY amounts are whole numbers',
	},
	{
		what: 'BHD amount with 4 decimals from an expression number',
		parameters: create({ amount: '={{ $json.amount }}', currencyCode: 'BHD' }),
		items: [{ amount: 2.0005 }, { amount: 0.1234 }],
		field: 'Amount',
		problem: /has 4 decimal places but BHD allows 3/,
		fix: 'BHD amounts have at most 3 decimal places',
	},
	{
		what: 'negative amount',
		parameters: create({ amount: '-5' }),
		field: 'Amount',
		problem: 'cannot be negative (got "-5")',
		fix: 'Enter a positive amount',
	},
	{
		what: 'exponent notation',
		parameters: create({ amount: '1e3' }),
		field: 'Amount',
		problem: 'uses exponent notation',
		fix: 'Write the amount out in full',
	},
	{
		what: 'exponent notation from an expression number',
		parameters: create({ amount: '={{ $json.amount }}' }),
		items: [{ amount: 1e21 }, { amount: 5e-7 }],
		field: 'Amount',
		problem: 'uses exponent notation',
		fix: 'Write the amount out in full',
	},
	{
		what: '14-digit amount',
		parameters: create({ amount: '12345678901234' }),
		field: 'Amount',
		problem: 'has more than 13 digits before the decimal point',
		fix: 'Ottu accepts amounts below 10,000,000,000,000',
	},
	{
		what: 'thousands separator',
		parameters: create({ amount: '1,250.500' }),
		field: 'Amount',
		problem: 'contains a comma',
		fix: 'Use a dot for decimals and no thousands separators',
	},
	{
		what: 'amount that is not a number',
		parameters: create({ amount: 'ten' }),
		field: 'Amount',
		problem: '"ten" is not a number',
		fix: 'Enter digits with an optional decimal point',
	},
	{
		what: 'amount with a currency sign',
		parameters: create({ amount: 'KD 5.000' }),
		field: 'Amount',
		problem: 'is not a number',
		fix: 'Enter digits with an optional decimal point',
	},
	{
		what: 'amount expression resolving to empty text',
		parameters: create({ amount: '={{ $json.amount }}' }),
		items: [{ amount: '' }, { amount: '   ' }],
		field: 'Amount',
		problem: 'Amount is required',
		fix: DECIMALS_HINT,
	},
	{
		what: 'zero amount on a payment',
		parameters: create({ amount: '0.000' }),
		field: 'Amount',
		problem: 'must be greater than zero',
		fix: DECIMALS_HINT,
	},
	{
		what: 'amount expression resolving to an object',
		parameters: create({ amount: '={{ $json.price }}' }),
		items: [{ price: { value: '5.000' } }, { price: { value: '6.000' } }],
		field: 'Amount',
		problem: 'must be a decimal amount, got an object',
		fix: 'Enter the amount as text',
	},
	{
		what: 'amount expression resolving to a boolean',
		parameters: create({ amount: '={{ $json.paid }}' }),
		items: [{ paid: true }, { paid: false }],
		field: 'Amount',
		problem: /must be a decimal amount, got boolean (true|false)/,
		fix: 'Enter the amount as text',
	},
	{
		what: 'amount expression resolving to a list',
		parameters: create({ amount: '={{ $json.amounts }}' }),
		items: [{ amounts: ['1', '2'] }, { amounts: [] }],
		field: 'Amount',
		problem: 'must be a decimal amount, got a list',
		fix: 'Enter the amount as text',
	},
	{
		what: 'amount expression resolving to NaN',
		parameters: create({ amount: '={{ Number($json.amount) }}' }),
		items: [{ amount: 'abc' }, { amount: 'x' }],
		field: 'Amount',
		problem: 'must be a number, got number NaN',
		fix: DECIMALS_HINT,
	},
	// ---- currencies ----------------------------------------------------------------------------------
	{
		what: 'unknown currency',
		parameters: create({ currencyCode: '={{ $json.currency }}' }),
		items: [{ currency: 'XYZ' }, { currency: 'ABC' }],
		field: 'Currency',
		problem: /is not an ISO 4217 currency Ottu can use/,
		fix: 'Use a 3-letter ISO 4217 code such as KWD',
	},
	{
		what: 'currency written as a local abbreviation',
		parameters: create({ currencyCode: '={{ "KD" }}' }),
		field: 'Currency',
		problem: 'Currency "KD" is not an ISO 4217 currency',
		fix: 'Use a 3-letter ISO 4217 code',
	},
	{
		what: 'empty currency',
		parameters: create({ currencyCode: '={{ "" }}' }),
		field: 'Currency',
		problem: 'Currency is required',
		fix: 'Use a 3-letter ISO 4217 code',
	},
	{
		what: 'currency expression resolving to a number',
		parameters: create({ currencyCode: '={{ 414 }}' }),
		field: 'Currency',
		problem: 'Currency is required, got number 414',
		fix: 'Use a 3-letter ISO 4217 code',
	},
	// ---- gateways, identifiers, lengths ----------------------------------------------------------------
	{
		what: 'gateways expression resolving to an empty list',
		parameters: create({ pgCodes: '={{ $json.codes }}' }),
		items: [{ codes: [] }, { codes: '' }],
		field: 'gateway (pg_codes)',
		problem: 'Choose at least one gateway',
		fix: 'Pick the gateways from the list',
	},
	{
		what: 'gateways expression resolving to a number',
		parameters: create({ pgCodes: '={{ 5 }}' }),
		field: 'Gateways (pg_codes)',
		problem: 'must be a list of codes, got number 5',
		fix: 'Give the codes as a list of text',
	},
	{
		what: 'gateways expression with a non-text code',
		parameters: create({ pgCodes: '={{ ["knet", 7] }}' }),
		field: 'Gateways (pg_codes)',
		problem: 'must contain text codes, got number 7',
		fix: 'Give the codes as a list of text',
	},
	{
		what: 'order_no over 128 characters',
		parameters: create({ orderNo: 'O'.repeat(129) }),
		field: 'Order No',
		problem: 'is 129 characters long; Ottu allows at most 128',
		fix: 'Shorten it to 128 characters or fewer',
	},
	{
		what: 'empty session_id',
		parameters: refund({ sessionId: '={{ $json.sid }}' }),
		items: [{}, { sid: '' }],
		field: 'Session ID',
		problem: /Session ID is required, got (nothing|an empty value)/,
		fix: 'Use the session_id from the Create output',
	},
	{
		what: 'blank order_no',
		parameters: refund({ identifyBy: 'orderNo', sessionId: '', orderNo: '   ' }),
		field: 'Order No',
		problem: 'Order No is required',
		fix: 'Use the order_no you gave when creating the transaction',
	},
	{
		what: 'invoice-level discount amount and percentage both given',
		parameters: invoice({ invoiceOptions: { discountAmount: '1', discountPercentage: '5' } }),
		field: 'discount',
		problem: 'has both a discount amount and a discount percentage',
		fix: 'clear one of them',
	},
	{
		what: 'session_id expression resolving to an object',
		parameters: refund({ sessionId: '={{ $json.txn }}' }),
		items: [{ txn: { session_id: 'a' } }, { txn: { session_id: 'b' } }],
		field: 'Session ID',
		problem: 'Session ID must be text, got an object',
		fix: 'Use the session_id from the Create output',
	},
	{
		what: 'session_id over 128 characters',
		parameters: refund({ sessionId: 's'.repeat(129) }),
		field: 'Session ID',
		problem: 'is 129 characters long; Ottu allows at most 128',
		fix: 'Use the session_id',
	},
	// ---- operation amounts and Tracking-Keys -------------------------------------------------------------
	{
		what: 'negative refund',
		parameters: refund({ amount: '-1' }),
		field: 'Amount',
		problem: 'Amount "-1" is not a positive amount with at most 3 decimals',
		fix: 'leave it empty for the full (or remaining) amount',
	},
	{
		what: 'refund with 4 decimals',
		parameters: refund({ amount: '1.2345' }),
		field: 'Amount',
		problem: 'is not a positive amount with at most 3 decimals',
		fix: 'Enter it like 5.250',
	},
	{
		what: 'refund in exponent notation',
		parameters: refund({ amount: '2e1' }),
		field: 'Amount',
		problem: 'is not a positive amount',
		fix: 'Enter it like 5.250',
	},
	{
		what: 'refund with decimals in a 0-decimal currency',
		parameters: refund({ amount: '10.5', operationOptions: { currencyCode: 'JPY' } }),
		field: 'Amount',
		problem: 'has 1 decimal place but JPY allows 0',
		fix: 'JPY amounts are whole numbers',
	},
	{
		what: 'refund with 3 decimals in USD',
		parameters: refund({ amount: '10.999', operationOptions: { currencyCode: 'USD' } }),
		field: 'Amount',
		problem: 'has 3 decimal places but USD allows 2',
		fix: 'USD amounts have at most 2 decimal places',
	},
	{
		what: 'zero capture',
		parameters: capture({ amount: '0' }),
		field: 'Amount',
		problem: 'is not a positive amount',
		fix: 'Enter it like 5.250',
	},
	{
		what: 'capture with a 14-digit amount',
		parameters: capture({ amount: '12345678901234' }),
		field: 'Amount',
		problem: 'is not a positive amount with at most 3 decimals',
		fix: 'Enter it like 5.250',
	},
	{
		what: 'invalid JSON in extra',
		parameters: refund({ operationOptions: { extra: '{"tickets": [1, 2' } }),
		field: 'Extra (JSON)',
		problem: 'Extra (JSON) is not valid JSON',
		fix: 'Enter a JSON object',
	},
	{
		what: 'extra that is a JSON list',
		parameters: refund({ operationOptions: { extra: '[1, 2]' } }),
		field: 'Extra (JSON)',
		problem: 'Extra (JSON) must be a JSON object, got a list',
		fix: 'Enter a JSON object',
	},
	{
		what: 'custom Tracking-Key resolving to empty',
		parameters: refund({ trackingKeyMode: 'custom', trackingKey: '={{ $json.refund_id }}' }),
		field: 'Tracking-Key',
		problem: 'Tracking-Key is required when it is set to Custom',
		fix: 'switch Tracking-Key to Automatic',
	},
	{
		what: 'custom Tracking-Key with spaces',
		parameters: refund({ trackingKeyMode: 'custom', trackingKey: 'refund 1' }),
		field: 'Tracking-Key',
		problem: 'contains spaces or characters that cannot be sent in an HTTP header',
		fix: 'Use letters, digits and punctuation',
	},
	{
		what: 'custom Tracking-Key with non-ASCII text',
		parameters: refund({ trackingKeyMode: 'custom', trackingKey: 'استرداد-1' }),
		field: 'Tracking-Key',
		problem: 'cannot be sent in an HTTP header',
		fix: 'Use letters, digits and punctuation',
	},
	{
		what: 'custom Tracking-Key over 128 characters',
		parameters: capture({ trackingKeyMode: 'custom', trackingKey: 'k'.repeat(129) }),
		field: 'Tracking-Key',
		problem: 'is 129 characters long; at most 128 are allowed',
		fix: 'Use a shorter key',
	},
	// ---- URLs, emails, JSON, dates in checkout fields -----------------------------------------------------
	{
		what: 'webhook URL that is not a URL',
		parameters: create({ additionalFields: { webhookUrl: 'my-n8n/webhook' } }),
		field: 'Webhook URL',
		problem: 'is not a web address',
		fix: 'Use a full URL starting with https://',
	},
	{
		what: 'redirect URL with another scheme',
		parameters: create({ additionalFields: { redirectUrl: 'ftp://shop.example.com/done' } }),
		field: 'Redirect URL',
		problem: 'must start with https:// or http://',
		fix: 'e.g. https://',
	},
	{
		what: 'javascript: URL for the inquiry webhook',
		parameters: {
			resource: 'paymentStatus',
			operation: 'check',
			identifyBy: 'sessionId',
			sessionId: 'sid-1',
			inquiryOptions: { webhookUrl: 'javascript:alert(1)' },
		},
		field: 'Webhook URL',
		problem: 'must start with https:// or http://',
		fix: 'e.g. https://',
	},
	{
		what: 'inquiry webhook URL over 200 characters',
		parameters: {
			resource: 'paymentStatus',
			operation: 'check',
			identifyBy: 'sessionId',
			sessionId: 'sid-1',
			inquiryOptions: { webhookUrl: `https://example.com/${'a'.repeat(200)}` },
		},
		field: 'Webhook URL',
		problem: 'Ottu allows at most 200 here',
		fix: 'Use a shorter address',
	},
	{
		what: 'customer email without a domain',
		parameters: create({ additionalFields: { customerEmail: 'sara@' } }),
		field: 'Customer Email',
		problem: 'is not an email address',
		fix: 'e.g. customer@example.com',
	},
	{
		what: 'invalid JSON in extra (checkout)',
		parameters: create({ extraMode: 'json', extraJson: '{customer_ref: A-17}' }),
		field: 'Extra (JSON)',
		problem: 'Extra (JSON) is not valid JSON',
		fix: 'Enter a JSON object',
	},
	{
		what: 'extra key-value pair without a key',
		parameters: create({
			extraMode: 'keyValue',
			extraFields: { field: [{ key: '', value: 'A-17' }] },
		}),
		field: 'Extra Fields 1',
		problem: 'has a value but no key',
		fix: 'Give each extra field a key',
	},
	{
		what: 'expiration time that is not a duration',
		parameters: create({ additionalFields: { expirationTime: 'tomorrow' } }),
		field: 'Expiration Time',
		problem: 'is not a duration',
		fix: 'Write it as DD HH:MM:SS',
	},
	{
		what: 'birthdate that is not a date',
		parameters: create({ additionalFields: { customerBirthdate: '31/02/1990' } }),
		field: 'Customer Birthdate',
		problem: 'is not a date',
		fix: 'Use the form YYYY-MM-DD',
	},
	{
		what: 'email notifications without a customer email',
		parameters: create({ additionalFields: { emailNotifications: ['paid'] } }),
		field: 'Email Notifications',
		problem: 'need a Customer Email',
		fix: 'Add Customer Email under Additional Fields',
	},
	{
		what: 'save-card checkout with an amount',
		parameters: create({ additionalFields: { paymentType: 'save_card', customerId: 'c-1' } }),
		field: 'Amount',
		problem: 'Amount must be 0 (got 10.000)',
		fix: 'Set Amount to 0',
	},
	// ---- native payments, cards, notifications ------------------------------------------------------------
	{
		what: 'Apple Pay token that is not JSON',
		parameters: {
			resource: 'nativePayment',
			operation: 'applePay',
			sessionId: 'sid-1',
			payload: 'paymentData=abc',
		},
		field: 'Apple Pay Token (JSON)',
		problem: 'is not valid JSON',
		fix: 'Enter a JSON object',
	},
	{
		what: 'Google Pay data missing its version',
		parameters: {
			resource: 'nativePayment',
			operation: 'googlePay',
			sessionId: 'sid-1',
			payload: '{"paymentMethodData": {}}',
		},
		field: 'Google Pay Payment Data (JSON)',
		problem: 'is missing apiVersion, apiVersionMinor',
		fix: 'Pass the object your Google Pay button returned, unchanged',
	},
	{
		what: 'Apple Pay token expression resolving to text',
		parameters: {
			resource: 'nativePayment',
			operation: 'applePay',
			sessionId: 'sid-1',
			payload: '={{ $json.token.transactionIdentifier }}',
		},
		items: [{ token: applePayToken }, { token: applePayToken }],
		field: 'Apple Pay Token (JSON)',
		problem: 'is not valid JSON',
		fix: 'Enter a JSON object',
	},
	{
		what: 'wallet payload that is a list',
		parameters: {
			resource: 'nativePayment',
			operation: 'wallet',
			sessionId: 'sid-1',
			payload: '["wallet"]',
		},
		field: 'Wallet Payload (JSON)',
		problem: 'must be a JSON object, got a list',
		fix: 'Enter a JSON object',
	},
	{
		what: 'auto-debit card token resolving to empty',
		parameters: {
			resource: 'nativePayment',
			operation: 'autoDebit',
			sessionId: 'sid-1',
			token: '={{ $json.card }}',
		},
		field: 'Card Token',
		problem: 'Card Token is required',
		fix: 'Use the token from Card → Get Many',
	},
	{
		what: 'saved cards without a customer',
		parameters: { resource: 'card', operation: 'getAll', customerId: '={{ $json.customer }}' },
		items: [{ customer: null }, { customer: '' }],
		field: 'Customer ID',
		problem: /Customer ID is required/,
		fix: 'Use the customer_id the cards were saved under',
	},
	{
		what: 'card token over 50 characters',
		parameters: {
			resource: 'card',
			operation: 'delete',
			token: 't'.repeat(51),
			customerId: 'c-1',
		},
		field: 'Card Token',
		problem: 'is 51 characters long; Ottu allows at most 50',
		fix: 'Use the token from Card → Get Many',
	},
	{
		what: 'notification channels resolving to none',
		parameters: {
			resource: 'notification',
			operation: 'resend',
			identifyBy: 'sessionId',
			sessionId: 'sid-1',
			channels: '={{ [] }}',
		},
		field: 'channel',
		problem: 'Choose at least one channel',
		fix: 'Pick Email, SMS and/or WhatsApp',
	},
	{
		what: 'notification channel that does not exist',
		parameters: {
			resource: 'notification',
			operation: 'resend',
			identifyBy: 'sessionId',
			sessionId: 'sid-1',
			channels: '={{ ["email", "fax"] }}',
		},
		field: 'Channels',
		problem: 'Channels cannot include "fax"',
		fix: 'Use email, sms or whatsapp',
	},
	// ---- invoices ------------------------------------------------------------------------------------
	{
		what: 'invoice without items',
		parameters: invoice({ invoiceItems: {} }),
		field: 'line items',
		problem: 'The invoice has no line items',
		fix: 'Add at least one item under Items',
	},
	{
		what: 'invoice item with quantity 0',
		parameters: invoice({
			invoiceItems: { item: [{ sku: 'S', description: 'D', quantity: '0', unitPrice: '5' }] },
		}),
		field: 'Item 1 Quantity',
		problem: 'is not a positive quantity',
		fix: 'e.g. 2 or 1.5',
	},
	{
		what: 'invoice unit price with 4 decimals in KWD',
		parameters: invoice({
			invoiceItems: { item: [{ sku: 'S', description: 'D', quantity: '1', unitPrice: '1.0005' }] },
		}),
		field: 'Item 1 Unit Price',
		problem: 'has 4 decimal places but KWD allows 3',
		fix: 'KWD amounts have at most 3 decimal places',
	},
	{
		what: 'invoice item with both discounts',
		parameters: invoice({
			invoiceItems: {
				item: [
					{
						sku: 'S',
						description: 'D',
						quantity: '1',
						unitPrice: '5',
						discountAmount: '1',
						discountPercentage: '10',
					},
				],
			},
		}),
		field: 'Item 1',
		problem: 'has both a discount amount and a discount percentage',
		fix: 'clear one of them',
	},
	{
		what: 'invoice tax rate over 100 %',
		parameters: invoice({ invoiceOptions: { taxRate: '150' } }),
		field: 'Tax Rate',
		problem: 'is not a percentage from 0 to 100',
		fix: 'e.g. 5 or 12.5',
	},
	{
		what: 'invoice total different from the expected total',
		parameters: invoice({ invoiceOptions: { expectedTotal: '10.001' } }),
		field: 'expected',
		problem: 'The invoice adds up to 10.000 KWD, not the expected 10.001 KWD',
		fix: 'or correct Expected Total',
	},
	{
		what: 'invoice due date resolving to empty',
		parameters: invoice({ dueDate: '={{ $json.due }}' }),
		field: 'Due Date',
		problem: 'Due Date is required',
		fix: 'Pick the date the invoice is due',
	},
	// ---- updates and reports -------------------------------------------------------------------------
	{
		what: 'update with nothing to change',
		parameters: {
			resource: 'paymentTransaction',
			operation: 'update',
			sessionId: 'sid-1',
			updateFields: {},
		},
		field: 'update',
		problem: 'There is nothing to update',
		fix: 'Add at least one field under Update Fields',
	},
	{
		what: 'update amount with 3 decimals in SAR',
		parameters: {
			resource: 'paymentTransaction',
			operation: 'update',
			sessionId: 'sid-1',
			updateFields: { amount: '5.125', currencyCode: 'SAR' },
		},
		field: 'Amount',
		problem: 'has 3 decimal places but SAR allows 2',
		fix: 'SAR amounts have at most 2 decimal places',
	},
	{
		what: 'report dates swapped',
		parameters: {
			resource: 'report',
			operation: 'getAll',
			filters: { createdAfter: '2026-11-20', createdBefore: '2026-11-01' },
		},
		field: 'Created Before',
		problem: 'is earlier than Created After',
		fix: 'Swap the two dates',
	},
	{
		what: 'report link to another host',
		parameters: {
			resource: 'report',
			operation: 'download',
			report: 'https://evil.example.com/b/api/v1/reports/files/abc/download/',
		},
		field: 'report',
		problem: /evil\.example\.com/,
		fix: 'Only reports of the instance in the credential can be downloaded',
	},
	// ---- identifiers that would change the endpoint, and Ottu's formats for identifiers ------------------
	{
		what: '".." as a card token (Card → Delete)',
		parameters: {
			resource: 'card',
			operation: 'delete',
			token: '={{ $json.token }}',
			customerId: 'c-1',
			environment: 'sandbox',
		},
		items: [{ token: '..' }, { token: '.' }],
		field: 'Card Token',
		problem: 'is not valid: Ottu expects a saved-card token',
		fix: 'Use the token from Card → Get Many',
	},
	{
		what: 'card token with a slash (Card → Delete)',
		parameters: {
			resource: 'card',
			operation: 'delete',
			token: '../../checkout/v1/pymt-txn/sid-1',
			customerId: 'c-1',
		},
		field: 'Card Token',
		problem: 'is not valid: Ottu expects a saved-card token',
		fix: 'Use the token from Card → Get Many',
	},
	{
		what: '".." as a session_id (Payment Operation → Delete)',
		parameters: {
			resource: 'paymentOperation',
			operation: 'delete',
			identifyBy: 'sessionId',
			sessionId: '={{ $json.sid }}',
		},
		items: [{ sid: '..' }, { sid: '%2e%2e' }],
		field: 'Session ID',
		problem: 'is not valid: Ottu expects only letters, digits, - and _',
		fix: 'Use the session_id from the Create output',
	},
	{
		what: '"." as a session_id (Payment Transaction → Get)',
		parameters: { resource: 'paymentTransaction', operation: 'get', sessionId: '.' },
		field: 'Session ID',
		problem: 'Session ID "." is not valid',
		fix: 'Use the session_id from the Create output',
	},
	{
		what: 'session_id with a path in it (Payment Transaction → Update)',
		parameters: {
			resource: 'paymentTransaction',
			operation: 'update',
			sessionId: '../../../pbl/v2/card/tok',
			updateFields: { customerId: 'c-1' },
		},
		field: 'Session ID',
		problem: 'is not valid: Ottu expects only letters, digits, - and _',
		fix: 'Use the session_id from the Create output',
	},
	{
		what: 'session_id with a query in it (Payment Status → Check)',
		parameters: {
			resource: 'paymentStatus',
			operation: 'check',
			identifyBy: 'sessionId',
			sessionId: 'sid-1?x=1',
		},
		field: 'Session ID',
		problem: 'is not valid: Ottu expects only letters, digits, - and _',
		fix: 'Use the session_id',
	},
	{
		what: 'session_id with a slash (Native Payment → Apple Pay)',
		parameters: {
			resource: 'nativePayment',
			operation: 'applePay',
			sessionId: 'sid/1',
			payload: '{}',
		},
		field: 'Session ID',
		problem: 'is not valid: Ottu expects only letters, digits, - and _',
		fix: 'Use the session_id',
	},
	{
		what: '".." as a report token (Report → Download)',
		parameters: { resource: 'report', operation: 'download', report: '..' },
		field: 'Report',
		problem: 'Report ".." is not valid: Ottu expects a report token',
		fix: 'Use {{ $json.download_action }} from Report → Get Many',
	},
	// ---- values Ottu's own document refuses ------------------------------------------------------------
	{
		what: 'billing country that is not an ISO 3166-1 code (UK)',
		parameters: create({
			additionalFields: {
				billingAddress: { address: { line1: 'Block 1', city: 'London', country: 'UK' } },
			},
		}),
		field: 'Billing Address Country',
		problem: 'is not an ISO 3166-1 country code Ottu accepts',
		fix: 'The United Kingdom is GB',
	},
	{
		what: 'shipping country Ottu does not list (EU)',
		parameters: create({
			additionalFields: {
				shippingAddress: {
					address: {
						firstName: 'S',
						lastName: 'A',
						email: 's@example.com',
						phone: '+96599999999',
						line1: 'x',
						city: 'y',
						country: 'EU',
					},
				},
			},
		}),
		field: 'Shipping Address Country',
		problem: 'is not an ISO 3166-1 country code Ottu accepts',
		fix: 'ISO 3166-1 alpha-2 code',
	},
	{
		what: 'attachment whose file type Ottu does not accept',
		parameters: create({ additionalFields: { attachmentUploadUrl: 'attachments/setup.exe' } }),
		field: 'Attachment Upload URL',
		problem: 'does not end in a file type Ottu accepts',
		fix: 'pdf, jpeg, png, doc, docx, jpg, xls, xlsx, txt',
	},
	{
		what: 'branding colour that is not a hex colour',
		parameters: create({
			additionalFields: {
				brandingOptions: '{"payment_methods": {"credit-card": {"text": "Pay", "color": "red"}}}',
			},
		}),
		field: 'Branding Options (JSON)',
		problem: 'payment_methods.credit-card.color "red" is not a colour Ottu accepts',
		fix: '# and 3 or 6 hex digits',
	},
	{
		what: 'payment instrument of an unknown type',
		parameters: create({
			additionalFields: {
				paymentInstrument: '{"instrument_type": "paypal", "payload": {"token": "x"}}',
			},
		}),
		field: 'Payment Instrument (JSON)',
		problem: 'has the instrument_type "paypal", which Ottu does not know',
		fix: 'Use apple_pay, google_pay, token, samsung_pay, wallet',
	},
	{
		what: 'Apple Pay token without its paymentData fields',
		parameters: {
			resource: 'nativePayment',
			operation: 'applePay',
			sessionId: 'sid-1',
			payload: JSON.stringify(applePayToken),
		},
		field: 'Apple Pay Token (JSON)',
		problem:
			'is missing paymentData.data, paymentData.signature, paymentData.header, paymentMethod.displayName',
		fix: 'Pass the token your Apple Pay button returned',
	},
	{
		what: "payment-method tags outside Ottu's list",
		parameters: {
			resource: 'paymentMethod',
			operation: 'getAll',
			plugin: 'e_commerce',
			returnAll: true,
			filters: { tags: 'cards, local_debit' },
		},
		field: 'Tags',
		problem: 'Tags cannot include "cards", "local_debit"',
		fix: 'Ottu accepts only: e_commerce, crm',
	},
	{
		what: '__proto__ as an extra key (key-value pairs)',
		parameters: create({
			extraMode: 'keyValue',
			extraFields: { field: [{ key: '__proto__', value: 'A-17' }] },
		}),
		field: 'Extra Fields 1 Key',
		problem: 'uses the key "__proto__", which n8n cannot keep',
		fix: 'Rename the key',
	},
	{
		what: 'constructor as an extra key (key-value pairs)',
		parameters: create({
			extraMode: 'keyValue',
			extraFields: {
				field: [
					{ key: 'ref', value: '1' },
					{ key: 'constructor', value: 'x' },
				],
			},
		}),
		field: 'Extra Fields 2 Key',
		problem: 'uses the key "constructor"',
		fix: 'Rename the key',
	},
	{
		what: '__proto__ as an extra key (JSON)',
		parameters: create({
			extraMode: 'json',
			extraJson: '{"ref": "A-17", "__proto__": {"admin": true}}',
		}),
		field: 'Extra (JSON)',
		problem: 'uses the key "__proto__", which n8n cannot keep',
		fix: 'Rename the key',
	},
];

const figures = new Figures('bad-input');
afterAll(() => figures.save());
const table: Array<{ what: string; operation: string; message: string }> = [];

describe('invalid input is refused before anything is sent', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
		figures.set('cases', table);
	});
	beforeEach(async () => {
		await reset(sandbox);
	});

	const matches = (text: string | undefined, expected: string | RegExp) =>
		typeof expected === 'string'
			? expect(text).toContain(expected)
			: expect(text).toMatch(expected);

	it('has at least 40 cases', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(40);
	});

	it.each(CASES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
		const items = (c.items ?? [{}, {}]).slice(0, 2);
		const { items: output, error } = await runOttu({
			parameters: c.parameters,
			items,
			credentials: apiKeyCredentials(sandbox),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(items.length);
		output.forEach((item, i) => {
			// The error, and in message the fix: what a workflow (or the error output) can read, nothing else.
			const message = item.json.error as string;
			const description = (item.json.message as string | undefined) ?? '';
			expect(Object.keys(item.json).sort()).toEqual(['error', 'message']);
			// The field, what is wrong, and the item.
			expect(message).toContain(c.field);
			matches(message, c.problem);
			expect(message.endsWith(`[item ${i}]`)).toBe(true);
			// How to fix it, and the reassurance that nothing happened.
			matches(description, c.fix);
			expect(description.endsWith('Nothing was sent to Ottu.')).toBe(true);
		});
		expect(await apiRequests(sandbox)).toEqual([]);
		figures.count('cases');
		figures.count('items refused', output.length);
		table.push({
			what: c.what,
			operation: `${c.parameters.resource as string}.${c.parameters.operation as string}`,
			message: output[0].json.error as string,
		});
	});

	it('stops the whole execution on the first invalid item without Continue On Fail, having sent nothing', async () => {
		const { items, error } = await runOttu({
			parameters: refund({ sessionId: '={{ $json.sid }}', amount: '={{ $json.amount }}' }),
			items: [
				{ sid: 'a', amount: '1.23456' },
				{ sid: 'b', amount: '2' },
			],
			credentials: apiKeyCredentials(sandbox),
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			'Amount "1.23456" is not a positive amount with at most 3 decimals [item 0]',
		);
		expect(error?.description).toBe(
			'Enter it like 5.250, or leave it empty for the full (or remaining) amount. Nothing was sent to Ottu.',
		);
		expect(await apiRequests(sandbox)).toEqual([]);
	});
});

/**
 * What the node cannot know locally (it does not look up the instance's gateways before every create):
 * Ottu refuses it, nothing is created, and the refusal names the field in Ottu's words.
 */
describe('mistakes only Ottu can know about are refused readably, with nothing created', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await reset(sandbox);
	});

	it.each([
		[
			'unknown gateway',
			create({ pgCodes: ['no-such-gateway'] }),
			/^Ottu refused the request \(HTTP 400\): pg_codes.*no-such-gateway.* \[item 0\]$/,
		],
		[
			'gateway that does not take the currency',
			create({ pgCodes: ['knet-test'], currencyCode: 'USD', amount: '5' }),
			/^Ottu refused the request \(HTTP 400\): .*(currency|USD).* \[item 0\]$/i,
		],
	])('%s', async (_what, parameters, message) => {
		const before = sandbox.store.transactions.size;
		const { error } = await runOttu({ parameters, credentials: apiKeyCredentials(sandbox) });
		expect(error?.message).toMatch(message);
		expect(error?.description).toContain('Correct the fields named above');
		expect(sandbox.store.transactions.size).toBe(before);
		figures.count('ottu-side refusals');
	});

	it('refund of a transaction that does not exist: the read for its Tracking-Key finds none, nothing is sent', async () => {
		await newTransaction(sandbox);
		const { error } = await runOttu({
			parameters: refund({ sessionId: 'does-not-exist', amount: '1' }),
			credentials: apiKeyCredentials(sandbox),
		});
		expect(error?.message).toMatch(/^Ottu refused the request \(HTTP 404\): .+ \[item 0\]$/);
		expect(error?.description).toContain('Check the identifier (session_id, order_no');
		// After the set-up's create: only the read, no operation.
		expect((await apiRequests(sandbox)).slice(1)).toEqual([
			'GET /b/checkout/v1/pymt-txn/does-not-exist/',
		]);
	});
});
