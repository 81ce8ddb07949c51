import type { IDataObject } from 'n8n-workflow';

import {
	clearDeliveryMemory,
	DEDUP_STORE_KEY,
	deliveryMemorySize,
	isRepeatDelivery,
	MEMORY_MAX_ENTRIES,
	MEMORY_MAX_PER_NODE,
} from '../../nodes/OttuTrigger/dedup';
import type { SignedFields } from '../../nodes/OttuTrigger/events';
import {
	classifyOttuEvent,
	deliveryKey,
	eventSelected,
	operationResultSelected,
} from '../../nodes/OttuTrigger/events';
import { parseRawJson } from '../../nodes/ottuSignature/rawJson';
import type { SignatureScheme } from '../../nodes/ottuSignature/signature';
import { signedValues } from '../../nodes/ottuSignature/signature';
import { paidPayment, refundOperation } from '../helpers/webhook';

/** What the signature covers in a payload, as the trigger reads it after verification. */
function signedOf(payload: IDataObject, scheme: SignatureScheme = 'previous'): SignedFields {
	return Object.fromEntries(signedValues(parseRawJson(JSON.stringify(payload)), scheme));
}
const classify = (payload: IDataObject, scheme: SignatureScheme = 'previous') =>
	classifyOttuEvent(signedOf(payload, scheme));
const keyOf = (payload: IDataObject, scheme: SignatureScheme = 'previous') =>
	deliveryKey(signedOf(payload, scheme), scheme);

beforeEach(() => clearDeliveryMemory());

describe('classifying Ottu webhooks from signed fields only', () => {
	it.each([
		['paid', 'success', true, true],
		['authorized', 'success', false, true],
		['cod', 'cod', false, true],
		['failed', 'failed', false, false],
		['attempted', 'failed', false, false],
		['canceled', 'canceled', false, false],
		['expired', 'canceled', false, false],
		['pending', 'pending', false, false],
	])('payment in state %s (result %s)', (state, result, isPaid, isSuccess) => {
		expect(classify(paidPayment({ state, result }))).toEqual({
			event: 'payment',
			kind: state,
			result,
			isPaid,
			isSuccess,
		});
	});

	it('a save-card webhook (signed zero amount) is its own event and never "paid", whatever payment_type claims', () => {
		const saveCard = paidPayment({
			payment_type: 'save_card',
			amount: '0.000',
			token: { token: 't' },
		});
		const expected = {
			event: 'save_card',
			kind: 'paid',
			result: 'success',
			isPaid: false,
			isSuccess: true,
		};
		expect(classify(saveCard)).toEqual(expected);
		// payment_type is outside the standard signature: relabelling it changes nothing.
		expect(classify({ ...saveCard, payment_type: 'one_off' })).toEqual(expected);
		expect(classify(paidPayment({ payment_type: 'save_card' })).event).toBe('payment');
		// Under the extended scheme payment_type is signed, so it counts.
		expect(
			classify(paidPayment({ payment_type: 'save_card', amount: '1.000' }), 'current').event,
		).toBe('save_card');
	});

	it('an auto-debit payment is a payment', () => {
		expect(
			classify(paidPayment({ payment_type: 'auto_debit', token: { token: 't' } }), 'current').event,
		).toBe('payment');
	});

	it.each([
		['success', 'success', true],
		['queued', 'queued', false],
		['rejected', 'rejected', false],
		['failed', 'failed', false],
	])('operation webhook with signed result %s', (signedResult, result, isSuccess) => {
		expect(classify(refundOperation({ result: signedResult }))).toEqual({
			event: 'operation',
			kind: null,
			result,
			isPaid: false,
			isSuccess,
		});
	});

	it.each([
		[
			'a capture relabelled as a refund',
			{ operation: 'refund' },
			refundOperation({ operation: 'capture', txn: { state: 'paid' } }),
		],
		[
			'a void relabelled by its child state',
			{ operation: null, txn: { state: 'refunded' } },
			refundOperation({ operation: 'void', txn: { state: 'voided' } }),
		],
		[
			'a failed refund claiming success: true',
			{ success: true },
			refundOperation({ result: 'failed', success: false }),
		],
		[
			'a rejected refund with success: true',
			{ success: true, txn: { state: 'refunded' } },
			refundOperation({ result: 'rejected', success: false }),
		],
		["another customer's session_id", { session_id: 'someone-else' }, refundOperation()],
	])('relabel attack on unsigned fields changes nothing: %s', (_name, relabel, genuine) => {
		expect(classify({ ...genuine, ...relabel })).toEqual(classify(genuine));
	});

	it('a payment webhook with a GitBook-style `operation` field stays a payment', () => {
		expect(classify(paidPayment({ operation: 'payment' })).event).toBe('payment');
	});
});

