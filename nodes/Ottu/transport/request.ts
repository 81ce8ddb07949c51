import { sleep } from 'n8n-workflow';

import type { OttuStreamResponse } from './attempt';
import { attempt } from './attempt';
import { ottuError } from './errors';
import type { OttuFunctions, OttuRequest } from './prepare';
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
	const attempts: Attempts = { count: 0, waitedMs: 0, outcomeUnknown: false };
	for (;;) {
		attempts.count++;
		const outcome = await attempt(this, prepared);
		if (outcome.kind === 'answer') return outcome.value;
		const delay = retryDelay(outcome, prepared.policy, attempts);
		if (delay === undefined) throw ottuError(outcome.failure, prepared, attempts);
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
