import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { attachmentUploadUrl, brandingOptions } from '../helpers/checkoutFormats';
import { OttuInputError } from '../helpers/errors';
import { normalizeAmount } from '../helpers/money';
import { checkPaymentInstrument } from '../helpers/paymentInstrument';
import {
	compact,
	countryCode,
	emailList,
	codeList,
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
} from '../helpers/validation';

/** Events Ottu can notify the customer about, per channel (WhatsApp has fewer). */
const EVENTS = [
	'created',
	'paid',
	'canceled',
	'failed',
	'expired',
	'authorized',
	'voided',
	'refunded',
	'captured',
];
const WHATSAPP_EVENTS = ['created', 'paid', 'canceled', 'failed', 'expired', 'authorized'];

const eventOptions = (events: string[]): INodePropertyOptions[] =>
	[...events].sort().map((e) => ({
		name: e.charAt(0).toUpperCase() + e.slice(1),
		value: e,
	}));

const addressValues: INodeProperties[] = [
	{
		displayName: 'Line 1',
		name: 'line1',
		type: 'string',
		default: '',
		required: true,
		description: 'Street address (max 128 characters)',
	},
	{
		displayName: 'Line 2',
		name: 'line2',
		type: 'string',
		default: '',
		description: 'Apartment, building or floor (max 128 characters)',
	},
	{
		displayName: 'City',
		name: 'city',
		type: 'string',
		default: '',
		required: true,
		description: 'Max 40 characters',
	},
	{
		displayName: 'State',
		name: 'state',
		type: 'string',
		default: '',
		description: 'State, province or governorate (max 40 characters)',
	},
	{
		displayName: 'Country',
		name: 'country',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. KW',
		description: "Two-letter ISO 3166-1 code from Ottu's list, e.g. KW, SA or GB (not UK)",
	},
	{
		displayName: 'Postal Code',
		name: 'postalCode',
		type: 'string',
		default: '',
		description: 'Max 12 characters',
	},
];

const shippingValues: INodeProperties[] = [
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		required: true,
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		required: true,
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +96599999999',
	},
	...addressValues,
];

const agreementValues: INodeProperties[] = [
	{
		displayName: 'Agreement ID',
		name: 'id',
		type: 'string',
		default: '',
		required: true,
		description: 'Your unique ID for this agreement with the customer (max 128 characters)',
	},
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{
				name: 'Event Based',
				value: 'event_based',
			},
			{
				name: 'Installment',
				value: 'installment',
			},
			{
				name: 'Other',
				value: 'other',
			},
			{
				name: 'Recurring',
				value: 'recurring',
			},
			{
				name: 'Unscheduled',
				value: 'unscheduled',
			},
		],
		default: 'recurring',
	},
	{
		displayName: 'Frequency',
		name: 'frequency',
		type: 'options',
		options: [
			{
				name: 'Daily',
				value: 'daily',
			},
			{
				name: 'Irregular',
				value: 'irregular',
			},
			{
				name: 'Monthly',
				value: 'monthly',
			},
			{
				name: 'Other',
				value: 'other',
			},
			{
				name: 'Quarterly',
				value: 'quarterly',
			},
			{
				name: 'Semi-Annually',
				value: 'semi_annually',
			},
			{
				name: 'Semi-Monthly',
				value: 'semi_monthly',
			},
			{
				name: 'Weekly',
				value: 'weekly',
			},
			{
				name: 'Yearly',
				value: 'yearly',
			},
		],
		default: 'monthly',
		description: 'How often the customer is charged; unscheduled agreements use Irregular',
	},
	{
		displayName: 'Amount Variability',
		name: 'amountVariability',
		type: 'options',
		options: [
			{
				name: 'Fixed',
				value: 'fixed',
			},
			{
				name: 'Variable',
				value: 'variable',
			},
		],
		default: 'fixed',
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-12-01',
		description: 'First charge date, YYYY-MM-DD',
	},
	{
		displayName: 'Expiry Date',
		name: 'expiryDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2027-12-01',
		description: 'Last date the agreement allows charges, YYYY-MM-DD',
	},
	{
		displayName: 'Max Amount per Cycle',
		name: 'maxAmountPerCycle',
		type: 'string',
		default: '',
		placeholder: 'e.g. 25.000',
	},
	{
		displayName: 'Cycle Interval Days',
		name: 'cycleIntervalDays',
		type: 'number',
		typeOptions: {
			minValue: 0,
			maxValue: 366,
		},
		default: 0,
		description: 'Days between charges (1-366); 0 leaves it out',
	},
	{
		displayName: 'Total Cycles',
		name: 'totalCycles',
		type: 'number',
		typeOptions: {
			minValue: 0,
			maxValue: 999,
		},
		default: 0,
		description: 'Number of charges (1-999); 0 leaves it out',
	},
	{
		displayName: 'Seller Name',
		name: 'sellerName',
		type: 'string',
		default: '',
		description: 'For installment agreements (max 128 characters)',
	},
	{
		displayName: 'Seller Short Name',
		name: 'sellerShortName',
		type: 'string',
		default: '',
		description: 'For installment agreements (max 64 characters)',
	},
	{
		displayName: 'Seller Category Code',
		name: 'sellerCategoryCode',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5732',
		description: "The seller's 4-digit merchant category code (MCC)",
	},
	{
		displayName: 'Extra Params (JSON)',
		name: 'extraParams',
		type: 'json',
		default: '{}',
		description: 'Gateway-specific agreement parameters, e.g. {"payment_processing_day": 5}',
	},
];