describe('events filter', () => {
	const paid = classify(paidPayment());
	const failed = classify(paidPayment({ state: 'failed', result: 'failed' }));
	const refund = classify(refundOperation());
	const saveCard = classify(paidPayment({ amount: '0' }));

	it('All Events and an empty selection take everything', () => {
		for (const info of [paid, failed, refund, saveCard]) {
			expect(eventSelected(['*'], info)).toBe(true);
			expect(eventSelected([], info)).toBe(true);
		}
	});

	it('selects by signed state and by "any"; operations only as a whole', () => {
		expect(eventSelected(['payment.paid'], paid)).toBe(true);
		expect(eventSelected(['payment.paid'], failed)).toBe(false);
		expect(eventSelected(['payment.paid'], refund)).toBe(false);
		expect(eventSelected(['payment.*'], failed)).toBe(true);
		expect(eventSelected(['payment.*'], refund)).toBe(false);
		expect(eventSelected(['operation.*'], refund)).toBe(true);
		// Old per-operation values cannot be verified: they select nothing (and activation refuses them).
		expect(eventSelected(['operation.refund'], refund)).toBe(false);
	});

	it('save-card events match only Card Saved (or All Events)', () => {
		expect(eventSelected(['payment.paid', 'payment.*'], saveCard)).toBe(false);
		expect(eventSelected(['save_card'], saveCard)).toBe(true);
		expect(eventSelected(['save_card'], paid)).toBe(false);
	});

	it('the operation results filter only narrows operations', () => {
		expect(operationResultSelected(['rejected'], refund)).toBe(false);
		expect(operationResultSelected(['success'], refund)).toBe(true);
		expect(operationResultSelected([], refund)).toBe(true);
		expect(operationResultSelected(['rejected'], paid)).toBe(true);
	});
});

describe('delivery key', () => {
	const key = keyOf(paidPayment())!;

	it('is a 32-hex-digit hash of the signed fields, whatever the payload size', () => {
		expect(key).toMatch(/^[0-9a-f]{32}$/);
		expect(keyOf(paidPayment({ customer_address_line1: 'x'.repeat(100_000) }))).toMatch(
			/^[0-9a-f]{32}$/,
		);
	});

	it('ignores unsigned fields (timestamps, session_id, operation, success) and changes with signed ones', () => {
		expect(
			keyOf(
				paidPayment({
					timestamp_utc: 'later',
					signature: 'other',
					session_id: 'another-session',
					paid_amount: '1',
				}),
			),
		).toBe(key);
		expect(keyOf(paidPayment({ state: 'failed', result: 'failed' }))).not.toBe(key);
		expect(keyOf(paidPayment({ reference_number: 'KW1000046' }))).not.toBe(key);
		expect(keyOf(refundOperation({ result: 'queued' }))).not.toBe(
			keyOf(refundOperation({ result: 'success' })),
		);
		expect(keyOf(refundOperation({ operation: 'capture', success: false }))).toBe(
			keyOf(refundOperation()),
		);
		expect(keyOf(paidPayment({ session_id: 'other' }), 'current')).not.toBe(
			keyOf(paidPayment(), 'current'),
		);
	});

	it('is undefined without a signed reference, order number or session, so nothing is wrongly dropped', () => {
		expect(
			keyOf({ amount: '1.000', state: 'pending', session_id: 'unsigned-here' }),
		).toBeUndefined();
	});
});

