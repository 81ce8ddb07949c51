import { selectTransaction } from '../../nodes/Ottu/helpers/identifier';
import { OttuInputError } from '../../nodes/Ottu/helpers/errors';

describe('selecting a transaction by session_id or order_no', () => {
	it('sends exactly the chosen identifier, trimmed', () => {
		expect(selectTransaction('sessionId', ' abc ', '')).toEqual({ session_id: 'abc' });
		expect(selectTransaction('orderNo', undefined, 'ORD-1')).toEqual({ order_no: 'ORD-1' });
		expect(selectTransaction('orderNo', '', 1045)).toEqual({ order_no: '1045' });
	});

	const fails = (fn: () => unknown) => {
		try {
			fn();
		} catch (error) {
			expect(error).toBeInstanceOf(OttuInputError);
			return error as OttuInputError;
		}
		throw new Error('expected a refusal');
	};

	it('refuses both identifiers at once, saying which to clear', () => {
		const error = fails(() => selectTransaction('sessionId', 'abc', 'ORD-1'));
		expect(error.message).toBe('Both a Session ID ("abc") and an Order No ("ORD-1") were given');
		expect(error.hint).toContain('clear Order No');
		expect(error.field).toBe('orderNo');
	});

	it('refuses a missing identifier and suggests the other one', () => {
		const error = fails(() => selectTransaction('sessionId', '', ''));
		expect(error.message).toBe('Session ID is required, got an empty value');
		expect(error.hint).toContain('Identify By to Order No');
		expect(fails(() => selectTransaction('orderNo', '', '  ')).message).toBe(
			'Order No is required, got "  "',
		);
	});

	it('refuses identifiers longer than Ottu allows and unknown modes', () => {
		expect(fails(() => selectTransaction('sessionId', 'x'.repeat(129), '')).message).toContain(
			'at most 128',
		);
		expect(fails(() => selectTransaction('invoice', 'abc', '')).field).toBe('identifyBy');
		expect(fails(() => selectTransaction('sessionId', { id: 1 }, '')).message).toBe(
			'Session ID must be text, got an object',
		);
	});
});
