import type { SandboxContext } from '../context';
import { pay } from './payments';

const MINUTE = 60_000;

/** States in which Ottu asks the gateways again; paid/authorized answer at once. */
export const RECHECK = ['pending', 'attempted', 'failed', 'expired'];

/** States an inquiry answers without asking the gateway; any other state is refused. */
export const ANSWERED_AT_ONCE = ['paid', 'authorized'];

/**
 * Ottu's automatic inquiry: once a gateway's session timeout (its inquiry_minutes) has passed since the last
 * attempt, Ottu asks the gateway itself and sends the webhook. Runs whenever the sandbox clock is moved.
 */
export function runAutomaticInquiries(ctx: SandboxContext): number {
	const now = ctx.store.clock.now();
	let applied = 0;
	for (const txn of ctx.store.transactions.values()) {
		if (!txn.pg_pending || txn.deleted || !RECHECK.includes(txn.state)) continue;
		const last = txn.attempts[txn.attempts.length - 1];
		const minutes = ctx.store.gateway(last?.pg_code ?? txn.pg_codes[0])?.inquiry_minutes;
		if (
			minutes === null ||
			minutes === undefined ||
			now < (last?.at ?? txn.created_at) + minutes * MINUTE
		)
			continue;
		const outcome = txn.pg_pending;
		txn.pg_pending = undefined;
		try {
			pay(ctx, txn, outcome, { pg_code: last?.pg_code });
			applied += 1;
		} catch {
			// The gateway's late answer no longer applies.
		}
	}
	return applied;
}
