import type { OttuResource } from './types';
import { byName } from './types';
import { card } from './card';
import { invoice } from './invoice';
import { nativePayment } from './nativePayment';
import { notification } from './notification';
import { paymentMethod } from './paymentMethod';
import { paymentOperation } from './paymentOperation';
import { paymentStatus } from './paymentStatus';
import { paymentTransaction } from './paymentTransaction';
import { report } from './report';

const all: OttuResource[] = [
	card,
	invoice,
	nativePayment,
	notification,
	paymentMethod,
	paymentOperation,
	paymentStatus,
	paymentTransaction,
	report,
];

/** Every resource of the Ottu node, by value. */
export const resources: Record<string, OttuResource> = Object.fromEntries(
	all.map((r) => [r.option.value, r]),
);

/** The Resource dropdown. */
export const resourceOptions = all.map((r) => r.option).sort(byName);
