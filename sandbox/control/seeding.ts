import { cardAnswer } from '../core/cards';
import { fieldErrors, MSG } from '../core/drf';
import { newCardToken } from '../core/ids';
import { MIN_REPORT_BYTES, seedReports } from '../core/reportFiles';
import type { ReportSeed } from '../core/reportFiles';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { Card } from '../core/store';
import type { SandboxContext } from '../context';

/** Control handlers that set up state a test starts from: saved cards, report files. */

const cardSchema: Schema = {
	customer_id: { kind: 'string', required: true, max: 64 },
	pg_code: { kind: 'string', required: true, max: 50 },
	token: { kind: 'string', max: 50 },
	agreements: { kind: 'list', of: { kind: 'string', max: 128 }, allowEmpty: true },
	brand: { kind: 'string', max: 32 },
	number: { kind: 'string', max: 19 },
	name_on_card: { kind: 'string', max: 64 },
	expiry_month: { kind: 'string', max: 2 },
	expiry_year: { kind: 'string', max: 2 },
	cvv_required: { kind: 'bool' },
	is_preferred: { kind: 'bool' },
};

const reportSchema: Schema = {
	report_name: { kind: 'string', max: 255 },
	size_bytes: { kind: 'int', min: MIN_REPORT_BYTES, max: 8 * 1024 ** 3 },
	interval: { kind: 'string', choices: ['daily', 'weekly', 'monthly', 'yearly'] },
	source: { kind: 'string', choices: ['auto', 'manual'] },
	status: { kind: 'string', choices: ['in_progress', 'finished', 'expired'] },
	count: { kind: 'int', min: 1, max: 100_000 },
	days_ago: { kind: 'int', min: 0, max: 3650 },
	storage: { kind: 'string', choices: ['local', 's3'] },
	content_length: { kind: 'bool' },
};

/** A saved card as if a customer had tokenized it earlier. */
export function seedCard(ctx: SandboxContext, body: unknown): Record<string, unknown> {
	const { data, errors } = validate(cardSchema, (body ?? {}) as Record<string, unknown>);
	const gateway = typeof data.pg_code === 'string' ? ctx.store.gateway(data.pg_code) : undefined;
	if (data.pg_code !== undefined && !gateway) errors.pg_code = [MSG.choice(data.pg_code)];
	if (typeof data.token === 'string' && ctx.store.cards.has(data.token))
		errors.token = ['A card with this token exists.'];
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const year = (ctx.store.clock.date().getUTCFullYear() + 3) % 100;
	const card: Card = {
		token: (data.token as string | undefined) ?? newCardToken(),
		customer_id: data.customer_id as string,
		pg_code: gateway!.code,
		pg_name: gateway!.pg_name,
		brand: (data.brand as string | undefined) ?? 'VISA',
		number: (data.number as string | undefined) ?? '**** 1111',
		name_on_card: (data.name_on_card as string | undefined) ?? null,
		expiry_month: (data.expiry_month as string | undefined) ?? '12',
		expiry_year: (data.expiry_year as string | undefined) ?? String(year).padStart(2, '0'),
		cvv_required: (data.cvv_required as boolean | undefined) ?? false,
		is_preferred: (data.is_preferred as boolean | undefined) ?? false,
		is_sandbox: gateway!.is_sandbox,
		agreements: (data.agreements as string[] | undefined) ?? [],
		created_at: ctx.store.clock.now(),
	};
	ctx.store.cards.set(card.token, card);
	return cardAnswer(ctx, card);
}

/**
 * Adds reports (e.g. thousands to page through, or one of 512 MB to stream; `storage: "s3"` to
 * redirect).
 */
export function seedReportFiles(ctx: SandboxContext, body: unknown): Record<string, unknown> {
	const { data, errors } = validate(reportSchema, (body ?? {}) as Record<string, unknown>);
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const created = seedReports([data as ReportSeed], ctx.store.clock.now());
	if (data.storage === 's3') created.forEach((r) => ctx.reportStorage.reports.add(r.encrypted_id));
	ctx.store.reports = [...ctx.store.reports, ...created].sort(
		(a, b) => b.created_at - a.created_at,
	);
	return { created: created.length, encrypted_ids: created.map((r) => r.encrypted_id) };
}
