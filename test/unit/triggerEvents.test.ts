import type { IDataObject } from 'n8n-workflow';

import { isRepeatDelivery, DEDUP_STORE_KEY } from '../../nodes/OttuTrigger/dedup';
import { classifyOttuEvent, deliveryKey, eventSelected, operationResultSelected } from '../../nodes/OttuTrigger/events';
import { paidPayment, refundOperation } from '../helpers/webhook';

describe('classifying Ottu webhooks', () => {
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
		expect(classifyOttuEvent(paidPayment({ state, result }))).toEqual({ event: 'payment', kind: state, result, isPaid, isSuccess });
	});

	it('a save-card webhook is its own event and never "paid"', () => {
		expect(classifyOttuEvent(paidPayment({ payment_type: 'save_card', amount: '0.000', token: { token: 't' } }))).toEqual({
			event: 'save_card',
			kind: 'paid',
			result: 'success',
			isPaid: false,
			isSuccess: true,
		});
	});

	it('an auto-debit payment is a payment', () => {
		expect(classifyOttuEvent(paidPayment({ payment_type: 'auto_debit', token: { token: 't' } })).event).toBe('payment');
	});

	it.each([
		['refund', { operation: 'refund', result: 'success', success: true }, 'refund', 'success', true],
		['capture', { operation: 'capture', txn: { state: 'paid' } }, 'capture', 'success', true],
		['void', { operation: 'void', txn: { state: 'voided' } }, 'void', 'success', true],
		['queued refund', { result: 'queued', success: true, txn: { state: 'refund_queued' } }, 'refund', 'queued', true],
		['rejected refund', { result: 'rejected', success: false, txn: { state: 'refund_rejected' } }, 'refund', 'rejected', false],
		['failed op', { result: 'failed', success: false }, 'refund', 'failed', false],
	])('operation webhook: %s', (_name, overrides, kind, result, isSuccess) => {
		expect(classifyOttuEvent(refundOperation(overrides))).toMatchObject({ event: 'operation', kind, result, isPaid: false, isSuccess });
	});

	it('derives the operation from the child state when Ottu sends operation: null', () => {
		expect(classifyOttuEvent(refundOperation({ operation: null, txn: { state: 'voided' } })).kind).toBe('void');
		expect(classifyOttuEvent(refundOperation({ operation: null, txn: { state: 'paid' } })).kind).toBe('capture');
		expect(classifyOttuEvent(refundOperation({ operation: null, result: undefined, txn: { state: 'refund_rejected' } }))).toMatchObject({
			kind: 'refund',
			result: 'rejected',
		});
		expect(classifyOttuEvent(refundOperation({ operation: null, result: undefined, success: false, txn: {} }))).toMatchObject({
			kind: 'unknown',
			result: 'failed',
		});
	});

	it('a payment webhook with a GitBook-style `operation` field stays a payment', () => {
		expect(classifyOttuEvent(paidPayment({ operation: 'payment' })).event).toBe('payment');
	});
});

describe('events filter', () => {
	const paid = classifyOttuEvent(paidPayment());
	const failed = classifyOttuEvent(paidPayment({ state: 'failed', result: 'failed' }));
	const refund = classifyOttuEvent(refundOperation());
	const saveCard = classifyOttuEvent(paidPayment({ payment_type: 'save_card' }));

	it('All Events and an empty selection take everything', () => {
		for (const info of [paid, failed, refund, saveCard]) {
			expect(eventSelected(['*'], info)).toBe(true);
			expect(eventSelected([], info)).toBe(true);
		}
	});

	it('selects by state, by operation, and by "any"', () => {
		expect(eventSelected(['payment.paid'], paid)).toBe(true);
		expect(eventSelected(['payment.paid'], failed)).toBe(false);
		expect(eventSelected(['payment.paid'], refund)).toBe(false);
		expect(eventSelected(['payment.*'], failed)).toBe(true);
		expect(eventSelected(['payment.*'], refund)).toBe(false);
		expect(eventSelected(['operation.refund'], refund)).toBe(true);
		expect(eventSelected(['operation.capture'], refund)).toBe(false);
		expect(eventSelected(['operation.*'], refund)).toBe(true);
	});

	it('save-card events match only Save Card (or All Events)', () => {
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

describe('repeated deliveries', () => {
	const info = classifyOttuEvent(paidPayment());
	const key = deliveryKey(paidPayment(), info)!;
	const minute = 60_000;

	it('keys on session, state/operation, result and reference number', () => {
		expect(key).toBe(deliveryKey(paidPayment({ timestamp_utc: 'later', signature: 'other' }), info));
		const failedInfo = classifyOttuEvent(paidPayment({ state: 'failed', result: 'failed' }));
		expect(deliveryKey(paidPayment({ state: 'failed', result: 'failed' }), failedInfo)).not.toBe(key);
		expect(deliveryKey(paidPayment({ reference_number: 'KW1000046' }), info)).not.toBe(key);
		const queued = refundOperation({ result: 'queued', txn: { state: 'refund_queued' } });
		const done = refundOperation({ result: 'success', txn: { state: 'refunded' } });
		expect(deliveryKey(queued, classifyOttuEvent(queued))).not.toBe(deliveryKey(done, classifyOttuEvent(done)));
		expect(deliveryKey(paidPayment({ session_id: undefined }), info)).toBeUndefined();
	});

	it('is a repeat only within the window', () => {
		const store = {};
		expect(isRepeatDelivery(store, key, 0, 60 * minute)).toBe(false);
		expect(isRepeatDelivery(store, key, 59 * minute, 60 * minute)).toBe(true);
		expect(isRepeatDelivery(store, key, 61 * minute, 60 * minute)).toBe(false);
		expect(isRepeatDelivery(store, key, 62 * minute, 60 * minute)).toBe(true);
	});

	it('stays bounded, evicting the oldest first', () => {
		const store = {};
		for (let i = 0; i < 25; i++) expect(isRepeatDelivery(store, `k${i}`, i, 60 * minute, 10)).toBe(false);
		const kept = Object.keys((store as Record<string, object>)[DEDUP_STORE_KEY]);
		expect(kept).toEqual(Array.from({ length: 10 }, (_, i) => `k${i + 15}`));
		expect(isRepeatDelivery(store, 'k24', 30, 60 * minute, 10)).toBe(true);
		expect(isRepeatDelivery(store, 'k0', 30, 60 * minute, 10)).toBe(false);
	});

	it('drops expired entries and survives a corrupted store', () => {
		const store: IDataObject = { [DEDUP_STORE_KEY]: 'garbage' };
		expect(isRepeatDelivery(store, 'a', 0, minute)).toBe(false);
		expect(isRepeatDelivery(store, 'b', 2 * minute, minute)).toBe(false);
		expect(Object.keys(store[DEDUP_STORE_KEY] as object)).toEqual(['b']);
	});
});