/** Checkout fields shared by Create, Update and Invoice Create, sorted by display name. */
function checkoutFieldOptions(mode: 'create' | 'update' | 'invoice'): INodeProperties[] {
	const options: INodeProperties[] = [
		{
			displayName: 'Agreement',
			name: 'agreement',
			type: 'fixedCollection',
			placeholder: 'Add Agreement',
			default: {},
			description: 'The recurring-payment agreement; only with Payment Type Auto-Debit',
			options: [
				{
					name: 'agreement',
					displayName: 'Agreement',
					values: agreementValues,
				},
			],
		},
		{
			displayName: 'Attachment Upload URL',
			name: 'attachmentUploadUrl',
			type: 'string',
			default: '',
			description:
				'The file_url of an attachment already uploaded to Ottu (pdf, jpeg, png, doc, docx, jpg, xls, xlsx or txt)',
		},
		{
			displayName: 'Billing Address',
			name: 'billingAddress',
			type: 'fixedCollection',
			placeholder: 'Add Billing Address',
			default: {},
			options: [
				{
					name: 'address',
					displayName: 'Address',
					values: addressValues,
				},
			],
		},
		{
			displayName: 'Branding Options (JSON)',
			name: 'brandingOptions',
			type: 'json',
			default: '{}',
			description:
				'Display data per gateway for the Checkout SDK, e.g. {"payment_methods": {"knet": {"text": "Pay with KNET", "color": "#0a7"}}}',
		},
		{
			displayName: 'Card Acceptance Criteria',
			name: 'cardAcceptanceCriteria',
			type: 'fixedCollection',
			placeholder: 'Add Criteria',
			default: {},
			description: 'Rules a card must meet (direct payments only)',
			options: [
				{
					name: 'criteria',
					displayName: 'Criteria',
					values: [
						{
							displayName: 'Min Expiry Time (Days)',
							name: 'minExpiryTime',
							type: 'number',
							typeOptions: {
								minValue: 0,
								maxValue: 365,
							},
							default: 0,
							description: 'Refuse cards expiring within this many days (1-365); 0 leaves it out',
						},
						{
							displayName: 'Exclude BINs',
							name: 'excludeBins',
							type: 'string',
							default: '',
							placeholder: 'e.g. 411111, 555555',
							description: 'Card BINs to refuse, separated by commas',
						},
					],
				},
			],
		},
		{
			displayName: 'Customer Birthdate',
			name: 'customerBirthdate',
			type: 'dateTime',
			default: '',
			description: "The customer's date of birth (sent as YYYY-MM-DD)",
		},
		{
			displayName: 'Customer Email',
			name: 'customerEmail',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: 'Needed for email notifications (max 128 characters)',
		},
		{
			displayName: 'Customer First Name',
			name: 'customerFirstName',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Customer ID',
			name: 'customerId',
			type: 'string',
			default: '',
			description:
				'Your identifier for the customer (max 64 characters); needed to save cards and for auto-debit',
		},
		{
			displayName: 'Customer Last Name',
			name: 'customerLastName',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Customer Phone',
			name: 'customerPhone',
			type: 'string',
			default: '',
			placeholder: 'e.g. +96599999999',
			description: 'Needed for SMS notifications (max 16 characters)',
		},
		{
			displayName: 'Customer Phone 2',
			name: 'customerPhone2',
			type: 'string',
			default: '',
			placeholder: 'e.g. +96566666666',
		},
		{
			displayName: 'Due Date and Time',
			name: 'dueDatetime',
			type: 'dateTime',
			default: '',
			description:
				'When payment is due, for information (payment stays possible afterwards); sent as DD/MM/YYYY HH:MM UTC',
		},
		{
			displayName: 'Email Notifications',
			name: 'emailNotifications',
			type: 'multiOptions',
			options: eventOptions(EVENTS),
			default: [],
			description: 'Events for which Ottu emails the customer (needs Customer Email)',
		},
		{
			displayName: 'Email Recipients',
			name: 'emailRecipients',
			type: 'string',
			default: '',
			placeholder: 'e.g. accounts@example.com, sales@example.com',
			description: 'Your own staff who get a copy of the customer emails, separated by commas',
		},
		{
			displayName: 'Expiration Time',
			name: 'expirationTime',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1 00:00:00',
			description: 'How long the payment link stays payable, as DD HH:MM:SS (default 24 hours)',
		},
		{
			displayName: 'Generate QR Code',
			name: 'generateQrCode',
			type: 'boolean',
			default: false,
			description: 'Whether Ottu should return a qr_code_url for the checkout link',
		},
		{
			displayName: 'Include SDK Setup Preload',
			name: 'includeSdkSetupPreload',
			type: 'boolean',
			default: false,
			description:
				'Whether to return sdk_setup_preload_payload (Apple Pay and Google Pay set-up for the Checkout SDK)',
		},
		{
			displayName: 'Initiator ID',
			name: 'initiatorId',
			type: 'number',
			default: 0,
			description: 'ID of the Ottu user shown as the creator; 0 leaves it out',
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'options',
			options: [
				{
					name: 'Arabic',
					value: 'ar',
				},
				{
					name: 'English',
					value: 'en',
				},
			],
			default: 'en',
			description: 'Language of the checkout page and notifications',
		},
		{
			displayName: 'Loyalty',
			name: 'loyalty',
			type: 'fixedCollection',
			placeholder: 'Add Loyalty',
			default: {},
			description:
				'Let the customer earn loyalty points (e.g. STC Qitaf) when the gateway supports it',
			options: [
				{
					name: 'loyalty',
					displayName: 'Loyalty',
					values: [
						{
							displayName: 'Enabled',
							name: 'enabled',
							type: 'boolean',
							default: true,
							description: 'Whether the customer earns loyalty points for this payment',
						},
						{
							displayName: 'Reference',
							name: 'reference',
							type: 'string',
							default: '',
							description: 'Your loyalty reference (max 128 characters)',
						},
						{
							displayName: 'Metadata (JSON)',
							name: 'metadata',
							type: 'json',
							default: '{}',
						},
					],
				},
			],
		},
		{
			displayName: 'Payment Instrument (JSON)',
			name: 'paymentInstrument',
			type: 'json',
			default: '{}',
			description:
				'One-step checkout: create and pay at once with exactly one gateway, e.g. {"instrument_type": "token", "payload": {"token": "..."}}. Moves money.',
		},
		{
			displayName: 'Payment Type',
			name: 'paymentType',
			type: 'options',
			options: [
				{
					name: 'Auto-Debit',
					value: 'auto_debit',
					description:
						'First payment of a recurring agreement; saves the card (needs Customer ID and Agreement)',
				},
				{
					name: 'One-Off',
					value: 'one_off',
					description: 'A single payment',
				},
				{
					name: 'Save Card',
					value: 'save_card',
					description: 'Save the card without charging (amount 0, needs Customer ID)',
				},
			],
			default: 'one_off',
		},
		{
			displayName: 'Product Type',
			name: 'productType',
			type: 'string',
			default: '',
			description: 'Max 128 characters',
		},
		{
			displayName: 'Redirect URL',
			name: 'redirectUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://shop.example.com/thank-you',
			description: 'Where Ottu sends the customer after paying (only when the webhook answers 200)',
		},
		{
			displayName: 'Shipping Address',
			name: 'shippingAddress',
			type: 'fixedCollection',
			placeholder: 'Add Shipping Address',
			default: {},
			options: [
				{
					name: 'address',
					displayName: 'Address',
					values: shippingValues,
				},
			],
		},
		{
			displayName: 'Shortify Attachment URL',
			name: 'shortifyAttachmentUrl',
			type: 'boolean',
			default: false,
			description: 'Whether Ottu should return a short attachment_short_url',
		},
		{
			displayName: 'Shortify Checkout URL',
			name: 'shortifyCheckoutUrl',
			type: 'boolean',
			default: false,
			description: 'Whether Ottu should return a short checkout_short_url',
		},
		{
			displayName: 'SMS Notifications',
			name: 'smsNotifications',
			type: 'multiOptions',
			options: eventOptions(EVENTS),
			default: [],
			description: 'Events for which Ottu texts the customer (needs Customer Phone)',
		},
		{
			displayName: 'Unit Code',
			name: 'unitCode',
			type: 'string',
			default: '',
			description: 'Slug of the Ottu unit the payment belongs to',
		},
		{
			displayName: 'Vendor Name',
			name: 'vendorName',
			type: 'string',
			default: '',
			description: 'Max 64 characters',
		},
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. the production URL of an Ottu Trigger node',
			description:
				'Where Ottu POSTs the signed payment result. Paste the URL of an Ottu Trigger node here.',
		},
		{
			displayName: 'WhatsApp Notifications',
			name: 'whatsappNotifications',
			type: 'multiOptions',
			options: eventOptions(WHATSAPP_EVENTS),
			default: [],
			description: 'Events for which Ottu messages the customer on WhatsApp',
		},
	];
	if (mode === 'create' || mode === 'invoice') {
		options.push({
			displayName: 'Preload Checkout Page',
			name: 'preloadCheckoutPage',
			type: 'boolean',
			default: false,
			description: 'Whether Ottu should prepare the checkout page in advance (cached up to 1 hour)',
		});
	}
	if (mode === 'invoice' || mode === 'update') {
		options.push({
			displayName: 'Order No',
			name: 'orderNo',
			type: 'string',
			default: '',
			placeholder: 'e.g. ORD-10045',
			description: 'Your own reference for this payment (max 128 characters, 37 for MPGS gateways)',
		});
	}
	return options.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export function additionalFieldsProperty(
	mode: 'create' | 'invoice',
	extra: INodeProperties[] = [],
): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [...checkoutFieldOptions(mode), ...extra].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

