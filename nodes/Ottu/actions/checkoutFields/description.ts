import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { orderNoProperty } from '../common';
import { EVENTS, WHATSAPP_EVENTS } from './events';

/**
 * The checkout fields' parameters (Create, Update and Invoice → Create). Their Ottu body keys and checks
 * are in body.ts.
 */

/** How the Order No of a new or changed checkout is described. */
export const ORDER_NO_REFERENCE =
	'Your own reference for this payment (max 128 characters, 37 for MPGS gateways)';

const eventOptions = (events: string[]): INodePropertyOptions[] =>
	[...events].sort().map((e) => ({
		name: e.charAt(0).toUpperCase() + e.slice(1),
		value: e,
	}));

/** Payment Request or E-Commerce: Ottu enables gateways per type. */
export const typeProperty = (): INodeProperties => ({
	displayName: 'Transaction Type',
	name: 'type',
	type: 'options',
	options: [
		{
			name: 'E-Commerce',
			value: 'e_commerce',
			description: 'A checkout started from your online shop',
		},
		{
			name: 'Payment Request',
			value: 'payment_request',
			description: 'A payment link to send to a customer',
		},
	],
	default: 'payment_request',
	description:
		'Payment Request for a link you send to a customer, E-Commerce for a checkout from your shop (Ottu calls this the plugin); gateways are enabled per type',
});

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

/** Who pays: the customer fields of a checkout. */
const customerOptions: INodeProperties[] = [
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
];

/** Messages Ottu sends about the payment. */
const notificationOptions: INodeProperties[] = [
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
		displayName: 'SMS Notifications',
		name: 'smsNotifications',
		type: 'multiOptions',
		options: eventOptions(EVENTS),
		default: [],
		description: 'Events for which Ottu texts the customer (needs Customer Phone)',
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

/** How the customer pays: payment type, agreement, card rules, loyalty, one-step payment. */
const paymentOptions: INodeProperties[] = [
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
];

/** Billing and shipping addresses. */
const addressOptions: INodeProperties[] = [
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
];

/** Only for a new checkout: Ottu prepares its page in advance. */
export const preloadCheckoutPageOption: INodeProperties = {
	displayName: 'Preload Checkout Page',
	name: 'preloadCheckoutPage',
	type: 'boolean',
	default: false,
	description: 'Whether Ottu should prepare the checkout page in advance (cached up to 1 hour)',
};

/** The payment link and its page: expiry, language, redirects, webhook, attachments, extras. */
const linkOptions: INodeProperties[] = [
	{
		displayName: 'Attachment Upload URL',
		name: 'attachmentUploadUrl',
		type: 'string',
		default: '',
		description:
			'The file_url of an attachment already uploaded to Ottu (pdf, jpeg, png, doc, docx, jpg, xls, xlsx or txt)',
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
		displayName: 'Due Date and Time',
		name: 'dueDatetime',
		type: 'dateTime',
		default: '',
		description:
			'When payment is due, for information (payment stays possible afterwards); sent as DD/MM/YYYY HH:MM UTC',
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
];

const byDisplayName = (a: INodeProperties, b: INodeProperties) =>
	a.displayName.localeCompare(b.displayName);

/** The checkout fields every checkout operation offers; each adds its own (see below). */
const checkoutFieldOptions = (): INodeProperties[] => [
	...customerOptions,
	...notificationOptions,
	...paymentOptions,
	...addressOptions,
	...linkOptions,
];

/** Order No as a checkout field (Invoice → Create, Update; Create has it as a parameter of its own). */
export const orderNoOption = orderNoProperty(ORDER_NO_REFERENCE, false);

/** The Additional Fields of a new checkout: the checkout fields and the operation's `own`, sorted. */
export function additionalFieldsProperty(own: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [...checkoutFieldOptions(), ...own].sort(byDisplayName),
	};
}

/** The Update Fields options: the checkout fields and Update's `own`, sorted. */
export function updateFieldOptions(own: INodeProperties[]): INodeProperties[] {
	return [...checkoutFieldOptions(), ...own].sort(byDisplayName);
}

/** `extra` as key-value pairs or as JSON: the mode switch and its two inputs. */
export const extraDataProperties: INodeProperties[] = [
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
	},
	{
		displayName: 'Extra Fields',
		name: 'extraFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { extraMode: ['keyValue'] } },
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
		displayOptions: { show: { extraMode: ['json'] } },
	},
];
