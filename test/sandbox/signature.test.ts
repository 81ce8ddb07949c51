import { createHmac } from 'node:crypto';

import {
	currentMessage,
	previousMessage,
	signCurrent,
	signedBy,
	signPrevious,
	withSignature,
} from '../../sandbox/core/signature';
import {
	DOC_CURRENT_VECTOR,
	DOC_PREVIOUS_VECTOR,
	SDK_CURRENT_VECTOR,
	SDK_PREVIOUS_VECTOR,
} from '../helpers/signatureVectors';

/** Independent HMAC-SHA256 hex, to check the sandbox's signer against published vectors. */
const hmac = (key: string, msg: string) => createHmac('sha256', key).update(msg).digest('hex');

describe('sandbox signer (Ottu published test vectors)', () => {
	it("current scheme: the Verify Signatures page's example", () => {
		const { key, payload, message, signature } = DOC_CURRENT_VECTOR;
		expect(hmac(key, message)).toBe(signature);
		expect(currentMessage(payload)).toBe(message);
		expect(signCurrent(payload, key)).toBe(signature);
	});

	it('current scheme: SDK golden vector (empty state skipped, nested token signed)', () => {
		const { key, payload, message, signature } = SDK_CURRENT_VECTOR;
		expect(hmac(key, message)).toBe(signature);
		expect(currentMessage(payload)).toBe(message);
		expect(signCurrent(payload, key)).toBe(signature);
	});

	it('previous scheme: the earlier documentation example and the SDK fixture', () => {
		for (const { key, payload, message, signature } of [DOC_PREVIOUS_VECTOR, SDK_PREVIOUS_VECTOR]) {
			expect(hmac(key, message)).toBe(signature);
			expect(previousMessage(payload)).toBe(message);
			expect(signPrevious(payload, key)).toBe(signature);
		}
	});

	it('current scheme skips every falsy value; previous skips only null and ""', () => {
		const payload = {
			amount: '0',
			order_no: null,
			customer_email: '',
			customer_phone: 0,
			result: false,
			state: 'paid',
		};
		expect(currentMessage(payload)).toBe('amount=0\nstate=paid');
		expect(previousMessage(payload)).toBe('amount0customer_phone0resultfalsestatepaid');
	});

	it('withSignature signs with the current scheme unless told, replacing any old signature', () => {
		const current = withSignature({ amount: '1.000', state: 'paid', signature: 'old' }, 'k');
		expect(current.signature).toBe(hmac('k', 'amount=1.000\nstate=paid'));
		const previous = withSignature({ amount: '1.000', state: 'paid' }, 'k', 'previous');
		expect(previous.signature).toBe(hmac('k', 'amount1.000statepaid'));
	});

	it("signedBy puts the merchant ID in extra (keeping the merchant's own extra) and signs it", () => {
		const out = signedBy(
			{ amount: '1.000', extra: { basket: 'B-1' } },
			{ key: 'k', scheme: 'current', merchantId: 'merchant.ottu.net' },
		);
		expect(out.extra).toEqual({ basket: 'B-1', merchant_id: 'merchant.ottu.net' });
		expect(out.signature).toBe(hmac('k', 'amount=1.000\nextra.merchant_id=merchant.ottu.net'));
	});
});
