import { take } from '../../sandbox/core/rateLimit';
import { routePattern } from '../../sandbox/core/faults';
import { checkThrottle } from '../../sandbox/domains/inquiry';
import type { Transaction } from '../../sandbox/core/store';

describe('sliding-window rate limit', () => {
	it('allows `limit` hits per window and reports when the oldest leaves it', () => {
		const hits = new Map<string, number[]>();
		expect(take(hits, 'k', 2, 60_000, 0)).toEqual({ ok: true });
		expect(take(hits, 'k', 2, 60_000, 10_000)).toEqual({ ok: true });
		expect(take(hits, 'k', 2, 60_000, 20_000)).toEqual({ ok: false, retryAfter: 40 });
		expect(take(hits, 'other', 2, 60_000, 20_000)).toEqual({ ok: true });
		expect(take(hits, 'k', 2, 60_000, 60_000)).toEqual({ ok: true });
		expect(take(hits, 'k', 2, 60_000, 60_001)).toEqual({ ok: false, retryAfter: 10 });
	});
});

describe('fault route patterns', () => {
	it('matches * as a wildcard and everything else literally', () => {
		const p = routePattern('/b/pbl/v2/*/');
		expect(p.test('/b/pbl/v2/operation/')).toBe(true);
		expect(p.test('/b/pbl/v2/payment/auto-debit/')).toBe(true);
		expect(p.test('/b/checkout/v1/pymt-txn/')).toBe(false);
		expect(routePattern('/b/checkout/v1/pymt-txn/').test('/b/checkout/v1/pymt-txn/abc/')).toBe(
			false,
		);
		expect(routePattern('/a.b/').test('/aXb/')).toBe(false);
	});
});

describe('inquiry throttle arithmetic', () => {
	const txn = (inquiries: number[]) => ({ created_at: 0, inquiries }) as unknown as Transaction;
	const MIN = 60_000;
	it('follows the grace period, the 30-minute windows and the daily cap', () => {
		expect(checkThrottle(txn([]), 5 * MIN)).toBe(300);
		expect(checkThrottle(txn([]), 10 * MIN)).toBeUndefined();
		expect(checkThrottle(txn([10 * MIN]), 20 * MIN)).toBe(1200);
		expect(checkThrottle(txn([10 * MIN]), 40 * MIN)).toBeUndefined();
		expect(checkThrottle(txn([10 * MIN, 40 * MIN, 70 * MIN]), 200 * MIN)).toBe(
			(24 * 60 + 10 - 200) * 60,
		);
		expect(
			checkThrottle(txn([10 * MIN, 40 * MIN, 70 * MIN]), (24 * 60 + 11) * MIN),
		).toBeUndefined();
	});
});
