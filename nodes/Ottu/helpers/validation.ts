import type { IDataObject } from 'n8n-workflow';

import { describeValue, OttuInputError } from './errors';

/** A required text parameter, trimmed; refuses empty values and values over Ottu's max length. */
export function requireText(value: unknown, field: string, maxLength?: number, hint?: string): string {
	const text = optionalText(value, field, maxLength, hint);
	if (text === undefined) {
		throw new OttuInputError(field, `${field} is required, got ${describeValue(value)}`, hint);
	}
	return text;
}

/** An optional text parameter; numbers from expressions are accepted as their text. */
export function optionalText(value: unknown, field: string, maxLength?: number, hint?: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
	if (typeof value !== 'string') {
		throw new OttuInputError(field, `${field} must be text, got ${describeValue(value)}`, hint);
	}
	const text = value.trim();
	if (text === '') return undefined;
	if (maxLength !== undefined && text.length > maxLength) {
		throw new OttuInputError(field, `${field} is ${text.length} characters long; Ottu allows at most ${maxLength}`, hint);
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
		throw new OttuInputError(field, `${field} ${describeValue(text)} is not a web address`, 'Use a full URL starting with https://, e.g. https://shop.example.com/ottu/webhook');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new OttuInputError(field, `${field} must start with https:// or http:// (got ${url.protocol}//)`, 'e.g. https://shop.example.com/ottu/webhook');
	}
	return text;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function optionalEmail(value: unknown, field: string): string | undefined {
	const text = optionalText(value, field, 128);
	if (text !== undefined && !EMAIL.test(text)) {
		throw new OttuInputError(field, `${field} ${describeValue(text)} is not an email address`, 'e.g. customer@example.com');
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
			throw new OttuInputError(field, `${field} is not valid JSON: ${result.problem}`, 'Enter a JSON object, e.g. {"customer_ref": "A-17"}');
		}
		parsed = result.value;
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new OttuInputError(field, `${field} must be a JSON object, got ${describeValue(parsed)}`, 'Enter a JSON object, e.g. {"customer_ref": "A-17"}');
	}
	return parsed as IDataObject;
}

/** A list of codes given as an array, or as comma-separated text from an expression. */
export function codeList(value: unknown, field: string): string[] {
	let list: unknown[];
	if (Array.isArray(value)) list = value;
	else if (typeof value === 'string') list = value.split(',');
	else if (value === undefined || value === null) list = [];
	else throw new OttuInputError(field, `${field} must be a list of codes, got ${describeValue(value)}`);
	const codes = list.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '' && v !== undefined && v !== null);
	for (const code of codes) {
		if (typeof code !== 'string') {
			throw new OttuInputError(field, `${field} must contain text codes, got ${describeValue(code)}`);
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
