/**
 * Django REST Framework's error shapes and messages, which Ottu returns:
 * `{"field": ["message"]}` for validation, `{"detail": "..."}` for everything else.
 */
export type FieldErrors = Record<string, unknown>;

export const MSG = {
	required: 'This field is required.',
	blank: 'This field may not be blank.',
	null: 'This field may not be null.',
	maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
	choice: (v: unknown) => `"${String(v)}" is not a valid choice.`,
	string: 'Not a valid string.',
	email: 'Enter a valid email address.',
	url: 'Enter a valid URL.',
	number: 'A valid number is required.',
	decimals: (n: number) => `Ensure that there are no more than ${n} decimal places.`,
	wholeDigits: (n: number) =>
		`Ensure that there are no more than ${n} digits before the decimal point.`,
	minValue: (v: string) => `Ensure this value is greater than or equal to ${v}.`,
	list: (t: string) => `Expected a list of items but got type "${t}".`,
	emptyList: 'This list may not be empty.',
	bool: 'Must be a valid boolean.',
	dict: (t: string) => `Expected a dictionary of items but got type "${t}".`,
	integer: 'A valid integer is required.',
	notAuthenticated: 'Authentication credentials were not provided.',
	badCredentials: 'Invalid username/password.',
	badApiKey: 'Invalid API key.',
	permission: 'You do not have permission to perform this action.',
	notFound: 'Not found.',
	throttled: (s: number) => `Request was throttled. Expected available in ${s} seconds.`,
	parse: (m: string) => `JSON parse error - ${m}`,
};

export function typeName(v: unknown): string {
	if (v === null) return 'NoneType';
	if (Array.isArray(v)) return 'list';
	if (typeof v === 'string') return 'str';
	if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
	if (typeof v === 'boolean') return 'bool';
	return 'dict';
}

export class DrfError extends Error {
	constructor(
		readonly status: number,
		readonly body: Record<string, unknown>,
		readonly headers: Record<string, string> = {},
	) {
		super(typeof body.detail === 'string' ? body.detail : 'validation error');
	}
}

export function fieldErrors(errors: FieldErrors): DrfError {
	return new DrfError(400, errors);
}

export function detail(
	status: number,
	message: string,
	extra: Record<string, unknown> = {},
	headers: Record<string, string> = {},
): DrfError {
	return new DrfError(status, { detail: message, ...extra }, headers);
}
