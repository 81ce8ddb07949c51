import Decimal from 'decimal.js';

import { MSG, typeName } from './drf';

/**
 * A small serializer in the manner of Django REST Framework, which Ottu is built on: each field
 * validates and converts one value and reports DRF's own messages, so the sandbox refuses exactly
 * what Ottu refuses, in Ottu's words. Schemas for each endpoint are written from Ottu's OpenAPI facts.
 */
export type Field =
	| {
			kind: 'string';
			required?: boolean;
			max?: number;
			choices?: readonly string[];
			format?: 'email' | 'url' | 'date';
			pattern?: RegExp;
			allowBlank?: boolean;
			nullable?: boolean;
	  }
	| {
			kind: 'decimal';
			required?: boolean;
			maxWhole?: number;
			maxDecimals?: number;
			min?: string;
			nullable?: boolean;
	  }
	| { kind: 'int'; required?: boolean; min?: number; max?: number; nullable?: boolean }
	| { kind: 'bool'; required?: boolean }
	| { kind: 'list'; required?: boolean; of: Field; allowEmpty?: boolean; nullable?: boolean }
	| { kind: 'object'; required?: boolean; fields: Schema; nullable?: boolean }
	| { kind: 'dict'; required?: boolean; nullable?: boolean; values?: Field }
	| { kind: 'any'; required?: boolean };

export type Schema = Record<string, Field>;

export interface Validated {
	data: Record<string, unknown>;
	errors: Record<string, unknown>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isUrl(v: string): boolean {
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

type Result = { value?: unknown; error?: unknown };
type FieldOf<K extends Field['kind']> = Extract<Field, { kind: K }>;

function checkString(field: FieldOf<'string'>, value: unknown): Result {
	if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
	if (typeof value !== 'string') return { error: [MSG.string] };
	const text = value.trim();
	if (text === '' && !field.allowBlank) return { error: [MSG.blank] };
	if (field.max !== undefined && text.length > field.max)
		return { error: [MSG.maxLength(field.max)] };
	if (field.choices && !field.choices.includes(text)) return { error: [MSG.choice(text)] };
	if (field.format === 'email' && text !== '' && !EMAIL.test(text)) return { error: [MSG.email] };
	if (field.format === 'url' && text !== '' && !isUrl(text)) return { error: [MSG.url] };
	// Django's RegexValidator searches the value and says only this.
	if (field.pattern && text !== '' && !field.pattern.test(text))
		return { error: ['Enter a valid value.'] };
	if (field.format === 'date' && text !== '' && !DATE.test(text)) {
		return { error: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] };
	}
	return { value: text };
}

function checkDecimal(field: FieldOf<'decimal'>, value: unknown): Result {
	if (typeof value !== 'string' && typeof value !== 'number') return { error: [MSG.number] };
	const text = String(value).trim();
	if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(text)) return { error: [MSG.number] };
	const [whole, frac = ''] = text.replace('-', '').split('.');
	const wholeDigits = whole.replace(/^0+/, '').length;
	if (field.maxDecimals !== undefined && frac.length > field.maxDecimals)
		return { error: [MSG.decimals(field.maxDecimals)] };
	if (field.maxWhole !== undefined && wholeDigits > field.maxWhole)
		return { error: [MSG.wholeDigits(field.maxWhole)] };
	const d = new Decimal(text);
	if (field.min !== undefined && d.lessThan(field.min)) return { error: [MSG.minValue(field.min)] };
	return { value: text };
}

function checkInt(field: FieldOf<'int'>, value: unknown): Result {
	const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n)) return { error: [MSG.integer] };
	if (field.min !== undefined && n < field.min)
		return { error: [`Ensure this value is greater than or equal to ${field.min}.`] };
	if (field.max !== undefined && n > field.max)
		return { error: [`Ensure this value is less than or equal to ${field.max}.`] };
	return { value: n };
}

function checkBool(_field: FieldOf<'bool'>, value: unknown): Result {
	if (typeof value === 'boolean') return { value };
	if (value === 'true' || value === 'True' || value === 1 || value === '1') return { value: true };
	if (value === 'false' || value === 'False' || value === 0 || value === '0')
		return { value: false };
	return { error: [MSG.bool] };
}

function checkList(field: FieldOf<'list'>, value: unknown): Result {
	if (!Array.isArray(value)) return { error: [MSG.list(typeName(value))] };
	if (value.length === 0 && !field.allowEmpty) return { error: [MSG.emptyList] };
	const out: unknown[] = [];
	const errors: Record<string, unknown> = {};
	value.forEach((v, i) => {
		const r = validateField(field.of, v);
		if (r.error !== undefined) errors[i] = r.error;
		else out.push(r.value);
	});
	if (Object.keys(errors).length > 0 && field.of.kind === 'object') {
		// A nested serializer with many=True: one entry per item, {} for the valid ones.
		return { error: value.map((_v, i) => errors[i] ?? {}) };
	}
	if (Object.keys(errors).length > 0) {
		// DRF reports list-child errors by index; a single flat message list reads better for scalars.
		const flat = Object.values(errors).every((e) => Array.isArray(e));
		return { error: flat ? Object.values(errors).flat() : errors };
	}
	return { value: out };
}

function checkObject(field: FieldOf<'object'>, value: unknown): Result {
	if (typeof value !== 'object' || Array.isArray(value))
		return {
			error: {
				non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(value)}.`],
			},
		};
	const r = validate(field.fields, value as Record<string, unknown>);
	if (Object.keys(r.errors).length > 0) return { error: r.errors };
	return { value: r.data };
}

function checkDict(field: FieldOf<'dict'>, value: unknown): Result {
	if (typeof value !== 'object' || Array.isArray(value))
		return { error: [MSG.dict(typeName(value))] };
	if (!field.values) return { value };
	// A DictField with a child: errors keyed by the entry's key.
	const out: Record<string, unknown> = {};
	const errors: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		const r = validateField(field.values, v);
		if (r.error !== undefined) errors[key] = r.error;
		else out[key] = r.value;
	}
	return Object.keys(errors).length > 0 ? { error: errors } : { value: out };
}

const CHECKS: { [K in Field['kind']]: (field: FieldOf<K>, value: unknown) => Result } = {
	string: checkString,
	decimal: checkDecimal,
	int: checkInt,
	bool: checkBool,
	list: checkList,
	object: checkObject,
	dict: checkDict,
	any: (_field, value) => ({ value }),
};

/** Validates one value; returns [value] or an error (string list or nested map). */
export function validateField(field: Field, value: unknown): Result {
	if (value === null) {
		if ('nullable' in field && field.nullable) return { value: null };
		return { error: [MSG.null] };
	}
	const check = CHECKS[field.kind] as (field: Field, value: unknown) => Result;
	return check(field, value);
}

/** Validates a body against a schema. `partial` is PATCH: nothing is required. */
export function validate(
	schema: Schema,
	body: Record<string, unknown>,
	partial = false,
): Validated {
	const data: Record<string, unknown> = {};
	const errors: Record<string, unknown> = {};
	for (const [name, field] of Object.entries(schema)) {
		const present = Object.prototype.hasOwnProperty.call(body, name) && body[name] !== undefined;
		if (!present) {
			if (field.required && !partial) errors[name] = [MSG.required];
			continue;
		}
		const r = validateField(field, body[name]);
		if (r.error !== undefined) errors[name] = r.error;
		else data[name] = r.value;
	}
	return { data, errors };
}