export function updateFieldOptions(extra: INodeProperties[]): INodeProperties[] {
	return [...checkoutFieldOptions('update'), ...extra].sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	);
}

/** `extra` as key-value pairs or as JSON: the mode switch and its two inputs. */
export function extraProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Extra Data',
			name: 'extraMode',
			type: 'options',
			options: [
				{
					name: 'None',
					value: 'none',
				},
				{
					name: 'Key-Value Pairs',
					value: 'keyValue',
					description: 'Enter each key and value',
				},
				{
					name: 'JSON',
					value: 'json',
					description: 'Enter a JSON object',
				},
			],
			default: 'none',
			description:
				'Your own data stored with the payment as `extra`, echoed back in responses and webhooks',
			displayOptions: { show },
		},
		{
			displayName: 'Extra Fields',
			name: 'extraFields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Field',
			default: {},
			displayOptions: {
				show: {
					...show,
					extraMode: ['keyValue'],
				},
			},
			options: [
				{
					name: 'field',
					displayName: 'Field',
					values: [
						{
							displayName: 'Key',
							name: 'key',
							type: 'string',
							default: '',
							placeholder: 'e.g. customer_ref',
							description:
								'Any name except __proto__, constructor and prototype, which n8n cannot keep',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							placeholder: 'e.g. A-17',
						},
					],
				},
			],
		},
		{
			displayName: 'Extra (JSON)',
			name: 'extraJson',
			type: 'json',
			default: '{}',
			description: 'A JSON object, e.g. {"customer_ref": "A-17"}',
			displayOptions: {
				show: {
					...show,
					extraMode: ['json'],
				},
			},
		},
	];
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
					? normalizeAmount(maxAmount, currency, { field: 'Agreement Max Amount per Cycle' })
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
 * Turns the Additional Fields / Update Fields collection into Ottu checkout body fields, checking
 * each against Ottu's limits. `currency` is needed for amounts inside (agreement max amount).
 */
