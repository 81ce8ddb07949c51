import {
	bareMimeType,
	fallbackFileName,
	fileNameFromContentDisposition,
	reportToken,
} from '../../nodes/Ottu/helpers/reports';

const BASE = 'https://merchant.ottu.net';
const TOKEN = '3f2b8c1e-9a4d-4e7f-b6c5-1d2e3f4a5b6c';
const URL_ = `${BASE}/b/api/v1/reports/files/${TOKEN}/download/`;

describe('report token', () => {
	it('accepts the token, the download URL, the {method,url} object and a whole listed report', () => {
		expect(reportToken(TOKEN, BASE)).toBe(TOKEN);
		expect(reportToken(` ${URL_} `, BASE)).toBe(TOKEN);
		expect(reportToken({ method: 'GET', url: URL_ }, BASE)).toBe(TOKEN);
		expect(reportToken({ report_name: 'Daily', download_action: URL_ }, BASE)).toBe(TOKEN);
		expect(
			reportToken({ report_name: 'Daily', download_action: { method: 'GET', url: URL_ } }, BASE),
		).toBe(TOKEN);
	});

	it('refuses a URL on another host: the credential must not be sent there', () => {
		expect(() =>
			reportToken(`https://evil.example.com/b/api/v1/reports/files/${TOKEN}/download/`, BASE),
		).toThrow(
			'The report address is on evil.example.com, not on your Ottu instance merchant.ottu.net',
		);
	});

	it('refuses things that are not reports', () => {
		expect(() => reportToken(`${BASE}/b/checkout/v1/pymt-txn/abc/`, BASE)).toThrow(
			'is not a report download link',
		);
		expect(() => reportToken('', BASE)).toThrow('Report is required');
		expect(() => reportToken('not a token!', BASE)).toThrow(
			'neither a report token nor a download link',
		);
		expect(() => reportToken({ name: 'x' }, BASE)).toThrow('no download_action or url');
	});
});

describe('file name and type from the response headers', () => {
	it.each([
		['attachment; filename="daily report.csv"', 'daily report.csv'],
		['attachment; filename=report.xlsx', 'report.xlsx'],
		[
			'attachment; filename*=UTF-8\'\'%D8%AA%D9%82%D8%B1%D9%8A%D8%B1.csv; filename="fallback.csv"',
			'تقرير.csv',
		],
		['attachment; filename="../../etc/passwd"', 'passwd'],
		['attachment; filename=".."', undefined],
		['inline', undefined],
		[undefined, undefined],
	])('%p → %p', (header, expected) => {
		expect(fileNameFromContentDisposition(header)).toBe(expected);
	});

	it('drops MIME parameters and picks an extension when Ottu gives no name', () => {
		expect(bareMimeType('text/csv; charset=utf-8')).toBe('text/csv');
		expect(
			fallbackFileName(TOKEN, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
		).toBe(`ottu-report-${TOKEN}.xlsx`);
		expect(fallbackFileName(TOKEN, undefined)).toBe(`ottu-report-${TOKEN}.csv`);
	});
});
