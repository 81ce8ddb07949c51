import type { FastifyInstance } from 'fastify';

import { cardAnswer } from '../core/cards';
import { detail, fieldErrors, MSG } from '../core/drf';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { SandboxContext } from '../context';

const listSchema: Schema = {
	customer_id: { kind: 'string', required: true, max: 64 },
	type: { kind: 'string', required: true, choices: ['sandbox', 'production'] },
	pg_codes: { kind: 'list', of: { kind: 'string', max: 50 }, allowEmpty: true },
	agreement_id: { kind: 'string', max: 128 },
};

/** Cards API: a customer's saved cards, and deleting one. */
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
}
