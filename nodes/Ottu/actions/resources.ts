import type { OttuResource } from './types';
import { card } from './card';
import { invoice } from './invoice';
import { nativePayment } from './nativePayment';
import { notification } from './notification';
import { paymentMethod } from './paymentMethod';
import { paymentOperation } from './paymentOperation';
import { paymentStatus } from './paymentStatus';
import { paymentTransaction } from './paymentTransaction';
import { report } from './report';

/** Every resource of the Ottu node. */
export const resources: Record<string, OttuResource> = {
	card,
	invoice,
	nativePayment,
	notification,
	paymentMethod,
	paymentOperation,
	paymentStatus,
	paymentTransaction,
	report,
};

export const resourceOptions = [
	{
		name: 'Card',
		value: 'card',
		description: "A customer's saved cards (tokens)",
	},
	{
		name: 'Invoice',
		value: 'invoice',
		description: 'An invoice with line items and a payment link',
	},
	{
		name: 'Native Payment',
		value: 'nativePayment',
		description: 'Server-to-server charges: Apple Pay, Google Pay, saved-card auto-debit',
	},
	{
		name: 'Notification',
		value: 'notification',
		description: 'Payment messages to the customer',
	},
	{
		name: 'Payment Method',
		value: 'paymentMethod',
		description: 'The gateways (pg_codes) of your instance',
	},
	{
		name: 'Payment Operation',
		value: 'paymentOperation',
		description: 'Refund, capture, void, cancel, expire or delete a transaction',
	},
	{
		name: 'Payment Status',
		value: 'paymentStatus',
		description: 'The latest status of a payment (inquiry)',
	},
	{
		name: 'Payment Transaction',
		value: 'paymentTransaction',
		description: 'A payment link or checkout session',
	},
	{
		name: 'Report',
		value: 'report',
		description: 'Transaction report files',
	},
];
