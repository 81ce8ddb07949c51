import type { IDataObject } from 'n8n-workflow';

import {
	DAY_MS,
	listFrom,
	LOOKBACK_DAYS,
	MAX_REMEMBERED,
	selectNew,
} from '../../nodes/OttuReportTrigger/seen';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const report = (id: string, msAgo: number): IDataObject => ({
	encrypted_id: id,
	created_at: new Date(NOW - msAgo).toISOString(),
});

describe('Ottu Report Trigger: which report files are new', () => {
	it('first activation remembers what is listed and emits nothing, unless asked for the last N days', () => {
		const listed = [report('a', 1000), report('b', 2 * DAY_MS)];
		expect(selectNew(listed, undefined, NOW, 0).emit).toEqual([]);
		expect(selectNew(listed, undefined, NOW, 1).emit.map((r) => r.encrypted_id)).toEqual(['a']);
		expect(selectNew(listed, undefined, NOW, 0).next.seen).toEqual({
			a: NOW - 1000,
			b: NOW - 2 * DAY_MS,
		});
	});

	it('emits a file once, oldest first', () => {
		const state = selectNew([report('a', 5000)], undefined, NOW, 0).next;
		const second = selectNew(
			[report('c', 1000), report('b', 2000), report('a', 5000)],
			state,
			NOW,
			0,
		);
		expect(second.emit.map((r) => r.encrypted_id)).toEqual(['b', 'c']);
		expect(selectNew([report('c', 1000), report('b', 2000)], second.next, NOW, 0).emit).toEqual([]);
	});

	it(`keeps at most ${MAX_REMEMBERED} ids, and never emits a file older than the ones it had to forget`, () => {
		const many = Array.from({ length: MAX_REMEMBERED + 200 }, (_, i) =>
			report(`r${i}`, (i + 1) * 1000),
		);
		const { next } = selectNew(many, undefined, NOW, 0);
		expect(Object.keys(next.seen)).toHaveLength(MAX_REMEMBERED);
		expect(next.floor).toBe(NOW - (MAX_REMEMBERED + 1) * 1000);
		// The forgotten ones come back in the listing: still not emitted.
		expect(selectNew(many, next, NOW, 0).emit).toEqual([]);
	});

	it('forgets files Ottu no longer lists in the look-back window', () => {
		const state = selectNew(
			[report('old', (LOOKBACK_DAYS + 3) * DAY_MS), report('new', 1000)],
			undefined,
			NOW,
			0,
		).next;
		expect(Object.keys(state.seen)).toEqual(['new']);
	});

	it('lists the look-back window, or the N days asked for on first activation', () => {
		expect(listFrom(NOW, false, 10)).toBe('2026-11-27');
		expect(listFrom(NOW, true, 10)).toBe('2026-11-20');
		expect(listFrom(NOW, true, 0)).toBe('2026-11-27');
	});
});
