import type { FastifyInstance, FastifyRequest } from 'fastify';

import { fieldErrors } from '../core/drf';
import { chargeInstrument, validateInstrument } from '../core/instruments';
import { validate } from '../core/schema';
import {
	checkoutSchema,
	createTransaction,
	findTransaction,
	serializeTransaction,
	updateTransaction,
} from '../core/transactions';
import type { Principal, SandboxContext } from '../context';

/**
 * Checkout API: create, retrieve and update a payment transaction (one-step checkout pays it at
 * once).
 */

/**
 * One-step checkout: create the transaction and pay it server-to-server with `payment_instrument` in the same
 * call; the answer is the payment-webhook payload (Ottu's DirectPaymentResponse).
 */
function oneStepCheckout(
	ctx: SandboxContext,
	body: Record<string, unknown>,
	principal?: Principal,
): Record<string, unknown> {
	const errors: Record<string, unknown> = {};
	const instrument = validateInstrument(body.payment_instrument);
	if (instrument.errors) errors.payment_instrument = instrument.errors;
	if (Array.isArray(body.pg_codes) && body.pg_codes.length !== 1)
		errors.pg_codes = ['Exactly one pg_code is allowed with payment_instrument.'];
	if (Object.keys(errors).length > 0) {
		// Report these together with the checkout's own field errors.
		const { errors: more } = validate(checkoutSchema, body);
		throw fieldErrors({ ...more, ...errors });
	}
	const txn = createTransaction(ctx, body, principal);
	return chargeInstrument(ctx, txn, instrument.type!, instrument.payload!);
}

/** Basic users need "Can use <pg_code>" for every gateway they put on a transaction. */
function requireGateways(ctx: SandboxContext, request: FastifyRequest, codes: unknown): void {
	if (!Array.isArray(codes)) return;
	for (const code of codes)
		if (typeof code === 'string') ctx.requirePermission(request, `use_pg:${code}`);
}

export function registerCheckout(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/checkout/v1/pymt-txn/', async (request, reply) => {
		const body = (request.body ?? {}) as Record<string, unknown>;
		ctx.requirePermission(request, `add_${(body.type as string | undefined) ?? 'payment_request'}`);
		requireGateways(ctx, request, body.pg_codes);
		if (body.payment_instrument !== undefined) {
			const direct = oneStepCheckout(ctx, body, request.principal);
			return reply.status(201).send(direct);
		}
		const txn = createTransaction(ctx, body, request.principal);
		return reply.status(201).send(serializeTransaction(ctx, txn));
	});

	app.get<{ Params: { session_id: string } }>(
		'/b/checkout/v1/pymt-txn/:session_id/',
		async (request) => {
			const txn = findTransaction(ctx, request.params.session_id);
			ctx.requirePermission(request, `view_${txn.type}`);
			return serializeTransaction(ctx, txn);
		},
	);

	for (const method of ['PATCH', 'PUT'] as const) {
		app.route<{ Params: { session_id: string } }>({
			method,
			url: '/b/checkout/v1/pymt-txn/:session_id/',
			handler: async (request) => {
				const txn = findTransaction(ctx, request.params.session_id);
				const body = (request.body ?? {}) as Record<string, unknown>;
				ctx.requirePermission(request, `change_${txn.type}`);
				// PUT needs the existing gateways too; PATCH only the ones it sets.
				if (method === 'PUT') requireGateways(ctx, request, txn.pg_codes);
				requireGateways(ctx, request, body.pg_codes);
				updateTransaction(ctx, txn, body, method === 'PATCH');
				return serializeTransaction(ctx, txn);
			},
		});
	}
}
