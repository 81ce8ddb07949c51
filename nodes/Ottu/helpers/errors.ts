/**
 * A problem with what the user entered, found before anything is sent to Ottu.
 * Pure modules throw it; the router turns it into a NodeOperationError for the item.
 */
export class OttuInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'OttuInputError';
	}
}

export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string')
		return value === ''
			? 'an empty value'
			: `"${value.length > 60 ? value.slice(0, 57) + '...' : value}"`;
	if (typeof value === 'number' || typeof value === 'boolean')
		return `${typeof value} ${String(value)}`;
	if (Array.isArray(value)) return 'a list';
	return 'an object';
}
