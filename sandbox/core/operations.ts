import type { SandboxContext } from '../context';
import { detail, MSG } from './drf';
import { operationPayload } from './payloads';
import { decimalsOf, signerOf } from './payments';
import { settleQueuedRefund } from './stateMachine';
import type { Transaction } from './store';

/** Operation webhooks, and the gateway's late answer to a queued refund. */

export function sendOperationWebhook(
	ctx: SandboxContext,
	txn: Transaction,
	payload: Record<string, unknown>,
): void {
	const url = txn.fields.webhook_url as string | undefined;
	if (url) void ctx.webhooks.send(url, 'operation', txn.session_id, payload);
}

/** A queued refund settles at the gateway; the operation webhook announces it. */
export function settleRefund(
	ctx: SandboxContext,
	childSessionId: string,
	outcome: 'refunded' | 'refund_rejected',
): Record<string, unknown> {
	const parentId = ctx.store.children.get(childSessionId);
	const txn = parentId ? ctx.store.transactions.get(parentId) : undefined;
	if (!txn) throw detail(404, MSG.notFound);
	const result = settleQueuedRefund(txn, childSessionId, outcome, decimalsOf(txn.currency_code));
	if (!result.ok) throw detail(400, result.detail);
	Object.assign(txn, result.ledger);
	const record = txn.operations.find((o) => o.child_session_id === childSessionId)!;
	const payload = operationPayload({
		txn,
		child: result.child,
		record,
		gateway: ctx.store.gateway(result.child.pg_code),
		signer: signerOf(ctx),
		timestamp: ctx.store.clock.timestampUtc(),
		rejected: outcome === 'refund_rejected',
	});
	sendOperationWebhook(ctx, txn, payload);
	return payload;
}
