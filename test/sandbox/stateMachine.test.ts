import fc from 'fast-check';
import Decimal from 'decimal.js';

import {
	applyOperation,
	applyOutcome,
	isPastExpiry,
	newLedger,
	parseDuration,
	settleQueuedRefund,
} from '../../sandbox/core/stateMachine';
import type {
	GatewayCapabilities,
	Ledger,
	OperationInput,
	Outcome,
} from '../../sandbox/core/stateMachine';

const CARD: GatewayCapabilities = {
	code: 'credit-card',
	operations: ['refund', 'capture', 'void'],
};
const KNET: GatewayCapabilities = { code: 'knet-test', operations: ['refund'] };
const QUEUED: GatewayCapabilities = {
	code: 'stcpay',
	operations: ['refund'],
	queued_refunds: true,
};

let seq = 0;
function outcome(ledger: Ledger, o: Outcome, multipleAttempts = true): Ledger {
	const r = applyOutcome(ledger, {
		outcome: o,
		pg_code: 'credit-card',
		reference_number: `ref-${++seq}`,
		at: seq,
		multipleAttempts,
		decimals: 3,
	});
	if (!r.ok) throw new Error(r.detail);
	return r.ledger;
}

function op(
	ledger: Ledger,
	operation: OperationInput['operation'],
	amount?: string,
	gateway: GatewayCapabilities = CARD,
) {
	seq++;
	return applyOperation(ledger, {
		operation,
		amount,
		gateway,
		decimals: 3,
		at: seq,
		child_session_id: `child-${seq}`,
		reference_number: `opref-${seq}`,
		order_no: 'ORD-1',
	});
}

function ok(result: ReturnType<typeof op>): Ledger {
	if (!result.ok) throw new Error(result.detail);
	return result.ledger;
}

function failure(result: ReturnType<typeof op>): string {
	if (result.ok) throw new Error('expected a failure');
	return result.detail;
}

const fresh = () => newLedger('20', 'KWD', 3);
const paid = () => outcome(fresh(), 'paid');
const authorized = () => outcome(fresh(), 'authorized');

describe('payment outcomes', () => {
	it('starts created with zero amounts in the currency format', () => {
		const l = fresh();
		expect(l).toMatchObject({
			state: 'created',
			amount: '20.000',
			paid_amount: '0.000',
			refunded_amount: '0.000',
			settled_pg_code: null,
		});
	});

	it('paid collects the full amount and records a successful attempt', () => {
		const l = paid();
		expect(l.state).toBe('paid');
		expect(l.paid_amount).toBe('20.000');
		expect(l.settled_pg_code).toBe('credit-card');
		expect(l.attempts.map((a) => a.result)).toEqual(['success']);
	});

	it('authorized reserves the amount without collecting it', () => {
		const l = authorized();
		expect(l.state).toBe('authorized');
		expect(l.authorized_amount).toBe('20.000');
		expect(l.paid_amount).toBe('0.000');
	});

	it('with multiple attempts, failed and canceled leave the transaction attempted and payable', () => {
		let l = outcome(fresh(), 'failed');
		expect(l.state).toBe('attempted');
		l = outcome(l, 'canceled');
		expect(l.state).toBe('attempted');
		l = outcome(l, 'paid');
		expect(l.state).toBe('paid');
		expect(l.attempts.map((a) => a.result)).toEqual(['failed', 'canceled', 'success']);
	});

	it('without multiple attempts, failed is final and canceled expires', () => {
		expect(outcome(fresh(), 'failed', false).state).toBe('failed');
		expect(outcome(fresh(), 'canceled', false).state).toBe('expired');
	});

	it('a late success can still turn failed or expired into paid, but not another failure', () => {
		const failed = outcome(fresh(), 'failed', false);
		expect(outcome(failed, 'paid').state).toBe('paid');
		const r = applyOutcome(failed, {
			outcome: 'failed',
			pg_code: 'x',
			reference_number: 'r',
			at: 1,
			decimals: 3,
		});
		expect(r.ok).toBe(false);
	});

	it('refuses to pay a transaction twice, or one that was canceled', () => {
		for (const l of [paid(), authorized(), ok(op(fresh(), 'cancel'))]) {
			const r = applyOutcome(l, {
				outcome: 'paid',
				pg_code: 'x',
				reference_number: 'r',
				at: 1,
				decimals: 3,
			});
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.detail).toContain('cannot be paid');
		}
	});
});

