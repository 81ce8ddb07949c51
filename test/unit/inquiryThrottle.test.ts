import { nextCheckAllowed } from '../../nodes/Ottu/actions/paymentStatus/check.operation';

describe('when Ottu allows the next status check (from Retry-After)', () => {
	const now = new Date('2026-03-01T09:40:10Z');

	it('reads seconds, minutes, hours and the next day', () => {
		expect(nextCheckAllowed(42_000, now)).toBe('in 42 seconds (at 09:40 UTC)');
		expect(nextCheckAllowed(600_000, now)).toBe('in 10 minutes (at 09:50 UTC)');
		expect(nextCheckAllowed(1_499_000, now)).toBe('in 25 minutes (at 10:05 UTC)');
		expect(nextCheckAllowed(20 * 3_600_000, now)).toBe(
			'in about 20 hours (at 2026-03-02 05:40 UTC)',
		);
	});

	it('has nothing to say without a usable Retry-After', () => {
		expect(nextCheckAllowed(undefined, now)).toBeUndefined();
		expect(nextCheckAllowed(0, now)).toBeUndefined();
		expect(nextCheckAllowed('600', now)).toBeUndefined();
	});
});
