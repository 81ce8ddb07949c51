import { OttuInputError } from '../../nodes/Ottu/helpers/errors';

/**
 * Runs `fn`, expects it to throw the node's OttuInputError (a refusal of the user's input) and returns
 * that error for the test to check its message, hint and field. Fails the test when `fn` returns.
 */
export function fails(fn: () => unknown): OttuInputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(OttuInputError);
		return error as OttuInputError;
	}
	throw new Error('expected a refusal');
}
