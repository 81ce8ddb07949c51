import { createHmac } from 'node:crypto';

import {
	signStandard,
	signExtended,
	standardMessage,
	extendedMessage,
	withSignature,
} from '../../sandbox/core/signature';
import {
	DOC_STANDARD_VECTOR,
	SDK_EXTENDED_VECTOR,
	SDK_STANDARD_VECTOR,
} from '../helpers/signatureVectors';

/** Independent HMAC-SHA256 hex, to check the sandbox's signer against published vectors. */
const hmac = (key: string, msg: string) => createHmac('sha256', key).update(msg).digest('hex');

describe('webhook signatures (Ottu published test vectors)', () => {
	it('standard scheme: the documentation example', () => {
		const { key, payload, message, signature } = DOC_STANDARD_VECTOR;
		expect(hmac(key, message)).toBe(signature);
		expect(standardMessage(payload)).toBe(message);
		expect(signStandard(payload, key)).toBe(signature);
	});

	it('standard scheme: SDK fixture, unsigned keys ignored, order by key name', () => {
		const { key, payload, message, signature } = SDK_STANDARD_VECTOR;
		expect(hmac(key, message)).toBe(signature);
		expect(standardMessage(payload)).toBe(message);
		expect(signStandard(payload, key)).toBe(signature);
	});

	it('extended scheme: SDK golden vector (ottu-py: subscription scheme) (empty state skipped, nested token signed)', () => {
		const { key, payload, message, signature } = SDK_EXTENDED_VECTOR;
		expect(hmac(key, message)).toBe(signature);
		expect(extendedMessage(payload)).toBe(message);
		expect(signExtended(payload, key)).toBe(signature);
	});

	it('skips null and empty values but keeps "0"', () => {
		expect(
			standardMessage({ amount: '0', order_no: null, customer_email: '', state: 'paid' }),
		).toBe('amount0statepaid');
	});

	it('withSignature picks the extended scheme for auto-debit payloads and replaces any old signature', () => {
		const std = withSignature({ amount: '1.000', state: 'paid', signature: 'old' }, 'k');
		expect(std.signature).toBe(hmac('k', 'amount1.000statepaid'));
		const sub = withSignature(
			{ amount: '1.000', payment_type: 'auto_debit', agreement: { id: 'ag-1' } },
			'k',
		);
		expect(sub.signature).toBe(
			hmac('k', 'agreement.id=ag-1\namount=1.000\npayment_type=auto_debit'),
		);
	});
});
