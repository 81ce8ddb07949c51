import type { FastifyInstance } from 'fastify';

import { detail, fieldErrors, MSG } from '../core/drf';
import { cardJson } from '../core/payloads';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { Card } from '../core/store';
import type { SandboxContext } from '../context';
import { newCardToken } from './payments';

const listSchema: Schema = {
	customer_id: { kind: 'string', required: true, max: 64 },
	type: { kind: 'string', required: true, choices: ['sandbox', 'production'] },
	pg_codes: { kind: 'list', of: { kind: 'string', max: 50 }, allowEmpty: true },
	agreement_id: { kind: 'string', max: 128 },
};

const seedSchema: Schema = {
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

/** A card is expired after the last day of its expiry month (sandbox clock). */
export function isExpired(card: Card, now: Date): boolean {
	const year = 2000 + Number(card.expiry_year);
	const month = Number(card.expiry_month);
	return now.getTime() >= Date.UTC(year, month, 1);
}

export function cardAnswer(ctx: SandboxContext, card: Card): Record<string, unknown> {
	return { ...cardJson(card), is_expired: isExpired(card, ctx.store.clock.date()) };
}

export function registerCards(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/pbl/v2/card/', async (request) => {
		const { data, errors } = validate(listSchema, (request.body ?? {}) as Record<string, unknown>);
		if (Object.keys(errors).length > 0) throw fieldErrors(errors);
		const sandbox = data.type === 'sandbox';
		const pgCodes = data.pg_codes as string[] | undefined;
		let cards = [...ctx.store.cards.values()].filter(
			(c) =>
				c.customer_id === data.customer_id &&
				c.is_sandbox === sandbox &&
				(!pgCodes?.length || pgCodes.includes(c.pg_code)),
		);
		if (data.agreement_id) {
			// At most one: the latest card used for that agreement.
			cards = cards.filter((c) => c.agreements.includes(data.agreement_id as string)).slice(-1);
		}
		cards.sort(
			(a, b) => Number(b.is_preferred) - Number(a.is_preferred) || b.created_at - a.created_at,
		);
		return cards.map((c) => cardAnswer(ctx, c));
	});

	app.delete<{ Params: { token: string }; Querystring: Record<string, string> }>(
		'/b/pbl/v2/card/:token/',
		async (request, reply) => {
			const q = request.query;
			const { data, errors } = validate(
				{ customer_id: listSchema.customer_id, type: listSchema.type },
				q,
			);
			if (Object.keys(errors).length > 0) throw fieldErrors(errors);
			const card = ctx.store.cards.get(request.params.token);
			if (
				!card ||
				card.customer_id !== data.customer_id ||
				card.is_sandbox !== (data.type === 'sandbox')
			)
				throw detail(404, MSG.notFound);
			if (card.agreements.length > 0) {
				throw detail(
					400,
					`This card is linked to the active auto-debit agreement(s) ${card.agreements.join(', ')} and cannot be deleted until another card is chosen for them.`,
				);
			}
			ctx.store.cards.delete(card.token);
			reply.status(204).send();
		},
	);

	// Test set-up: a saved card as if a customer had tokenized it earlier.
	app.post('/__sandbox/cards', async (request, reply) => {
		const { data, errors } = validate(seedSchema, (request.body ?? {}) as Record<string, unknown>);
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
		reply.status(201);
		return cardAnswer(ctx, card);
	});
}
