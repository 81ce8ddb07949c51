import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { OttuInputError } from '../../nodes/Ottu/helpers/errors';
import { selectTransaction } from '../../nodes/Ottu/helpers/identifier';
import {
	apiPath,
	CARD_TOKEN,
	pathSegment,
	REPORT_TOKEN,
	segmentText,
	SESSION_ID,
} from '../../nodes/Ottu/helpers/pathSegment';
import { reportDownloadPath, reportToken } from '../../nodes/Ottu/helpers/reports';
import { fails } from '../helpers/refusal';

/** Where a path built from the value would really go, once a URL parser has resolved it. */
const resolved = (path: string) => new URL(path, 'https://merchant.example.com').pathname;

// Everything URL resolution would rewrite, or that would end the path early.
const HOSTILE = [
	'.',
	'..',
	' .. ',
	'%2e',
	'%2e%2e',
	'.%2E',
	'a/..',
	'../card',
	'a\\b',
	'..\\',
	'a?b',
	'a#b',
	'a b',
	'a\tb',
	'x\u0000',
];

describe('identifiers that go into a URL path', () => {
	it.each([
		['Session ID', SESSION_ID],
		['Card Token', CARD_TOKEN],
		['Report', REPORT_TOKEN],
	])(
		'%s refuses every value that would change the endpoint, naming the field and what is valid',
		(field, rule) => {
			// encodeURIComponent alone keeps "..", and URL resolution then drops a segment: another endpoint.
			expect(resolved(`/b/pbl/v2/card/${encodeURIComponent('..')}/`)).toBe('/b/pbl/v2/');
			for (const value of HOSTILE) {
				const error = fails(() => pathSegment(value, field, rule));
				expect(error.field).toBe(field);
				expect(error.message.startsWith(`${field} "`)).toBe(true);
				expect(error.message.endsWith(`" is not valid: Ottu expects ${rule.valid}`)).toBe(true);
				expect(error.hint).toBe(rule.hint);
			}
			expect(fails(() => pathSegment('', field, rule)).message).toBe(
				`${field} is required, got an empty value`,
			);
			expect(
				fails(() => pathSegment('x'.repeat(rule.maxLength + 1), field, rule)).message,
			).toContain(`Ottu allows at most ${rule.maxLength}`);
		},
	);

	it("checks session_id against Ottu's pattern ^[-\\w]+$", () => {
		expect(segmentText(' 19aa7cd3c1a2-b_C ', 'Session ID', SESSION_ID)).toBe('19aa7cd3c1a2-b_C');
		for (const bad of ['a.b', 'sess:1', 'séance', 'a+b', 'a=b'])
			expect(() => segmentText(bad, 'Session ID', SESSION_ID)).toThrow(
				'only letters, digits, - and _',
			);
	});

	it('lets real card and report tokens through unchanged, and the path stays where it was built', () => {
		for (const token of ['9923965822244314', 'tok_1.2-3~x', 'YWJj+ZA==']) {
			const path = apiPath`/b/pbl/v2/card/${pathSegment(token, 'Card Token', CARD_TOKEN)}/`;
			expect(resolved(path)).toBe(path);
			expect(decodeURIComponent(path.split('/')[5])).toBe(token);
		}
		const uuid = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
		expect(reportDownloadPath(uuid)).toBe(`/b/api/v1/reports/files/${uuid}/download/`);
	});

	it('refuses a ".." report token given alone or inside a download link of the instance', () => {
		const base = 'https://merchant.example.com';
		expect(fails(() => reportToken('..', base)).message).toBe(
			'Report ".." is not valid: Ottu expects a report token (letters, digits, - _ . ~)',
		);
		expect(
			fails(() => reportToken(`${base}/b/api/v1/reports/files/%2E./download/`, base)).field,
		).toBe('report');
		expect(() => reportDownloadPath('..')).toThrow(OttuInputError);
	});

	it('Payment Operation, Payment Status and Notification selectors refuse a session_id Ottu would not accept', () => {
		expect(fails(() => selectTransaction('sessionId', '..', '')).message).toBe(
			'Session ID ".." is not valid: Ottu expects only letters, digits, - and _',
		);
		expect(selectTransaction('orderNo', '', 'ORD/1.2')).toEqual({ order_no: 'ORD/1.2' });
	});
});

describe('every identifier in an action path goes through apiPath', () => {
	const files = (dir: string): string[] =>
		readdirSync(dir).flatMap((name) => {
			const full = join(dir, name);
			return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
		});
	it('no node file puts a value into a request path with a plain template or encodeURIComponent', () => {
		const offenders = files(join(__dirname, '../../nodes')).filter((file) => {
			const source = readFileSync(file, 'utf8');
			return (
				/path:\s*`[^`]*\$\{/.test(source) ||
				/const path = `[^`]*\$\{/.test(source) ||
				/`\/b\/[^`]*\$\{encodeURIComponent/.test(source)
			);
		});
		expect(offenders).toEqual([]);
	});
});
