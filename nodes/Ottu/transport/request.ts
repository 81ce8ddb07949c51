import { sleep } from 'n8n-workflow';

import type { OttuStreamResponse } from './attempt';
import { attempt } from './attempt';
import { lostInEarlierTry, ottuError, outcomeUnknown, sentByEarlierExecution } from './errors';
import {
	forget,
	isRetry,
	journalSlot,
	markDone,
	markDurably,
	markSent,
	recall,
	unmarkDurably,
	writeIdentity,
} from './journal';
import type { OttuFunctions, OttuRequest, PreparedRequest } from './prepare';
import { nodeOf, prepareRequest, readCredential } from './prepare';
import type { Attempts } from './retry';
import { retryDelay } from './retry';

/**
 * The one way every Ottu operation talks to Ottu: authentication through n8n's credential system,
 * JSON in and out, readable errors without secrets, 429 back-off, and retries only where safe.
 * Each attempt says what came of it (attempt.ts); the policy says whether and when to send again
 * (retry.ts); a failure that ends the loop becomes one error (errors.ts).
 */
export async function ottuApiRequest(
	this: OttuFunctions,
	request: OttuRequest & { stream: true },
): Promise<OttuStreamResponse>;
export async function ottuApiRequest(this: OttuFunctions, request: OttuRequest): Promise<unknown>;
export async function ottuApiRequest(this: OttuFunctions, request: OttuRequest): Promise<unknown> {
	const prepared = await prepareRequest(this, request);
	const slot = journalSlot(this, request);
	if (slot === undefined) return await send(this, prepared);
	const earlier = recall(slot);
	if (earlier?.state === 'done') return earlier.value;
	if (earlier?.state === 'sent') {
		if (prepared.policy === 'once') throw lostInEarlierTry(prepared);
		request.onLostAnswer?.();
	}
	// A write sent once that no read can settle also leaves a mark outside the execution.
	const identity =
		prepared.policy === 'once' && !request.settledByRead ? writeIdentity(slot, request) : undefined;
	if (identity !== undefined && (await markDurably(this, identity)) && isRetry(this))
		throw sentByEarlierExecution(prepared);
	markSent(slot);
	const sent = await settle(send(this, prepared));
	if ('error' in sent) {
		// Refused, or never sent: a later try is a first try. A lost answer stays marked as sent.
		if (!outcomeUnknown(sent.error)) {
			forget(slot);
			if (identity !== undefined) await unmarkDurably(this, identity);
		}
		throw sent.error;
	}
	markDone(slot, sent.value);
	return sent.value;
}

/** A promise's value or its error, as a value. */
export async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
	return await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
}

/** Attempts until an answer, or until the retry policy says stop. */
async function send(ctx: OttuFunctions, prepared: PreparedRequest): Promise<unknown> {
	const { request } = prepared;
	const attempts: Attempts = { count: 0, waitedMs: 0, outcomeUnknown: false };
	for (;;) {
		attempts.count++;
		const outcome = await attempt(ctx, prepared);
		if (outcome.kind === 'answer') return outcome.value;
		// Another request with this Tracking-Key is being carried out: its outcome is not known yet.
		if (outcome.kind === 'in flight') attempts.outcomeUnknown = true;
		const delay = retryDelay(outcome, prepared.policy, attempts);
		if (delay === undefined)
			throw ottuError(
				outcome.failure,
				prepared,
				attempts,
				outcome.kind === 'unknown' || attempts.outcomeUnknown,
			);
		if (outcome.kind === 'unknown') {
			attempts.outcomeUnknown = true;
			request.onLostAnswer?.();
		}
		attempts.waitedMs += delay;
		await sleep(delay);
	}
}

/** The credential's instance address, normalised (no secret is read out). */
export async function ottuBaseUrl(this: OttuFunctions, itemIndex?: number): Promise<string> {
	return (await readCredential(this, nodeOf(this), itemIndex)).baseUrl;
}
