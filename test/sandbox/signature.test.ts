import { createHmac } from 'node:crypto';

import {
	signStandard,
	signExtended,
	standardMessage,
	extendedMessage,
	withSignature,
} from '../../sandbox/core/signature';

/** Independent HMAC-SHA256 hex, to check the sandbox's signer against published vectors. */
const hmac = (key: string, msg: string) => createHmac('sha256', key).update(msg).digest('hex');

describe('webhook signatures (Ottu published test vectors)', () => {
	it('standard scheme: the documentation example', () => {
		const payload = {
			amount: '86.000',
			currency_code: 'KWD',
			customer_first_name: 'example-customer',
		};
		const expected = '6143b8ad4bd283540721ab000f6de746e722231aaaa90bc38f639081d3ff9f67';
		expect(
			hmac('pu9MpX3yPR', 'amount86.000currency_codeKWDcustomer_first_nameexample-customer'),
		).toBe(expected);
		expect(standardMessage(payload)).toBe(
			'amount86.000currency_codeKWDcustomer_first_nameexample-customer',
		);
		expect(signStandard(payload, 'pu9MpX3yPR')).toBe(expected);
	});

	it('standard scheme: SDK fixture, unsigned keys ignored, order by key name', () => {
		const payload = {
			amount: '50.000',
			currency_code: 'KWD',
			gateway_name: 'knet',
			gateway_account: 'default',
			order_no: 'ord-1',
			reference_number: 'ref-1',
			result: 'success',
			state: 'paid',
			customer_id: 'cust-top',
			session_id: 'sess-1',
		};
		const message =
			'amount50.000currency_codeKWDgateway_accountdefaultgateway_nameknetorder_noord-1reference_numberref-1resultsuccessstatepaid';
		const expected = '5768ccbefbfc7a3872827d727567b75e6b3ce2cc24c64509dab2d09596def8c9';
		expect(hmac('test-key', message)).toBe(expected);
		expect(standardMessage(payload)).toBe(message);
		expect(signStandard(payload, 'test-key')).toBe(expected);
	});

	it('extended scheme: SDK golden vector (ottu-py: subscription scheme) (empty state skipped, nested token signed)', () => {
		const payload = {
			amount: '100.000',
			result: 'success',
			session_id: 'sess-1',
			token: { token: 'tok-1', brand: 'VISA' },
			state: '',
		};
		const message = 'amount=100.000\nresult=success\nsession_id=sess-1\ntoken.token=tok-1';
		const expected = '46ba93a62680c8750567583bb8074e37ccaadc6f374268b78a0c574c8424baff';
		expect(hmac('test-key', message)).toBe(expected);
		expect(extendedMessage(payload)).toBe(message);
		expect(signExtended(payload, 'test-key')).toBe(expected);
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
