import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { description as reportDownload } from '../../nodes/Ottu/actions/report/download.operation';
import { BODY_LIMITS } from '../../nodes/Ottu/transport';
import { OttuReportTrigger } from '../../nodes/OttuReportTrigger/OttuReportTrigger.node';

import type { ReportState } from '../../nodes/OttuReportTrigger/seen';
import {
	DAY_MS,
	listFrom,
	LOOKBACK_DAYS,
	MAX_REMEMBERED,
	prune,
	reportKey,
	selectNew,
} from '../../nodes/OttuReportTrigger/seen';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const report = (id: string, msAgo: number): IDataObject => ({
	encrypted_id: id,
	report_name: `Report ${id}`,
	interval: 'daily',
	created_at: new Date(NOW - msAgo).toISOString(),
});
const fresh = (): ReportState => ({ seen: {} });
const names = (queue: Array<{ report: IDataObject }>) => queue.map((c) => c.report.encrypted_id);
/** What emitReports does with each emitted report. */
const emitAll = (state: ReportState, queue: Array<{ key: string; created: number }>) => {
	for (const c of queue) state.seen[c.key] = c.created;
	state.activated = true;
};

describe('Ottu Report Trigger: which report files are new', () => {
	it('first activation remembers what is listed and emits nothing, unless asked for the last N days', () => {
		const listed = [report('a', 1000), report('b', 2 * DAY_MS)];
		const state = fresh();
		expect(selectNew(listed, state, NOW, 0)).toEqual([]);
		expect(Object.values(state.seen).sort()).toEqual([NOW - 2 * DAY_MS, NOW - 1000]);
		const asked = selectNew(listed, fresh(), NOW, 1);
		expect(names(asked)).toEqual(['a']);
		expect(asked[0].backlog).toBe(true);
	});

	it('emits a file once, oldest first', () => {
		const state = fresh();
		emitAll(state, selectNew([report('a', 5000)], state, NOW, 0));
		const second = selectNew(
			[report('c', 1000), report('b', 2000), report('a', 5000)],
			state,
			NOW,
			0,
		);
		expect(names(second)).toEqual(['b', 'c']);
		expect(second.every((c) => !c.backlog)).toBe(true);
		emitAll(state, second);
		expect(selectNew([report('c', 1000), report('b', 2000)], state, NOW, 0)).toEqual([]);
	});

	it('knows a report again when Ottu lists it with another encrypted_id (its identity is its own fields)', () => {
		const state: ReportState = { seen: {}, activated: true };
		emitAll(state, selectNew([report('a', 5000)], state, NOW, 0));
		const relisted = { ...report('a', 5000), encrypted_id: 'a-encrypted-afresh' };
		expect(selectNew([relisted], state, NOW, 0)).toEqual([]);
		expect(reportKey(relisted)).toBe(reportKey(report('a', 5000)));
		expect(reportKey(report('b', 5000))).not.toBe(reportKey(report('a', 5000)));
	});

	it('still knows the reports version 1 remembered by encrypted_id', () => {
		const state: ReportState = { seen: { a: NOW - 5000 }, activated: true };
		expect(names(selectNew([report('a', 5000), report('b', 100)], state, NOW, 0))).toEqual(['b']);
	});

	it(`keeps at most ${MAX_REMEMBERED} reports, and never emits a file older than the ones it had to forget`, () => {
		const many = Array.from({ length: MAX_REMEMBERED + 200 }, (_, i) =>
			report(`r${i}`, (i + 1) * 1000),
		);
		const state = fresh();
		selectNew(many, state, NOW, 0);
		prune(state, NOW);
		expect(Object.keys(state.seen)).toHaveLength(MAX_REMEMBERED);
		expect(state.floor).toBe(NOW - (MAX_REMEMBERED + 1) * 1000);
		state.activated = true;
		// The forgotten ones come back in the listing: still not emitted.
		expect(selectNew(many, state, NOW, 0)).toEqual([]);
	});

	it('forgets files Ottu no longer lists in the look-back window, unless an older report still waits', () => {
		const state = fresh();
		selectNew([report('old', (LOOKBACK_DAYS + 3) * DAY_MS), report('new', 1000)], state, NOW, 0);
		prune(state, NOW);
		expect(Object.keys(state.seen)).toEqual([reportKey(report('new', 1000))]);
		const waiting: ReportState = {
			seen: { k: NOW - (LOOKBACK_DAYS + 3) * DAY_MS },
			waiting: { w: { created: NOW - 10 * DAY_MS, failures: 0 } },
		};
		prune(waiting, NOW);
		expect(Object.keys(waiting.seen)).toEqual(['k']);
	});

	it('lists the look-back window, the N days asked for on first activation, or back to the oldest waiting report', () => {
		expect(listFrom(NOW, false, 10)).toBe('2026-11-27');
		expect(listFrom(NOW, true, 10)).toBe('2026-11-20');
		expect(listFrom(NOW, true, 0)).toBe('2026-11-27');
		const waiting: ReportState = {
			seen: {},
			waiting: { w: { created: NOW - 12 * DAY_MS, failures: 0 } },
		};
		expect(listFrom(NOW, false, 0, waiting)).toBe('2026-11-18');
		waiting.waiting!.w.created = NOW - 90 * DAY_MS;
		expect(listFrom(NOW, false, 0, waiting)).toBe('2026-10-31');
	});
});

describe('Ottu Report Trigger: download options', () => {
	it('has the same Max Download Size default as Report → Download', () => {
		const trigger = new OttuReportTrigger().description.properties.find(
			(p) => p.name === 'downloadOptions',
		);
		const option = (trigger?.options as INodeProperties[]).find((o) => o.name === 'maxSizeMb');
		const download = reportDownload.find((p) => p.name === 'downloadOptions');
		const reference = (download?.options as INodeProperties[]).find((o) => o.name === 'maxSizeMb');
		expect(option?.default).toBe(BODY_LIMITS.defaultDownloadMb);
		expect(reference?.default).toBe(BODY_LIMITS.defaultDownloadMb);
	});
});