describe('repeated deliveries', () => {
	const minute = 60_000;

	it('is a repeat only within the window', () => {
		const store = {};
		expect(isRepeatDelivery(store, 'k', 0, 60 * minute)).toBe(false);
		expect(isRepeatDelivery(store, 'k', 59 * minute, 60 * minute)).toBe(true);
		expect(isRepeatDelivery(store, 'k', 61 * minute, 60 * minute)).toBe(false);
		expect(isRepeatDelivery(store, 'k', 62 * minute, 60 * minute)).toBe(true);
	});

	it('the static data stays bounded, newest kept', () => {
		const store = {};
		for (let i = 0; i < 25; i++)
			expect(isRepeatDelivery(store, `k${i}`, i, 60 * minute, 'wf:node', 10)).toBe(false);
		const kept = Object.keys((store as Record<string, object>)[DEDUP_STORE_KEY]);
		expect(kept).toEqual(Array.from({ length: 10 }, (_, i) => `k${i + 15}`));
	});

	it('drops expired entries and survives a corrupted store', () => {
		const store: IDataObject = { [DEDUP_STORE_KEY]: 'garbage' };
		expect(isRepeatDelivery(store, 'a', 0, minute)).toBe(false);
		expect(isRepeatDelivery(store, 'b', 2 * minute, minute)).toBe(false);
		expect(Object.keys(store[DEDUP_STORE_KEY] as object)).toEqual(['b']);
	});

	it('refuses keys longer than a hash, so entries stay small', () => {
		expect(() => isRepeatDelivery({}, 'x'.repeat(65), 0, minute)).toThrow(RangeError);
	});

	it('catches a repeat whose static data was loaded before the first was saved (one process)', () => {
		// n8n loads static data per request: both requests start from the same empty copy.
		const first: IDataObject = {};
		const second: IDataObject = {};
		expect(isRepeatDelivery(first, 'same', 0, minute, 'wf:node')).toBe(false);
		expect(isRepeatDelivery(second, 'same', 1, minute, 'wf:node')).toBe(true);
	});

	it('each save carries every key this process saw, so the last writer loses none', () => {
		const copies = Array.from({ length: 20 }, () => ({}) as IDataObject);
		copies.forEach((copy, i) =>
			expect(isRepeatDelivery(copy, `k${i}`, i, minute, 'wf:node')).toBe(false),
		);
		expect(Object.keys(copies[19][DEDUP_STORE_KEY] as object).sort()).toEqual(
			Array.from({ length: 20 }, (_, i) => `k${i}`).sort(),
		);
	});

	it('a key saved by another process is a repeat, and is then remembered here', () => {
		const saved: IDataObject = { [DEDUP_STORE_KEY]: { other: 5 } };
		expect(isRepeatDelivery(saved, 'other', 10, minute, 'wf:node')).toBe(true);
		expect(isRepeatDelivery({}, 'other', 11, minute, 'wf:node')).toBe(true);
	});

	it('keeps workflows and nodes apart', () => {
		expect(isRepeatDelivery({}, 'k', 0, minute, 'wf1:node')).toBe(false);
		expect(isRepeatDelivery({}, 'k', 0, minute, 'wf2:node')).toBe(false);
	});

	it('the process memory is bounded per node and in total, the least recently used node going first', () => {
		clearDeliveryMemory(50, 120);
		for (let i = 0; i < 55; i++) isRepeatDelivery({}, `k${i}`, 0, minute, 'busy', 10);
		expect(deliveryMemorySize('busy')).toBe(50);
		expect(isRepeatDelivery({}, 'k54', 1, minute, 'busy')).toBe(true);
		expect(isRepeatDelivery({}, 'k0', 1, minute, 'busy')).toBe(false);
		for (const scope of ['a', 'b', 'c'])
			for (let i = 0; i < 50; i++) isRepeatDelivery({}, `k${i}`, 2, minute, scope, 10);
		expect(deliveryMemorySize()).toBe(120);
		expect(deliveryMemorySize('busy')).toBe(0);
		expect(deliveryMemorySize('c')).toBe(50);
	});

	it('the default bounds keep the memory to a few megabytes', () => {
		expect(MEMORY_MAX_PER_NODE).toBeGreaterThanOrEqual(1000);
		expect(MEMORY_MAX_ENTRIES * 100).toBeLessThanOrEqual(5 * 1024 * 1024);
	});
});
