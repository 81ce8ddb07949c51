import type { OttuResource } from './types';
import { paymentTransaction } from './paymentTransaction';

/** Every resource of the Ottu node, in dropdown order. */
export const resources: Record<string, OttuResource> = {
	paymentTransaction,
};

export const resourceOptions = [
	{ name: 'Payment Transaction', value: 'paymentTransaction' },
];
