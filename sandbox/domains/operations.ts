import type { FastifyInstance, FastifyRequest } from 'fastify';

import { detail, fieldErrors } from '../core/drf';
import { operationPayload, operationStatusPayload } from '../core/payloads';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import { newReferenceNumber, newSessionId } from '../core/ids';
import { sendOperationWebhook } from '../core/operations';
import {
	attemptGateway,
	buildPaymentPayload,
	decimalsOf,
	lookupTransaction,
	sendPaymentWebhook,
	signerOf,
	trackingKey,
	transactionOr404,
} from '../core/payments';
import { applyOperation, EXTERNAL_OPERATIONS, OPERATIONS } from '../core/stateMachine';
import type { ExternalOperation, OperationName } from '../core/stateMachine';
import type { Transaction } from '../core/store';
import type { SandboxContext } from '../context';

const schema: Schema = {
	operation: { kind: 'string', required: true, choices: OPERATIONS },
	session_id: { kind: 'string', max: 128 },
	order_no: { kind: 'string', max: 128 },
	amount: { kind: 'decimal', maxWhole: 13, maxDecimals: 3 },
	extra: { kind: 'dict' },
	destination: { kind: 'string', choices: ['pg', 'wallet'] },
};

const INTERNAL_DONE: Record<string, string> = {
	cancel: 'The payment transaction has been canceled.',
	expire: 'The payment transaction has been expired.',
	delete: 'The payment transaction has been deleted.',
};

function initiatorOf(request: FastifyRequest): string | undefined {
	return request.principal?.kind === 'user' ? request.principal.user.username : undefined;
}

/**
 * The same Tracking-Key on the same transaction: Ottu stored the key on the child of a successful operation
 * and now answers with that operation's latest status instead of carrying out a new one; the operation and
 * amount of the repeat are ignored (digest §2.6).
 */
function replay(
	ctx: SandboxContext,
	txn: Transaction,
	key: string,
): Record<string, unknown> | undefined {
	const child = txn.children.find((c) => c.tracking_key === key);
	if (!child) return undefined;
	return operationStatusPayload({
		txn,
		child,
		gateway: ctx.store.gateway(child.pg_code),
		signer: signerOf(ctx),
		timestamp: ctx.store.clock.timestampUtc(),
	});
}

/**
 * The Tracking-Key is stored when an operation is initiated (OpenAPI, the Tracking-Key header): a repeat while
 * that operation has no outcome yet is refused with Ottu's `operation_tracking` failure (assumption: the answer
 * Ottu gives then is not documented beyond that failure value). The `slow_work` fault makes the work itself
 * slow, after the key was stored, so it finishes after a client that gave up.
 */
async function performOperation(
	ctx: SandboxContext,
	request: FastifyRequest,
): Promise<Record<string, unknown>> {
	const body = (request.body ?? {}) as Record<string, unknown>;
	const key = trackingKey(request);
	const txn = key ? lookupTransaction(ctx, body) : undefined;
	if (!key || !txn || !EXTERNAL_OPERATIONS.includes(body.operation as ExternalOperation))
		return await carryOut(ctx, request);
	const slot = `${txn.session_id} ${key}`;
	if (ctx.store.keysInFlight.has(slot))
		throw detail(400, 'An operation with this Tracking-Key is still being processed.', {
			operation: 'operation_tracking',
			result: 'failed',
		});
	ctx.store.keysInFlight.add(slot);
	try {
		return await carryOut(ctx, request);
	} finally {
		ctx.store.keysInFlight.delete(slot);
	}
}

async function carryOut(
	ctx: SandboxContext,
	request: FastifyRequest,
): Promise<Record<string, unknown>> {
	const slow = request.fault?.kind === 'slow_work' ? Number(request.fault.params.ms ?? 1000) : 0;
	if (slow > 0) await new Promise((resolve) => setTimeout(resolve, slow));
	return doOperation(ctx, request);
}

/** POST /b/pbl/v2/operation/ — refund, capture, void, cancel, expire, delete. */
function doOperation(ctx: SandboxContext, request: FastifyRequest): Record<string, unknown> {
	const body = (request.body ?? {}) as Record<string, unknown>;
	const { data, errors } = validate(schema, body);
	if (Object.keys(errors).length > 0) throw fieldErrors(errors);
	const operation = data.operation as OperationName;
	ctx.requirePermission(request, `payment.${operation}`);
	if (!data.session_id && !data.order_no) {
		throw detail(400, 'Either session_id or order_no must be provided.', {
			operation,
			result: 'failed',
		});
	}
	const txn = transactionOr404(ctx, data);
	const external = EXTERNAL_OPERATIONS.includes(operation as ExternalOperation);
	const key = external ? trackingKey(request) : undefined;
	if (key) {
		const previous = replay(ctx, txn, key);
		if (previous) return previous;
	}
	if (data.destination === 'wallet') {
		throw detail(400, 'Refunds to the customer wallet are not enabled for this payment gateway.', {
			operation,
			result: 'failed',
		});
	}
	const gateway = attemptGateway(ctx, txn);
	const decimals = decimalsOf(txn.currency_code);
	const childSessionId = newSessionId();
	const result = applyOperation(txn, {
		operation,
		amount: data.amount as string | undefined,
		gateway,
		decimals,
		at: ctx.store.clock.now(),
		child_session_id: childSessionId,
		reference_number: newReferenceNumber(),
		order_no: txn.order_no ?? null,
		tracking_key: key,
	});
	if (!result.ok) throw detail(400, result.detail, { operation, result: 'failed' });
	Object.assign(txn, result.ledger);
	txn.updated_at = ctx.store.clock.now();
	if (!result.child) {
		if (result.stateChanged)
			sendPaymentWebhook(ctx, txn, buildPaymentPayload(ctx, txn, 'canceled'));
		return { detail: INTERNAL_DONE[operation], operation, result: 'success' };
	}
	ctx.store.children.set(childSessionId, txn.session_id);
	const answer = operationPayload({
		txn,
		child: result.child,
		record: result.record,
		gateway,
		signer: signerOf(ctx),
		timestamp: ctx.store.clock.timestampUtc(),
		initiator: initiatorOf(request),
	});
	sendOperationWebhook(ctx, txn, answer);
	return answer;
}

export function registerOperations(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/pbl/v2/operation/', async (request) => await performOperation(ctx, request));
}
