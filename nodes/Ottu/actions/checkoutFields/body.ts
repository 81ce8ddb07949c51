import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { attachmentUploadUrl, brandingOptions } from '../../helpers/checkoutFormats';
import { OttuInputError } from '../../helpers/errors';
import { normalizeAmount } from '../../helpers/money';
import { checkPaymentInstrument } from '../../helpers/paymentInstrument';
import {
	codeList,
	compact,
	countryCode,
	emailList,
	optionalBoolean,
	optionalDate,
	optionalDueDatetime,
	optionalEmail,
	optionalInteger,
	optionalJsonObject,
	optionalText,
	optionalUrl,
	refuseReservedKey,
	requireText,
} from '../../helpers/validation';
import { EVENTS, WHATSAPP_EVENTS } from './events';

/**
 * The checkout fields' Ottu body: each body key is written next to the parameter it comes from, and checked
 * against Ottu's limits before anything is sent. Their parameters are in description.ts.
 */

type FieldReader = (fields: IDataObject) => unknown;

/** Ottu body key ← the Additional Fields / Update Fields parameter it comes from, checked. */
const SCALAR_FIELDS: Array<[string, FieldReader]> = [
	[
		'attachment_upload_url',
		(f) => attachmentUploadUrl(f.attachmentUploadUrl, 'Attachment Upload URL'),
	],
	['customer_birthdate', (f) => optionalDate(f.customerBirthdate, 'Customer Birthdate')],
	['customer_email', (f) => optionalEmail(f.customerEmail, 'Customer Email')],
	['customer_first_name', (f) => optionalText(f.customerFirstName, 'Customer First Name', 64)],
	['customer_id', (f) => optionalText(f.customerId, 'Customer ID', 64)],
	['customer_last_name', (f) => optionalText(f.customerLastName, 'Customer Last Name', 64)],
	['customer_phone', (f) => optionalText(f.customerPhone, 'Customer Phone', 16)],
	['customer_phone_2', (f) => optionalText(f.customerPhone2, 'Customer Phone 2', 16)],
	['due_datetime', (f) => optionalDueDatetime(f.dueDatetime, 'Due Date and Time')],
	['email_recipients', (f) => emailList(f.emailRecipients, 'Email Recipients')],
	['expiration_time', (f) => optionalText(f.expirationTime, 'Expiration Time')],
	['generate_qr_code', (f) => optionalBoolean(f.generateQrCode, 'Generate QR Code')],
	[
		'include_sdk_setup_preload',
		(f) => optionalBoolean(f.includeSdkSetupPreload, 'Include SDK Setup Preload'),
	],
	[
		'initiator_id',
		(f) => (f.initiatorId === 0 ? undefined : optionalInteger(f.initiatorId, 'Initiator ID', 1)),
	],
	['language', (f) => optionalText(f.language, 'Language')],
	['order_no', (f) => optionalText(f.orderNo, 'Order No', 128)],
	['payment_type', (f) => optionalText(f.paymentType, 'Payment Type')],
	['preload_checkout_page', (f) => optionalBoolean(f.preloadCheckoutPage, 'Preload Checkout Page')],
	['product_type', (f) => optionalText(f.productType, 'Product Type', 128)],
	['redirect_url', (f) => optionalUrl(f.redirectUrl, 'Redirect URL')],
	[
		'shortify_attachment_url',
		(f) => optionalBoolean(f.shortifyAttachmentUrl, 'Shortify Attachment URL'),
	],
	['shortify_checkout_url', (f) => optionalBoolean(f.shortifyCheckoutUrl, 'Shortify Checkout URL')],
	['unit_code', (f) => optionalText(f.unitCode, 'Unit Code')],
	['vendor_name', (f) => optionalText(f.vendorName, 'Vendor Name', 64)],
	['webhook_url', (f) => optionalUrl(f.webhookUrl, 'Webhook URL')],
];

/** Ottu body key ← the parameter of a field group (fixedCollection or JSON), built and checked. */
const GROUP_FIELDS: Array<
	[string, (fields: IDataObject, currency: string | undefined) => unknown]
> = [
	['billing_address', (f) => address(f.billingAddress, 'Billing Address', false)],
	['shipping_address', (f) => address(f.shippingAddress, 'Shipping Address', true)],
	['agreement', (f, currency) => agreement(f.agreement, currency)],
	['card_acceptance_criteria', (f) => cardAcceptanceCriteria(f.cardAcceptanceCriteria)],
	['loyalty', (f) => loyalty(f.loyalty)],
	['branding_options', (f) => brandingOptions(f.brandingOptions, 'Branding Options (JSON)')],
	['payment_instrument', (f) => paymentInstrument(f.paymentInstrument)],
	['notifications', (f) => notifications(f)],
];

