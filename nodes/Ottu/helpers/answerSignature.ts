/**
 * Ottu signs the synchronous answers of native charges (auto-debit, Apple Pay, Google Pay, wallet) the
 * way it signs webhooks. When the credential has a Webhook HMAC Key, the answer's signature is checked
 * and the output says `signature_verified`; an answer not signed by this Ottu instance fails the item.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rawValueOf } from '../../ottuSignature/rawJson';
import type { SignatureScheme } from '../../ottuSignature/signature';
import { checkEnvelope, envelopeOf, signedAt } from '../../ottuSignature/signature';
import { CREDENTIAL_TYPE } from '../transport';

/** Where the key is, named as in the credential's own field description. */
const KEY_LOCATION = 'Ottu dashboard → Webhook Config → General';

async function hmacKeyOf(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	return typeof credentials.hmacSecret === 'string' ? credentials.hmacSecret.trim() : '';
}

/** The scheme a signed answer for this session verifies with, or what is wrong with it. */
function checkAnswer(
	answer: IDataObject,
	key: string,
	sessionId: string,
): { scheme: SignatureScheme } | { problem: string } {
	// The transport has parsed the body: numbers are JavaScript's text (Ottu writes amounts as strings).
	const envelope = envelopeOf(rawValueOf(answer));
	if (!envelope.readable) return { problem: 'it carries no valid signature' };
	const check = checkEnvelope(envelope, key);
	if (!check.valid)
		return { problem: "its signature does not match the credential's Webhook HMAC Key" };
	const signedSession =
		check.scheme === 'current' ? signedAt(envelope.root, 'session_id') : undefined;
	if (signedSession !== undefined && signedSession !== sessionId)
		return { problem: `it is signed for another payment (session_id ${signedSession})` };
	return { scheme: check.scheme };
}

/**
 * The charge's answer with `signature_verified` (and the scheme that verified it), or an item error when
 * the credential has a key and the answer is not signed by this Ottu instance. A 3-D Secure challenge
 * (no payment result yet) carries no signature and is passed on unverified.
 */
export async function verifyChargeAnswer(
	ctx: IExecuteFunctions,
	itemIndex: number,
	answer: IDataObject,
	sessionId: string,
): Promise<IDataObject> {
	const key = await hmacKeyOf(ctx, itemIndex);
	const signed = answer.signature !== undefined || answer.result !== undefined;
	if (key === '' || !signed) return { ...answer, signature_verified: false };
	const checked = checkAnswer(answer, key, sessionId);
	if ('scheme' in checked)
		return { ...answer, signature_verified: true, signature_scheme: checked.scheme };
	throw new NodeOperationError(
		ctx.getNode(),
		`Ottu's answer to this charge cannot be trusted: ${checked.problem} [item ${itemIndex}]`,
		{
			itemIndex,
			description:
				`The answer is not signed by this Ottu instance, so its result was not used. The charge may have happened: check it with Payment Transaction → Get (session_id ${sessionId}) before charging again. ` +
				`If the Webhook HMAC Key was changed in Ottu, copy it again from ${KEY_LOCATION} into the credential.`,
		},
	);
}
