import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { fieldErrors } from '../core/drf';
import type { Charge } from '../core/instruments';
import {
	applePaySchema,
	autoDebitCharge,
	autoDebitSchema,
	googlePaySchema,
	appWalletCharge,
	walletSchema,
	walletCharge,
} from '../core/instruments';
import { transactionOr404 } from '../core/payments';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { SandboxContext } from '../context';

/**
 * Native Payments API: Apple Pay, Google Pay, the customer's wallet service and auto-debit on an
 * existing session (the charges themselves are in core/instruments.ts, shared with one-step
 * checkout).
 */

function chargeRoute(ctx: SandboxContext, schema: Schema, charge: Charge) {
	return async (request: FastifyRequest, reply: FastifyReply) => {
		const { data, errors } = validate(schema, (request.body ?? {}) as Record<string, unknown>);
		if (Object.keys(errors).length > 0) throw fieldErrors(errors);
		const txn = transactionOr404(ctx, { session_id: data.session_id });
		ctx.requirePermission(request, `add_${txn.type}`);
		// Assumption (§2.8 does not say): a second attempt on a session that is already paid or authorized is
		// refused like any payment of a settled session (§3.1: paid/authorized take no new payment), with 400
		// {detail, result: "failed"}. The node never repeats a charge on its own, so it is safe if Ottu charged again.
		const { status, answer } = charge(ctx, txn, data);
		return reply.status(status).send(answer);
	};
}

export function registerNativePayments(app: FastifyInstance, ctx: SandboxContext): void {
	app.post(
		'/b/pbl/v2/payment/apple-pay/',
		chargeRoute(ctx, applePaySchema, appWalletCharge('ApplePay')),
	);
	app.post(
		'/b/pbl/v2/payment/google-pay/',
		chargeRoute(ctx, googlePaySchema, appWalletCharge('GooglePay')),
	);
	app.post('/b/pbl/v2/payment/auto-debit/', chargeRoute(ctx, autoDebitSchema, autoDebitCharge));
	app.post('/b/pbl/v2/payment/wallet/', chargeRoute(ctx, walletSchema, walletCharge));
	// The legacy path the Python SDK still uses.
	app.post('/b/pbl/v2/auto-debit/', chargeRoute(ctx, autoDebitSchema, autoDebitCharge));
}