/**
 * Turns the Additional Fields / Update Fields collection into Ottu checkout body fields, checking
 * each against Ottu's limits. `currency` is needed for amounts inside (agreement max amount).
 */
export function buildCheckoutFields(
	fields: IDataObject,
	currency: string | undefined,
): IDataObject {
	const body = compact(
		Object.fromEntries(SCALAR_FIELDS.map(([key, read]) => [key, read(fields)])) as IDataObject,
	);
	checkScalarFormats(body);
	for (const [key, build] of GROUP_FIELDS) {
		const value = build(fields, currency);
		if (value) body[key] = value as IDataObject;
	}
	return body;
}

/** The formats Ottu accepts for the scalar fields that are text with a fixed form. */
function checkScalarFormats(body: IDataObject): void {
	const expiration = body.expiration_time as string | undefined;
	if (expiration !== undefined && !/^(\d+ )?\d{1,2}:\d{2}(:\d{2})?$/.test(expiration)) {
		throw new OttuInputError(
			'expirationTime',
			`Expiration Time "${expiration}" is not a duration`,
			'Write it as DD HH:MM:SS, e.g. 1 00:00:00 for one day or 00:30:00 for 30 minutes',
		);
	}
	const language = body.language as string | undefined;
	if (language !== undefined && !['en', 'ar'].includes(language)) {
		throw new OttuInputError(
			'language',
			`Language must be en or ar, got "${language}"`,
			'Choose English or Arabic',
		);
	}
	const paymentType = body.payment_type as string | undefined;
	if (paymentType !== undefined && !['one_off', 'auto_debit', 'save_card'].includes(paymentType)) {
		throw new OttuInputError(
			'paymentType',
			`Payment Type must be one_off, auto_debit or save_card, got "${paymentType}"`,
		);
	}
}

function cardAcceptanceCriteria(value: unknown): IDataObject | undefined {
	const criteria = fixedValue(value, 'criteria');
	if (!criteria) return undefined;
	const minExpiryTime =
		criteria.minExpiryTime === 0
			? undefined
			: optionalInteger(criteria.minExpiryTime, 'Card Acceptance Criteria Min Expiry Time', 1, 365);
	const bins = codeList(criteria.excludeBins, 'Card Acceptance Criteria Exclude BINs');
	const out = compact({
		min_expiry_time: minExpiryTime,
		exclude_bins: bins.length > 0 ? bins : undefined,
	});
	return Object.keys(out).length > 0 ? out : undefined;
}

function loyalty(value: unknown): IDataObject | undefined {
	const group = fixedValue(value, 'loyalty');
	if (!group) return undefined;
	const out: IDataObject = {
		enabled: optionalBoolean(group.enabled, 'Loyalty Enabled') ?? true,
	};
	const reference = optionalText(group.reference, 'Loyalty Reference', 128);
	if (reference) out.reference = reference;
	const metadata = optionalJsonObject(group.metadata, 'Loyalty Metadata (JSON)');
	if (metadata && Object.keys(metadata).length > 0) out.metadata = metadata;
	return out;
}

function paymentInstrument(value: unknown): IDataObject | undefined {
	const instrument = optionalJsonObject(value, 'Payment Instrument (JSON)');
	if (!instrument || Object.keys(instrument).length === 0) return undefined;
	checkPaymentInstrument(instrument, 'Payment Instrument (JSON)');
	return instrument;
}

/** Reads the `extra` object from the mode switch; undefined when there is none. */
export function readExtra(mode: unknown, pairs: unknown, json: unknown): IDataObject | undefined {
	if (mode === 'json') {
		const obj = optionalJsonObject(json, 'Extra (JSON)');
		return obj && Object.keys(obj).length > 0 ? obj : undefined;
	}
	if (mode !== 'keyValue') return undefined;
	const list = ((pairs as IDataObject | undefined)?.field ?? []) as IDataObject[];
	const out: IDataObject = {};
	list.forEach((pair, i) => {
		const key = optionalText(pair.key, `Extra Fields ${i + 1} Key`);
		if (key === undefined) {
			if (optionalText(pair.value, 'value') === undefined) return;
			throw new OttuInputError(
				'extraFields',
				`Extra Fields ${i + 1} has a value but no key`,
				'Give each extra field a key, e.g. customer_ref',
			);
		}
		refuseReservedKey(key, `Extra Fields ${i + 1} Key`);
		if (Object.prototype.hasOwnProperty.call(out, key)) {
			throw new OttuInputError(
				'extraFields',
				`Extra Fields has the key "${key}" twice`,
				'Use each key once',
			);
		}
		out[key] = (pair.value ?? '') as string;
	});
	return Object.keys(out).length > 0 ? out : undefined;
}