describe('internal operations', () => {
	it.each(['created', 'pending', 'attempted'] as const)(
		'cancel and expire work from %s',
		(state) => {
			const l = { ...fresh(), state };
			expect(ok(op(l, 'cancel')).state).toBe('canceled');
			expect(ok(op(l, 'expire')).state).toBe('expired');
		},
	);

	it('cancel works from cod, expire does not', () => {
		const l = { ...fresh(), state: 'cod' as const };
		expect(ok(op(l, 'cancel')).state).toBe('canceled');
		expect(failure(op(l, 'expire'))).toContain('cannot be expired');
	});

	it.each(['paid', 'authorized', 'failed', 'canceled', 'expired'] as const)(
		'cancel is refused from %s',
		(state) => {
			expect(failure(op({ ...fresh(), state }, 'cancel'))).toBe(
				`A payment transaction in state "${state}" cannot be canceled. Allowed states: created, pending, attempted, cod.`,
			);
		},
	);

	it('delete is soft for paid/authorized/cod and hard otherwise', () => {
		expect(ok(op(paid(), 'delete')).deleted).toBe('soft');
		expect(ok(op(authorized(), 'delete')).deleted).toBe('soft');
		expect(ok(op({ ...fresh(), state: 'cod' }, 'delete')).deleted).toBe('soft');
		expect(ok(op(fresh(), 'delete')).deleted).toBe('hard');
		expect(ok(op({ ...fresh(), state: 'failed' }, 'delete')).deleted).toBe('hard');
	});

	it('nothing is allowed on a deleted transaction', () => {
		const deleted = ok(op(paid(), 'delete'));
		expect(failure(op(deleted, 'refund'))).toContain('deleted');
		expect(failure(op(deleted, 'delete'))).toContain('deleted');
	});

	it('records internal operations without a child', () => {
		const r = op(fresh(), 'cancel');
		expect(r.ok && r.child).toBeUndefined();
		expect(r.ok && r.stateChanged).toBe(true);
		expect(ok(r).operations).toEqual([
			expect.objectContaining({ operation: 'cancel', amount: null, result: 'success' }),
		]);
	});
});

describe('refund', () => {
	it('full refund by default creates a refunded child and keeps the parent paid', () => {
		const r = op(paid(), 'refund');
		const l = ok(r);
		expect(l.state).toBe('paid');
		expect(l.refunded_amount).toBe('20.000');
		expect(r.ok && r.child).toMatchObject({
			operation: 'refund',
			amount: '20.000',
			state: 'refunded',
			currency_code: 'KWD',
			order_no: 'ORD-1',
		});
	});

	it('partial refunds add up exactly and stop at the paid amount', () => {
		let l = ok(op(paid(), 'refund', '0.1'));
		l = ok(op(l, 'refund', '0.2'));
		expect(l.refunded_amount).toBe('0.300');
		expect(failure(op(l, 'refund', '19.701'))).toBe(
			'The refund amount 19.701 exceeds the refundable amount 19.700.',
		);
		l = ok(op(l, 'refund'));
		expect(l.refunded_amount).toBe('20.000');
		expect(l.children.map((c) => c.amount)).toEqual(['0.100', '0.200', '19.700']);
		expect(failure(op(l, 'refund', '0.001'))).toBe(
			'This payment transaction has been fully refunded.',
		);
	});

	it('refuses unpaid transactions, zero, negative and over-precise amounts, unsupported gateways', () => {
		expect(failure(op(fresh(), 'refund'))).toBe(
			'Only a paid (or captured) payment transaction can be refunded; this one is "created".',
		);
		expect(failure(op(paid(), 'refund', '0'))).toBe('The refund amount must be greater than zero.');
		expect(failure(op(paid(), 'refund', '-1'))).toBe(
			'The refund amount must be greater than zero.',
		);
		const usd = outcome(newLedger('10', 'USD', 2), 'paid');
		const r = applyOperation(usd, {
			operation: 'refund',
			amount: '1.005',
			gateway: CARD,
			decimals: 2,
			at: 1,
		});
		expect(r.ok).toBe(false);
		expect(failure(op(paid(), 'capture', undefined, KNET))).toContain('authorized');
		const knetPaid = paid();
		expect(
			failure(
				op(
					{ ...knetPaid, state: 'authorized', authorized_amount: '20.000' },
					'capture',
					undefined,
					KNET,
				),
			),
		).toBe('The payment gateway "knet-test" does not support the capture operation.');
	});

	it('queued gateways start refund_queued; rejection makes the money refundable again', () => {
		const r = op(paid(), 'refund', '5', QUEUED);
		let l = ok(r);
		const child = r.ok ? r.child! : undefined;
		expect(child?.state).toBe('refund_queued');
		expect(l.refunded_amount).toBe('5.000');
		const rejected = settleQueuedRefund(l, child!.session_id, 'refund_rejected', 3);
		expect(rejected.ok).toBe(true);
		l = rejected.ok ? rejected.ledger : l;
		expect(l.refunded_amount).toBe('0.000');
		expect(l.children[0].state).toBe('refund_rejected');
		const again = settleQueuedRefund(l, child!.session_id, 'refunded', 3);
		expect(again.ok).toBe(false);
	});

	it('a queued refund that settles stays counted', () => {
		const r = op(paid(), 'refund', '5', QUEUED);
		const l = ok(r);
		const settled = settleQueuedRefund(l, r.ok ? r.child!.session_id : '', 'refunded', 3);
		expect(settled.ok && settled.ledger.refunded_amount).toBe('5.000');
		expect(settled.ok && settled.child.state).toBe('refunded');
	});
});

