import { describeValue, OttuInputError } from './errors';
import { requireText } from './validation';

/** What Ottu accepts for one identifier that goes into a URL path. */
export interface SegmentRule {
	/** Ottu's own format for it, when Ottu documents one. */
	pattern?: RegExp;
	maxLength: number;
	/** What is valid, in words, for the error. */
	valid: string;
	/** Where the user finds a good value. */
	hint: string;
}

/** A checked, encoded path segment: the only kind of value `apiPath` accepts. */
export type PathSegment = string & { readonly __pathSegment: true };

/** session_id: Ottu's OpenAPI gives the path pattern ^[-\w]+$; the operation schema allows at most 128. */
export const SESSION_ID: SegmentRule = {
	pattern: /^[-\w]+$/,
	maxLength: 128,
	valid: 'only letters, digits, - and _',
	hint: 'Use the session_id from the Create output or from an Ottu webhook',
};

/** A saved card's token: Ottu documents at most 50 characters and no pattern. */
export const CARD_TOKEN: SegmentRule = {
	maxLength: 50,
	valid: 'a saved-card token (at most 50 characters, no spaces or / \\ ? # %)',
	hint: 'Use the token from Card → Get Many',
};

/** A report download token: Ottu documents a UUID; letters, digits and - _ . ~ are let through. */
export const REPORT_TOKEN: SegmentRule = {
	pattern: /^[A-Za-z0-9_.~-]+$/,
	maxLength: 200,
	valid: 'a report token (letters, digits, - _ . ~)',
	hint: 'Use {{ $json.download_action }} from Report → Get Many',
};

// Characters a URL parser treats as structure rather than data, whatever the rule says.
const STRUCTURAL = /[/\\?#%\s\p{Cc}]/u;

function isDotSegment(text: string): boolean {
	return text === '.' || text === '..';
}

/**
 * The value of an identifier that goes into a URL path, checked against Ottu's format for it. `.` and
 * `..` (and / \ ? # % or spaces) would make URL resolution send the request to another endpoint, so
 * they are refused for every rule, including a future one without a pattern.
 */
export function segmentText(value: unknown, field: string, rule: SegmentRule): string {
	const text = requireText(value, field, rule.maxLength, rule.hint);
	if (isDotSegment(text) || STRUCTURAL.test(text) || (rule.pattern && !rule.pattern.test(text))) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(text)} is not valid: Ottu expects ${rule.valid}`,
			rule.hint,
		);
	}
	return text;
}

/** `segmentText`, encoded for the path. */
export function pathSegment(value: unknown, field: string, rule: SegmentRule): PathSegment {
	return encodeURIComponent(segmentText(value, field, rule)) as PathSegment;
}

/**
 * An API path with identifiers in it: `apiPath\`/b/pbl/v2/card/${pathSegment(...)}/\``. Only checked
 * segments can be interpolated, so no path can take raw user input.
 */
export function apiPath(strings: TemplateStringsArray, ...segments: PathSegment[]): string {
	return strings.reduce(
		(path, part, i) => path + part + (i < segments.length ? segments[i] : ''),
		'',
	);
}
