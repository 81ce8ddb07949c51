import type { IDataObject } from 'n8n-workflow';

import { COUNTRIES } from './countries';
import { describeValue, OttuInputError } from './errors';

/** A required text parameter, trimmed; refuses empty values and values over Ottu's max length. */
export function requireText(
	value: unknown,
	field: string,
	maxLength?: number,
	hint?: string,
): string {
	const text = optionalText(value, field, maxLength, hint);
	if (text === undefined) {
		throw new OttuInputError(field, `${field} is required, got ${describeValue(value)}`, hint);
	}
	return text;
}

/** An optional text parameter; numbers from expressions are accepted as their text. */
export function optionalText(
	value: unknown,
	field: string,
	maxLength?: number,
	hint?: string,
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
	if (typeof value !== 'string') {
		throw new OttuInputError(
			field,
			`${field} must be text, got ${describeValue(value)}`,
			hint ?? 'Enter text, or an expression that gives text (e.g. {{ $json.id }})',
		);
	}
	const text = value.trim();
	if (text === '') return undefined;
	if (maxLength !== undefined && text.length > maxLength) {
		throw new OttuInputError(
			field,
			`${field} is ${text.length} characters long; Ottu allows at most ${maxLength}`,
			hint ?? `Shorten it to ${maxLength} characters or fewer`,
		);
	}
	return text;
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

function parseJson(text: string): { value: unknown } | { problem: string } {
	try {
		return { value: JSON.parse(text) };
	} catch (error) {
		return { problem: (error as Error).message };
	}
}

export function optionalUrl(value: unknown, field: string): string | undefined {
	const text = optionalText(value, field, 2000);
	if (text === undefined) return undefined;
	const url = parseUrl(text);
	if (!url) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(text)} is not a web address`,
			'Use a full URL starting with https://, e.g. https://shop.example.com/ottu/webhook',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new OttuInputError(
			field,
			`${field} must start with https:// or http:// (got ${url.protocol}//)`,
			'e.g. https://shop.example.com/ottu/webhook',
		);
	}
	return text;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function optionalEmail(value: unknown, field: string): string | undefined {
	const text = optionalText(value, field, 128);
	if (text !== undefined && !EMAIL.test(text)) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(text)} is not an email address`,
			'e.g. customer@example.com',
		);
	}
	return text;
}

/** A JSON object given as an object (from an expression) or as JSON text. */
export function optionalJsonObject(value: unknown, field: string): IDataObject | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return undefined;
		const result = parseJson(value);
		if ('problem' in result) {
			throw new OttuInputError(
				field,
				`${field} is not valid JSON: ${result.problem}`,
				'Enter a JSON object, e.g. {"customer_ref": "A-17"}',
			);
		}
		parsed = result.value;
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new OttuInputError(
			field,
			`${field} must be a JSON object, got ${describeValue(parsed)}`,
			'Enter a JSON object, e.g. {"customer_ref": "A-17"}',
		);
	}
	refuseReservedKeys(parsed, field);
	return parsed as IDataObject;
}

/** Keys n8n drops whenever it copies an item (n8n-workflow's deepCopy skips them). */
export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Refuses a reserved key as data: it could never come back intact in an output or a webhook. */
export function refuseReservedKey(key: string, field: string, inside?: string): void {
	if (RESERVED_KEYS.includes(key)) {
		throw new OttuInputError(
			field,
			`${field} uses the key "${key}"${inside ? ` inside "${inside}"` : ''}, which n8n cannot keep`,
			`Rename the key (e.g. "${key.replace(/_/g, '')}_value"): n8n drops ${RESERVED_KEYS.join(', ')} keys whenever it copies data, so it would be lost`,
		);
	}
}

function refuseReservedKeys(value: unknown, field: string, path: string[] = []): void {
	if (value === null || typeof value !== 'object') return;
	if (Array.isArray(value)) return value.forEach((v) => refuseReservedKeys(v, field, path));
	for (const [key, inner] of Object.entries(value)) {
		refuseReservedKey(key, field, path.join('.') || undefined);
		refuseReservedKeys(inner, field, [...path, key]);
	}
}

const CODE_LIST_HINT =
	'Give the codes as a list of text, e.g. ["knet", "credit-card"], or as text separated by commas';

/** A list of codes given as an array, or as comma-separated text from an expression. */
export function codeList(value: unknown, field: string): string[] {
	let list: unknown[];
	if (Array.isArray(value)) list = value;
	else if (typeof value === 'string') list = value.split(',');
	else if (value === undefined || value === null) list = [];
	else
		throw new OttuInputError(
			field,
			`${field} must be a list of codes, got ${describeValue(value)}`,
			CODE_LIST_HINT,
		);
	const codes = list
		.map((v) => (typeof v === 'string' ? v.trim() : v))
		.filter((v) => v !== '' && v !== undefined && v !== null);
	for (const code of codes) {
		if (typeof code !== 'string') {
			throw new OttuInputError(
				field,
				`${field} must contain text codes, got ${describeValue(code)}`,
				CODE_LIST_HINT,
			);
		}
	}
	return [...new Set(codes as string[])];
}

/** Drops undefined, null and empty-string values: Ottu wants irrelevant optional fields left out. */
export function compact<T extends IDataObject>(obj: T): T {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(obj)) {
		if (value === undefined || value === null || value === '') continue;
		out[key] = value;
	}
	return out as T;
}

/** An optional boolean; "true"/"false" text from expressions is accepted. */
export function optionalBoolean(value: unknown, field: string): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw new OttuInputError(field, `${field} must be true or false, got ${describeValue(value)}`);
}

/** An optional whole number within [min, max]; numeric text from expressions is accepted. */
export function optionalInteger(
	value: unknown,
	field: string,
	min?: number,
	max?: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n)) {
		throw new OttuInputError(field, `${field} must be a whole number, got ${describeValue(value)}`);
	}
	if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
		const range =
			min !== undefined && max !== undefined
				? `between ${min} and ${max}`
				: min !== undefined
					? `at least ${min}`
					: `at most ${max}`;
		throw new OttuInputError(field, `${field} must be ${range}, got ${n}`);
	}
	return n;
}

function pad(n: number): string {
	return String(n).padStart(2, '0');
}

function parseDateInput(value: unknown): Date | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	) {
		return parseDateInput((value as { toISO: () => string }).toISO());
	}
	if (typeof value !== 'string') return undefined;
	const date = new Date(value.trim());
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * An optional calendar date sent as YYYY-MM-DD. Accepts that form, or anything with a time that
 * n8n's date picker or an expression produces (its date part is kept as written).
 */
export function optionalDate(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return undefined;
		const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text);
		if (m) {
			const check = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
			if (check.getUTCMonth() === Number(m[2]) - 1 && check.getUTCDate() === Number(m[3]))
				return `${m[1]}-${m[2]}-${m[3]}`;
		}
		throw new OttuInputError(
			field,
			`${field} ${describeValue(value)} is not a date`,
			'Use the form YYYY-MM-DD, e.g. 2026-12-31',
		);
	}
	const date = parseDateInput(value);
	if (!date)
		throw new OttuInputError(
			field,
			`${field} ${describeValue(value)} is not a date`,
			'Use the form YYYY-MM-DD, e.g. 2026-12-31',
		);
	return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * An optional date and time for Ottu's `due_datetime`, sent as DD/MM/YYYY HH:MM in UTC, the form
 * Ottu documents. Text already in that form is passed through.
 */
export function optionalDueDatetime(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string' && /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}(:\d{2})?$/.test(value.trim()))
		return value.trim();
	const date = parseDateInput(value);
	if (!date) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(value)} is not a date and time`,
			'Pick a date, or write it as DD/MM/YYYY HH:MM (UTC), e.g. 31/12/2026 18:00',
		);
	}
	return `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** Email addresses given as a list or as comma-separated text. */
export function emailList(value: unknown, field: string): string[] | undefined {
	const list = codeList(value, field);
	if (list.length === 0) return undefined;
	for (const email of list) {
		if (!EMAIL.test(email)) {
			throw new OttuInputError(
				field,
				`${field} contains ${describeValue(email)}, which is not an email address`,
				'Separate addresses with commas, e.g. accounts@example.com, sales@example.com',
			);
		}
	}
	return list;
}

/** A two-letter ISO 3166-1 country code Ottu lists, uppercased. */
export function countryCode(value: unknown, field: string, required: boolean): string | undefined {
	const text = required
		? requireText(value, field, undefined, 'Use a two-letter country code such as KW, SA or AE')
		: optionalText(value, field);
	if (text === undefined) return undefined;
	const code = text.toUpperCase();
	if (!/^[A-Z]{2}$/.test(code)) {
		throw new OttuInputError(
			field,
			`${field} ${describeValue(text)} is not a two-letter country code`,
			'Use an ISO 3166 code such as KW, SA, AE, BH, QA or OM',
		);
	}
	if (!COUNTRIES.has(code)) {
		const hint =
			code === 'UK'
				? 'The United Kingdom is GB'
				: 'Use an ISO 3166-1 alpha-2 code such as KW, SA, AE, BH, QA, OM or GB';
		throw new OttuInputError(
			field,
			`${field} ${describeValue(text)} is not an ISO 3166-1 country code Ottu accepts`,
			hint,
		);
	}
	return code;
}

/** Codes from a fixed list Ottu documents, given as a list or comma-separated text. */
export function allowedCodes(value: unknown, field: string, allowed: readonly string[]): string[] {
	const codes = codeList(value, field);
	const wrong = codes.filter((c) => !allowed.includes(c));
	if (wrong.length > 0) {
		throw new OttuInputError(
			field,
			`${field} cannot include "${wrong.join('", "')}"`,
			`Ottu accepts only: ${allowed.join(', ')}`,
		);
	}
	return codes;
}
