/** Events Ottu can notify the customer about, per channel (WhatsApp has fewer). */
export const EVENTS = [
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
export const WHATSAPP_EVENTS = ['created', 'paid', 'canceled', 'failed', 'expired', 'authorized'];
