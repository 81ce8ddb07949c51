import { createHash, randomBytes } from 'node:crypto';

/** Identifiers Ottu hands out: session ids, reference numbers, card tokens. */

/** A checkout's (or an operation child's) session_id: 40 lowercase hex characters. */
export function newSessionId(): string {
	return createHash('sha1').update(randomBytes(32)).digest('hex');
}

/** Ottu reference numbers look like "<merchant prefix><digits>"; unique per attempt / operation. */
export function newReferenceNumber(): string {
	return `sbx${BigInt(`0x${randomBytes(6).toString('hex')}`)
		.toString()
		.padStart(15, '0')}`;
}

export function newCardToken(): string {
	return BigInt(`0x${randomBytes(7).toString('hex')}`)
		.toString()
		.padStart(16, '9')
		.slice(0, 16);
}