/** The Extra Data parameters (mode, key-value pairs, JSON) of an item as Ottu's `extra`. */
export function readExtraData(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	return readExtra(
		ctx.getNodeParameter('extraMode', itemIndex, 'none'),
		ctx.getNodeParameter('extraFields', itemIndex, {}),
		ctx.getNodeParameter('extraJson', itemIndex, '{}'),
	);
}

/** The gateways of a new checkout: at least one. */
export function requireGateways(value: unknown): string[] {
	const pgCodes = codeList(value, 'Gateways (pg_codes)');
	if (pgCodes.length === 0) {
		throw new OttuInputError(
			'pgCodes',
			'Choose at least one gateway (pg_codes)',
			'Pick the gateways from the list; it shows the codes configured on your Ottu instance',
		);
	}
	return pgCodes;
}

function fixedValue(value: unknown, group: string): IDataObject | undefined {
	const inner = (value as IDataObject | undefined)?.[group];
	return inner && typeof inner === 'object' && !Array.isArray(inner)
		? (inner as IDataObject)
		: undefined;
}

function address(value: unknown, field: string, shipping: boolean): IDataObject | undefined {
	const a = fixedValue(value, 'address');
	if (!a) return undefined;
	const out = compact({
		line1: requireText(a.line1, `${field} Line 1`, 128),
		line2: optionalText(a.line2, `${field} Line 2`, 128),
		city: requireText(a.city, `${field} City`, 40),
		state: optionalText(a.state, `${field} State`, 40),
		country: countryCode(a.country, `${field} Country`, true),
		postal_code: optionalText(a.postalCode, `${field} Postal Code`, 12),
	});
	if (!shipping) return out;
	const contact = {
		first_name: requireText(a.firstName, `${field} First Name`, 64),
		last_name: requireText(a.lastName, `${field} Last Name`, 64),
		email: optionalEmail(a.email, `${field} Email`),
		phone: requireText(a.phone, `${field} Phone`, 16),
	};
	if (contact.email === undefined)
		throw new OttuInputError(
			`${field} Email`,
			`${field} Email is required`,
			'e.g. customer@example.com',
		);
	return {
		...contact,
		...out,
	};
}

const AGREEMENT_REQUIRED: Record<string, string[]> = {
	recurring: [
		'frequency',
		'amount_variability',
		'expiry_date',
		'cycle_interval_days',
		'total_cycles',
	],
	installment: [
		'frequency',
		'amount_variability',
		'expiry_date',
		'cycle_interval_days',
		'total_cycles',
		'seller',
	],
	unscheduled: ['frequency'],
};

function agreement(value: unknown, currency: string | undefined): IDataObject | undefined {
	const a = fixedValue(value, 'agreement');
	if (!a) return undefined;
	const sellerFields = compact({
		name: optionalText(a.sellerName, 'Agreement Seller Name', 128),
		short_name: optionalText(a.sellerShortName, 'Agreement Seller Short Name', 64),
		category_code: optionalText(a.sellerCategoryCode, 'Agreement Seller Category Code', 64),
	});
	const maxAmount = optionalText(a.maxAmountPerCycle, 'Agreement Max Amount per Cycle');
	const out: IDataObject = compact({
		id: requireText(a.id, 'Agreement ID', 128, 'Give the agreement your own unique ID'),
		type: optionalText(a.type, 'Agreement Type'),
		frequency: optionalText(a.frequency, 'Agreement Frequency'),
		amount_variability: optionalText(a.amountVariability, 'Agreement Amount Variability'),
		start_date: optionalDate(a.startDate, 'Agreement Start Date'),
		expiry_date: optionalDate(a.expiryDate, 'Agreement Expiry Date'),
		max_amount_per_cycle:
			maxAmount === undefined
				? undefined
				: currency
					? normalizeAmount(maxAmount, currency, {
							field: 'Agreement Max Amount per Cycle',
						})
					: maxAmount,
		cycle_interval_days:
			a.cycleIntervalDays === 0
				? undefined
				: optionalInteger(a.cycleIntervalDays, 'Agreement Cycle Interval Days', 1, 366),
		total_cycles:
			a.totalCycles === 0
				? undefined
				: optionalInteger(a.totalCycles, 'Agreement Total Cycles', 1, 999),
	});
	if (Object.keys(sellerFields).length > 0) out.seller = sellerFields;
	const extraParams = optionalJsonObject(a.extraParams, 'Agreement Extra Params (JSON)');
	if (extraParams && Object.keys(extraParams).length > 0) out.extra_params = extraParams;
	const type = (out.type as string | undefined) ?? 'recurring';
	const missing = (AGREEMENT_REQUIRED[type] ?? []).filter((k) => out[k] === undefined);
	if (missing.length > 0) {
		throw new OttuInputError(
			'agreement',
			`A ${type} agreement needs ${missing.join(', ')}`,
			`Fill in ${missing.join(', ')} under Agreement`,
		);
	}
	return out;
}