export function buildCheckoutFields(
	fields: IDataObject,
	currency: string | undefined,
): IDataObject {
	const body: IDataObject = compact({
		attachment_upload_url: attachmentUploadUrl(fields.attachmentUploadUrl, 'Attachment Upload URL'),
		customer_birthdate: optionalDate(fields.customerBirthdate, 'Customer Birthdate'),
		customer_email: optionalEmail(fields.customerEmail, 'Customer Email'),
		customer_first_name: optionalText(fields.customerFirstName, 'Customer First Name', 64),
		customer_id: optionalText(fields.customerId, 'Customer ID', 64),
		customer_last_name: optionalText(fields.customerLastName, 'Customer Last Name', 64),
		customer_phone: optionalText(fields.customerPhone, 'Customer Phone', 16),
		customer_phone_2: optionalText(fields.customerPhone2, 'Customer Phone 2', 16),
		due_datetime: optionalDueDatetime(fields.dueDatetime, 'Due Date and Time'),
		email_recipients: emailList(fields.emailRecipients, 'Email Recipients'),
		expiration_time: optionalText(fields.expirationTime, 'Expiration Time'),
		generate_qr_code: optionalBoolean(fields.generateQrCode, 'Generate QR Code'),
		include_sdk_setup_preload: optionalBoolean(
			fields.includeSdkSetupPreload,
			'Include SDK Setup Preload',
		),
		initiator_id:
			fields.initiatorId === 0 ? undefined : optionalInteger(fields.initiatorId, 'Initiator ID', 1),
		language: optionalText(fields.language, 'Language'),
		order_no: optionalText(fields.orderNo, 'Order No', 128),
		payment_type: optionalText(fields.paymentType, 'Payment Type'),
		preload_checkout_page: optionalBoolean(fields.preloadCheckoutPage, 'Preload Checkout Page'),
		product_type: optionalText(fields.productType, 'Product Type', 128),
		redirect_url: optionalUrl(fields.redirectUrl, 'Redirect URL'),
		shortify_attachment_url: optionalBoolean(
			fields.shortifyAttachmentUrl,
			'Shortify Attachment URL',
		),
		shortify_checkout_url: optionalBoolean(fields.shortifyCheckoutUrl, 'Shortify Checkout URL'),
		unit_code: optionalText(fields.unitCode, 'Unit Code'),
		vendor_name: optionalText(fields.vendorName, 'Vendor Name', 64),
		webhook_url: optionalUrl(fields.webhookUrl, 'Webhook URL'),
	});
	if (
		body.expiration_time !== undefined &&
		!/^(\d+ )?\d{1,2}:\d{2}(:\d{2})?$/.test(body.expiration_time as string)
	) {
		throw new OttuInputError(
			'expirationTime',
			`Expiration Time "${body.expiration_time as string}" is not a duration`,
			'Write it as DD HH:MM:SS, e.g. 1 00:00:00 for one day or 00:30:00 for 30 minutes',
		);
	}
	if (body.language !== undefined && !['en', 'ar'].includes(body.language as string)) {
		throw new OttuInputError(
			'language',
			`Language must be en or ar, got "${body.language as string}"`,
			'Choose English or Arabic',
		);
	}
	if (
		body.payment_type !== undefined &&
		!['one_off', 'auto_debit', 'save_card'].includes(body.payment_type as string)
	) {
		throw new OttuInputError(
			'paymentType',
			`Payment Type must be one_off, auto_debit or save_card, got "${body.payment_type as string}"`,
		);
	}
	const billing = address(fields.billingAddress, 'Billing Address', false);
	if (billing) body.billing_address = billing;
	const shipping = address(fields.shippingAddress, 'Shipping Address', true);
	if (shipping) body.shipping_address = shipping;
	const agreementBody = agreement(fields.agreement, currency);
	if (agreementBody) body.agreement = agreementBody;
	const criteria = fixedValue(fields.cardAcceptanceCriteria, 'criteria');
	if (criteria) {
		const c = compact({
			min_expiry_time:
				criteria.minExpiryTime === 0
					? undefined
					: optionalInteger(
							criteria.minExpiryTime,
							'Card Acceptance Criteria Min Expiry Time',
							1,
							365,
						),
			exclude_bins: (() => {
				const bins = codeList(criteria.excludeBins, 'Card Acceptance Criteria Exclude BINs');
				return bins.length > 0 ? bins : undefined;
			})(),
		});
		if (Object.keys(c).length > 0) body.card_acceptance_criteria = c;
	}
	const loyalty = fixedValue(fields.loyalty, 'loyalty');
	if (loyalty) {
		const l: IDataObject = { enabled: optionalBoolean(loyalty.enabled, 'Loyalty Enabled') ?? true };
		const reference = optionalText(loyalty.reference, 'Loyalty Reference', 128);
		if (reference) l.reference = reference;
		const metadata = optionalJsonObject(loyalty.metadata, 'Loyalty Metadata (JSON)');
		if (metadata && Object.keys(metadata).length > 0) l.metadata = metadata;
		body.loyalty = l;
	}
	const branding = brandingOptions(fields.brandingOptions, 'Branding Options (JSON)');
	if (branding) body.branding_options = branding;
	const instrument = optionalJsonObject(fields.paymentInstrument, 'Payment Instrument (JSON)');
	if (instrument && Object.keys(instrument).length > 0) {
		checkPaymentInstrument(instrument, 'Payment Instrument (JSON)');
		body.payment_instrument = instrument;
	}
	const notes = notifications(fields);
	if (notes) body.notifications = notes;
	return body;
}

/**
 * Ottu's cross-field rules for a new checkout, checked before sending so that nothing half-valid
 * reaches Ottu: payment type vs agreement, customer and amount, notifications vs contact details.
 */
export function checkNewCheckout(body: IDataObject): void {
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