describe('capture and void', () => {
	it('partial captures up to the authorized amount create paid children', () => {
		let r = op(authorized(), 'capture', '7.5');
		let l = ok(r);
		expect(r.ok && r.child?.state).toBe('paid');
		expect(l.captured_amount).toBe('7.500');
		expect(failure(op(l, 'capture', '12.501'))).toBe(
			'The capture amount 12.501 exceeds the remaining authorized amount 12.500.',
		);
		r = op(l, 'capture');
		l = ok(r);
		expect(l.captured_amount).toBe('20.000');
		expect(l.state).toBe('authorized');
		expect(failure(op(l, 'capture'))).toBe('The authorized amount has been fully captured.');
	});

	it('refund after capture is limited to what was captured', () => {
		const l = ok(op(authorized(), 'capture', '8'));
		expect(failure(op(l, 'refund', '8.001'))).toBe(
			'The refund amount 8.001 exceeds the refundable amount 8.000.',
		);
		expect(ok(op(l, 'refund')).refunded_amount).toBe('8.000');
	});

	it('refund of an uncaptured authorization is refused', () => {
		expect(failure(op(authorized(), 'refund'))).toContain('this one is "authorized"');
	});

	it('void takes the full authorized amount, ignoring any amount given, once', () => {
		const r = op(authorized(), 'void', '1');
		const l = ok(r);
		expect(r.ok && r.child).toMatchObject({ state: 'voided', amount: '20.000' });
		expect(l.voided_amount).toBe('20.000');
		expect(failure(op(l, 'void'))).toBe('This authorization has already been voided.');
		expect(failure(op(l, 'capture'))).toBe(
			'This authorization has been voided and cannot be captured.',
		);
	});

	it('void after a capture is refused; void of a paid purchase is refused', () => {
		expect(failure(op(ok(op(authorized(), 'capture', '1')), 'void'))).toBe(
			'An authorization that has been captured cannot be voided.',
		);
		expect(failure(op(paid(), 'void'))).toBe(
			'Only an authorized payment transaction can be voided; this one is "paid".',
		);
	});
});

describe('invariants (property-based)', () => {
	it('refunds never exceed what was paid, and the ledger equals the sum of refunded children', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 1, max: 30000 }), { maxLength: 12 }), (mils) => {
				let l = outcome(newLedger('20', 'KWD', 3), 'paid');
				for (const m of mils) {
					const r = op(l, 'refund', new Decimal(m).div(1000).toFixed(3));
					if (r.ok) l = r.ledger;
				}
				const sum = l.children.reduce((s, c) => s.plus(c.amount), new Decimal(0));
				expect(sum.toFixed(3)).toBe(l.refunded_amount);
				expect(sum.lessThanOrEqualTo(20)).toBe(true);
			}),
			{ numRuns: 200 },
		);
	});

	it('captured never exceeds authorized', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 1, max: 25000 }), { maxLength: 10 }), (mils) => {
				let l = outcome(newLedger('20', 'KWD', 3), 'authorized');
				for (const m of mils) {
					const r = op(l, 'capture', new Decimal(m).div(1000).toFixed(3));
					if (r.ok) l = r.ledger;
				}
				expect(new Decimal(l.captured_amount).lessThanOrEqualTo(20)).toBe(true);
			}),
			{ numRuns: 200 },
		);
	});
});

describe('expiry', () => {
	it('parses Django durations', () => {
		expect(parseDuration('1 00:00:00')).toBe(86400);
		expect(parseDuration('00:50:00')).toBe(3000);
		expect(parseDuration('2 01:00:30')).toBe(2 * 86400 + 3630);
		expect(parseDuration('90')).toBe(90);
		expect(parseDuration('tomorrow')).toBeUndefined();
		expect(parseDuration('1 day')).toBeUndefined();
	});

	it('is past expiry only after expiration_time (default 24 h)', () => {
		expect(isPastExpiry(0, '00:10:00', 600_000)).toBe(false);
		expect(isPastExpiry(0, '00:10:00', 600_001)).toBe(true);
		expect(isPastExpiry(0, undefined, 86_400_001)).toBe(true);
	});
});