function notifications(fields: IDataObject): IDataObject | undefined {
	const out: IDataObject = {};
	const channels: Array<[string, string, string[]]> = [
		['email', 'emailNotifications', EVENTS],
		['sms', 'smsNotifications', EVENTS],
		['whatsapp', 'whatsappNotifications', WHATSAPP_EVENTS],
	];
	for (const [channel, param, allowed] of channels) {
		const events = codeList(fields[param], param);
		const wrong = events.filter((e) => !allowed.includes(e));
		if (wrong.length > 0) {
			throw new OttuInputError(
				param,
				`${channel} notifications cannot be sent for "${wrong.join('", "')}"`,
				`Use: ${allowed.join(', ')}`,
			);
		}
		if (events.length > 0) out[channel] = events;
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Ottu's cross-field rules for a new checkout, checked before sending so that nothing half-valid
 * reaches Ottu: payment type vs agreement, customer and amount, notifications vs contact details.
 */
export function checkNewCheckout(body: IDataObject): void {
	checkPaymentType(body);
	checkContactDetails(body);
}

/** Payment type vs customer, agreement and amount. */
function checkPaymentType(body: IDataObject): void {
	const paymentType = (body.payment_type as string | undefined) ?? 'one_off';
	if (paymentType === 'auto_debit') {
		if (!body.customer_id)
			throw new OttuInputError(
				'customerId',
				'Payment Type Auto-Debit needs a Customer ID',
				'Add Customer ID under Additional Fields; the saved card is linked to it',
			);
		if (!body.agreement)
			throw new OttuInputError(
				'agreement',
				'Payment Type Auto-Debit needs an Agreement',
				'Add Agreement under Additional Fields (ID, frequency, ...)',
			);
	}
	if (paymentType === 'save_card') {
		if (!body.customer_id)
			throw new OttuInputError(
				'customerId',
				'Payment Type Save Card needs a Customer ID',
				'Add Customer ID under Additional Fields; the saved card is linked to it',
			);
		if (typeof body.amount === 'string' && !/^0+(\.0+)?$/.test(body.amount)) {
			throw new OttuInputError(
				'amount',
				`Payment Type Save Card saves a card without charging, so Amount must be 0 (got ${body.amount})`,
				'Set Amount to 0',
			);
		}
	}
	if (paymentType === 'one_off' && body.agreement) {
		throw new OttuInputError(
			'agreement',
			'An Agreement is only allowed with Payment Type Auto-Debit',
			'Set Payment Type to Auto-Debit, or remove the Agreement',
		);
	}
}

/** Notifications vs contact details, and a one-step payment vs its single gateway. */
function checkContactDetails(body: IDataObject): void {
	const notes = body.notifications as IDataObject | undefined;
	if (notes?.email && !body.customer_email) {
		throw new OttuInputError(
			'customerEmail',
			'Email Notifications need a Customer Email',
			'Add Customer Email under Additional Fields, or remove Email Notifications',
		);
	}
	if (notes?.sms && !body.customer_phone) {
		throw new OttuInputError(
			'customerPhone',
			'SMS Notifications need a Customer Phone',
			'Add Customer Phone under Additional Fields, or remove SMS Notifications',
		);
	}
	if (body.payment_instrument && Array.isArray(body.pg_codes) && body.pg_codes.length !== 1) {
		throw new OttuInputError(
			'pgCodes',
			'A Payment Instrument (one-step checkout) needs exactly one gateway',
			'Choose a single gateway under Gateways',
		);
	}
}
