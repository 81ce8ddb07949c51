import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { detail, fieldErrors, MSG } from '../core/drf';
import { take } from '../core/rateLimit';
import { CsvReportStream, recordsAmount } from '../core/reportFiles';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { Report, ReportDownload } from '../core/store';
import { principalKey, requireAnyPermission } from '../context';
import type { SandboxContext } from '../context';

/**
 * Reports API: a paginated list of generated report files and their download (the files themselves,
 * and the storage origin some are served from, are in core/reportFiles.ts).
 */

const DAY = 86_400_000;
const PERMISSIONS = ['report.can_view_report', 'report.view_report'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const listSchema: Schema = {
	created_after: { kind: 'string', format: 'date' },
	created_before: { kind: 'string', format: 'date' },
	interval: { kind: 'string', choices: ['daily', 'weekly', 'monthly', 'yearly'] },
	source: { kind: 'string', choices: ['auto', 'manual'] },
	limit: { kind: 'int', min: 1 },
	offset: { kind: 'int', min: 0 },
};

const DEFAULT_LIMIT = 10;

function dayStart(date: string): number {
	return Date.parse(`${date}T00:00:00Z`);
}

function pageUrl(
	base: string,
	query: Record<string, string>,
	limit: number,
	offset: number | null,
): string {
	const params = new URLSearchParams({ ...query });
	params.set('limit', String(limit));
	if (offset === null || offset <= 0) params.delete('offset');
	else params.set('offset', String(offset));
	return `${base}/b/api/v1/reports/files/?${params.toString()}`;
}

/** The download token of `report` for `user`: the same one while it is valid, else a new one. */
function tokenFor(ctx: SandboxContext, user: string, report: Report): string {
	const now = ctx.store.clock.now();
	const indexKey = `${user}|${report.encrypted_id}`;
	const existing = ctx.store.reportTokenIndex.get(indexKey);
	const known = existing ? ctx.store.reportTokens.get(existing) : undefined;
	if (known && known.expires_at > now) return known.token;
	const token = randomUUID();
	ctx.store.reportTokens.set(token, {
		token,
		report: report.encrypted_id,
		user,
		expires_at: now + ctx.config.reportTokenTtlSeconds * 1000,
	});
	ctx.store.reportTokenIndex.set(indexKey, token);
	return token;
}

/** The list's filters, checked; without dates, the last 30 days (sandbox clock). */
function listFilters(ctx: SandboxContext, query: Record<string, string>) {
	const { data, errors } = validate(listSchema, query);
	if (
		!errors.created_before &&
		!errors.created_after &&
		data.created_after &&
		data.created_before &&
		(data.created_before as string) < (data.created_after as string)
	) {
		errors.created_before = ['created_before must be the same as or later than created_after.'];
	}
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const now = ctx.store.clock.now();
	const after = data.created_after
		? dayStart(data.created_after as string)
		: data.created_before
			? -Infinity
			: now - 30 * DAY;
	const before = data.created_before ? dayStart(data.created_before as string) + DAY : Infinity;
	const limit = Math.min(
		ctx.config.reportsMaxPageSize,
		(data.limit as number | undefined) ?? DEFAULT_LIMIT,
	);
	return { data, after, before, limit, offset: (data.offset as number | undefined) ?? 0 };
}

function reportJson(ctx: SandboxContext, user: string, r: Report): Record<string, unknown> {
	return {
		encrypted_id: r.encrypted_id,
		report_name: r.report_name,
		interval: r.interval,
		source: r.source,
		file_format: r.file_format,
		records_amount: recordsAmount(r.size_bytes),
		status: r.status,
		generated_at: new Date(r.generated_at).toISOString(),
		created_at: new Date(r.created_at).toISOString(),
		download_action: {
			method: 'GET',
			url: `${ctx.baseUrl()}/b/api/v1/reports/files/${tokenFor(ctx, user, r)}/download/`,
		},
	};
}

function listReports(
	ctx: SandboxContext,
	request: FastifyRequest<{ Querystring: Record<string, string> }>,
): Record<string, unknown> {
	requireAnyPermission(request, PERMISSIONS);
	const { data, after, before, limit, offset } = listFilters(ctx, request.query);
	const matching = ctx.store.reports.filter(
		(r) =>
			r.status === 'finished' &&
			r.created_at >= after &&
			r.created_at < before &&
			(!data.interval || r.interval === data.interval) &&
			(!data.source || r.source === data.source),
	);
	const user = principalKey(request.principal);
	const filters = Object.fromEntries(
		Object.entries(request.query).filter(([k]) => k !== 'limit' && k !== 'offset'),
	);
	const base = ctx.baseUrl();
	return {
		count: matching.length,
		next: offset + limit < matching.length ? pageUrl(base, filters, limit, offset + limit) : null,
		previous: offset > 0 ? pageUrl(base, filters, limit, offset - limit) : null,
		results: matching.slice(offset, offset + limit).map((r) => reportJson(ctx, user, r)),
	};
}

/**
 * The report a download token stands for: the token's checks first (a refused token spends no quota),
 * then the per-user download limit.
 */
function reportOfToken(ctx: SandboxContext, request: FastifyRequest, token: string): Report {
	requireAnyPermission(request, PERMISSIONS);
	const user = principalKey(request.principal);
	const now = ctx.store.clock.now();
	if (!UUID.test(token)) throw detail(400, 'Invalid download token.');
	const entry = ctx.store.reportTokens.get(token);
	if (!entry) throw detail(404, MSG.notFound);
	if (entry.user !== user) throw detail(403, 'You are not authorized to download this file.');
	if (entry.expires_at <= now)
		throw detail(
			410,
			'This download link has expired. List the reports again to get a fresh link.',
		);
	const report = ctx.store.reports.find((r) => r.encrypted_id === entry.report);
	if (!report) throw detail(404, MSG.notFound);
	const { reportDownloadsPerHour, reportDownloadWindowSeconds } = ctx.config.limits;
	const limit = take(
		ctx.store.hits,
		`download:${user}`,
		reportDownloadsPerHour,
		reportDownloadWindowSeconds * 1000,
		now,
	);
	if (!limit.ok)
		throw detail(
			429,
			MSG.throttled(limit.retryAfter),
			{},
			{ 'Retry-After': String(limit.retryAfter) },
		);
	return report;
}

async function downloadReport(
	ctx: SandboxContext,
	request: FastifyRequest<{ Params: { token: string } }>,
	reply: FastifyReply,
): Promise<FastifyReply> {
	const report = reportOfToken(ctx, request, request.params.token);
	const filename = `${report.report_name.replace(/[^A-Za-z0-9._-]+/g, '_')}.csv`;
	if (ctx.reportStorage.reports.has(report.encrypted_id))
		return reply.redirect(await ctx.reportStorage.presign(report, filename), 302);
	reply
		.header('Content-Type', 'text/csv; charset=utf-8')
		.header('Content-Disposition', `attachment; filename="${filename}"`);
	if (!report.unsized) reply.header('Content-Length', String(report.size_bytes));
	return reply.send(countedFile(ctx, report));
}

/** The file as a stream, counting in the store's download log the bytes handed to the connection. */
function countedFile(ctx: SandboxContext, report: Report): Readable {
	const entry: ReportDownload = {
		encrypted_id: report.encrypted_id,
		size_bytes: report.size_bytes,
		sent_bytes: 0,
	};
	if (ctx.store.reportDownloads.length >= 10_000) ctx.store.reportDownloads.splice(0, 5000);
	ctx.store.reportDownloads.push(entry);
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			entry.sent_bytes += chunk.length;
			done(null, chunk);
		},
	});
	const file = new CsvReportStream(report.size_bytes);
	// A client that stops reading destroys the counter; the file stops being generated with it.
	counter.once('close', () => file.destroy());
	return file.pipe(counter);
}

export function registerReports(app: FastifyInstance, ctx: SandboxContext): void {
	app.get<{ Querystring: Record<string, string> }>('/b/api/v1/reports/files/', async (request) =>
		listReports(ctx, request),
	);
	app.get<{ Params: { token: string } }>(
		'/b/api/v1/reports/files/:token/download/',
		async (request, reply) => downloadReport(ctx, request, reply),
	);
}
