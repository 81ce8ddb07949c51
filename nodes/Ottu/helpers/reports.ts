import type { INodeProperties } from 'n8n-workflow';

import { describeValue, OttuInputError } from './errors';
import { apiPath, pathSegment, REPORT_TOKEN, segmentText } from './pathSegment';

const DOWNLOAD_PATH = /\/b\/api\/v1\/reports\/files\/([^/?#]+)\/download\/?$/;
const TOKEN = /^[A-Za-z0-9_.~-]{1,200}$/;

/** The download path of a report, under the instance. */
export function reportDownloadPath(token: string): string {
	return apiPath`/b/api/v1/reports/files/${pathSegment(token, 'Report', REPORT_TOKEN)}/download/`;
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** The token of a download link, which must be on the credential's own instance. */
function tokenFromUrl(text: string, baseUrl: string): string {
	const url = parseUrl(text);
	if (!url) {
		throw new OttuInputError(
			'report',
			`Report ${describeValue(text)} is not a valid address`,
			'Use the download_action URL from Report → Get Many',
		);
	}
	const base = new URL(baseUrl);
	if (url.host !== base.host) {
		throw new OttuInputError(
			'report',
			`The report address is on ${url.host}, not on your Ottu instance ${base.host}`,
			'Only reports of the instance in the credential can be downloaded; list them again with this credential',
		);
	}
	const match = DOWNLOAD_PATH.exec(url.pathname);
	if (!match) {
		throw new OttuInputError(
			'report',
			`The address ${describeValue(text)} is not a report download link`,
			'Use the download_action URL from Report → Get Many',
		);
	}
	return segmentText(decodedToken(match[1], text), 'Report', REPORT_TOKEN);
}

/** The token part of a link, %-decoded; a broken %-escape (e.g. "%E0%A4%A") is refused, not thrown raw. */
function decodedToken(raw: string, link: string): string {
	let decoded: string | undefined;
	try {
		decoded = decodeURIComponent(raw);
	} catch {
		decoded = undefined;
	}
	if (decoded === undefined) {
		throw new OttuInputError(
			'report',
			`The report link ${describeValue(link)} has a broken %-escape in its token`,
			'Copy the download_action URL from Report → Get Many again, or pass the report itself ({{ $json }})',
		);
	}
	return decoded;
}

/**
 * The report token from whatever the user passes: the token itself, the `download_action` URL of a
 * listed report, `download_action` as Ottu's `{method, url}` object, or the whole listed report.
 * A URL must point at the credential's own instance: the credential is never sent anywhere else.
 */
export function reportToken(value: unknown, baseUrl: string): string {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const obj = value as Record<string, unknown>;
		if (obj.download_action !== undefined) return reportToken(obj.download_action, baseUrl);
		if (obj.url !== undefined) return reportToken(obj.url, baseUrl);
		throw new OttuInputError(
			'report',
			'The report has no download_action or url',
			'Pass a report from Report → Get Many, its download_action, or its token',
		);
	}
	if (typeof value !== 'string' || value.trim() === '') {
		throw new OttuInputError(
			'report',
			`Report is required, got ${describeValue(value)}`,
			'Use {{ $json.download_action }} from Report → Get Many, or a report token',
		);
	}
	const text = value.trim();
	if (/^https?:\/\//i.test(text)) return tokenFromUrl(text, baseUrl);
	if (!TOKEN.test(text)) {
		throw new OttuInputError(
			'report',
			`Report ${describeValue(text)} is neither a report token nor a download link`,
			'Use {{ $json.download_action }} from Report → Get Many',
		);
	}
	return segmentText(text, 'Report', REPORT_TOKEN);
}

/** The file name from a Content-Disposition header (RFC 6266, with RFC 5987 `filename*`), made safe. */
export function fileNameFromContentDisposition(header: string | undefined): string | undefined {
	if (!header) return undefined;
	let name: string | undefined;
	const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
	if (extended) {
		try {
			name = decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
		} catch {
			name = undefined;
		}
	}
	if (!name) {
		const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
		if (plain) name = (plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1]).trim();
	}
	if (!name) return undefined;
	const safe = name
		.replace(/^.*[\\/]/, '')
		.split('')
		.filter((c) => c.charCodeAt(0) >= 0x20)
		.join('')
		.trim();
	return safe === '' || safe === '.' || safe === '..' ? undefined : safe;
}

const EXTENSIONS: Record<string, string> = {
	'text/csv': 'csv',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'application/vnd.ms-excel': 'xls',
	'application/pdf': 'pdf',
	'application/zip': 'zip',
	'application/json': 'json',
};

/** The MIME type without parameters ("text/csv; charset=utf-8" → "text/csv"). */
export function bareMimeType(header: string | undefined): string | undefined {
	const type = header?.split(';')[0].trim().toLowerCase();
	return type ? type : undefined;
}

/** A file name when Ottu gives none: the token and an extension from the MIME type. */
export function fallbackFileName(token: string, mimeType: string | undefined): string {
	const ext = (mimeType && EXTENSIONS[mimeType]) ?? 'csv';
	return `ottu-report-${token.slice(0, 36)}.${ext}`;
}

/** The Interval and Source filters of Ottu's report list, shared by Report → Get Many and the Ottu Report Trigger. */
export const REPORT_KIND_FILTERS: INodeProperties[] = [
	{
		displayName: 'Interval',
		name: 'interval',
		type: 'options',
		options: [
			{
				name: 'Daily',
				value: 'daily',
			},
			{
				name: 'Monthly',
				value: 'monthly',
			},
			{
				name: 'Weekly',
				value: 'weekly',
			},
			{
				name: 'Yearly',
				value: 'yearly',
			},
		],
		default: 'daily',
		description: 'Only reports covering this period length',
	},
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: [
			{
				name: 'Automatic',
				value: 'auto',
				description: 'Scheduled reports',
			},
			{
				name: 'Manual',
				value: 'manual',
				description: 'Reports requested in the dashboard',
			},
		],
		default: 'auto',
	},
];
