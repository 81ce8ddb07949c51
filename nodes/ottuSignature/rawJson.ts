/**
 * A small JSON reader that keeps what JSON.parse throws away: the exact text of numbers and literals.
 * Ottu signs the text of each value as it serialised it, so "86.000" sent as a bare number must be signed
 * as 86.000, not as the 86 that JSON.parse would give back.
 */

export type RawValue =
	| { type: 'object'; text: string; members: Map<string, RawValue> }
	| { type: 'array'; text: string }
	| { type: 'string'; value: string }
	| { type: 'number' | 'true' | 'false' | 'null'; text: string };

export class RawJsonError extends Error {
	constructor(
		message: string,
		readonly position: number,
	) {
		super(`${message} at position ${position}`);
		this.name = 'RawJsonError';
	}
}

// Deeper than any real Ottu payload; stops a hostile body from exhausting the stack.
const MAX_DEPTH = 256;

const ESCAPES: Record<string, string> = {
	'"': '"',
	'\\': '\\',
	'/': '/',
	b: '\b',
	f: '\f',
	n: '\n',
	r: '\r',
	t: '\t',
};

class Reader {
	private pos = 0;

	constructor(private readonly text: string) {}

	document(): RawValue {
		const value = this.value(0);
		this.skipSpace();
		if (this.pos !== this.text.length)
			throw new RawJsonError('Unexpected text after the JSON value', this.pos);
		return value;
	}

	private skipSpace(): void {
		const t = this.text;
		while (this.pos < t.length) {
			const c = t.charCodeAt(this.pos);
			if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
			else break;
		}
	}

	private value(depth: number): RawValue {
		if (depth > MAX_DEPTH) throw new RawJsonError('JSON nested too deeply', this.pos);
		this.skipSpace();
		const c = this.text[this.pos];
		if (c === '{') return this.object(depth);
		if (c === '[') return this.array(depth);
		if (c === '"')
			return {
				type: 'string',
				value: this.string(),
			};
		if (c === '-' || (c >= '0' && c <= '9'))
			return {
				type: 'number',
				text: this.number(),
			};
		for (const literal of ['true', 'false', 'null'] as const) {
			if (this.text.startsWith(literal, this.pos)) {
				this.pos += literal.length;
				return {
					type: literal,
					text: literal,
				};
			}
		}
		throw new RawJsonError(
			c === undefined ? 'Unexpected end of JSON' : `Unexpected character ${JSON.stringify(c)}`,
			this.pos,
		);
	}

	private object(depth: number): RawValue {
		const start = this.pos;
		this.pos++;
		// Later duplicates win, as with JSON.parse, so what is verified is what the workflow receives.
		const members = new Map<string, RawValue>();
		this.skipSpace();
		if (this.text[this.pos] === '}') {
			this.pos++;
			return {
				type: 'object',
				text: this.text.slice(start, this.pos),
				members,
			};
		}
		for (;;) {
			this.skipSpace();
			if (this.text[this.pos] !== '"') throw new RawJsonError('Expected a property name', this.pos);
			const key = this.string();
			this.skipSpace();
			if (this.text[this.pos] !== ':') throw new RawJsonError('Expected ":"', this.pos);
			this.pos++;
			members.set(key, this.value(depth + 1));
			this.skipSpace();
			const next = this.text[this.pos++];
			if (next === '}') break;
			if (next !== ',') throw new RawJsonError('Expected "," or "}"', this.pos - 1);
		}
		return {
			type: 'object',
			text: this.text.slice(start, this.pos),
			members,
		};
	}

	private array(depth: number): RawValue {
		const start = this.pos;
		this.pos++;
		this.skipSpace();
		if (this.text[this.pos] === ']') {
			this.pos++;
			return {
				type: 'array',
				text: this.text.slice(start, this.pos),
			};
		}
		for (;;) {
			this.value(depth + 1);
			this.skipSpace();
			const next = this.text[this.pos++];
			if (next === ']') break;
			if (next !== ',') throw new RawJsonError('Expected "," or "]"', this.pos - 1);
		}
		return {
			type: 'array',
			text: this.text.slice(start, this.pos),
		};
	}

	private string(): string {
		const t = this.text;
		this.pos++;
		let out = '';
		let chunkStart = this.pos;
		for (;;) {
			if (this.pos >= t.length) throw new RawJsonError('Unterminated string', this.pos);
			const c = t.charCodeAt(this.pos);
			if (c === 0x22) {
				out += t.slice(chunkStart, this.pos);
				this.pos++;
				return out;
			}
			if (c < 0x20) throw new RawJsonError('Control character in string', this.pos);
			if (c !== 0x5c) {
				this.pos++;
				continue;
			}
			out += t.slice(chunkStart, this.pos);
			const e = t[this.pos + 1];
			if (e === 'u') {
				const hex = t.slice(this.pos + 2, this.pos + 6);
				if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new RawJsonError('Bad \\u escape', this.pos);
				out += String.fromCharCode(parseInt(hex, 16));
				this.pos += 6;
			} else if (e !== undefined && e in ESCAPES) {
				out += ESCAPES[e];
				this.pos += 2;
			} else {
				throw new RawJsonError('Bad escape', this.pos);
			}
			chunkStart = this.pos;
		}
	}

	private number(): string {
		const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
			this.text.slice(this.pos, this.pos + 400),
		);
		if (!match) throw new RawJsonError('Bad number', this.pos);
		this.pos += match[0].length;
		return match[0];
	}
}

/** Parses JSON text, keeping number and literal tokens as written. Throws RawJsonError on invalid JSON. */
export function parseRawJson(text: string): RawValue {
	// A UTF-8 byte order mark is not JSON, but some senders add one; JSON body parsers skip it too.
	return new Reader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).document();
}

/** The value at a dot path (`token.pg_code`) of an object, or undefined when any step is missing. */
export function rawValueAt(root: RawValue, path: string): RawValue | undefined {
	let current: RawValue | undefined = root;
	for (const key of path.split('.')) {
		if (current?.type !== 'object') return undefined;
		current = current.members.get(key);
	}
	return current;
}

/**
 * A value already parsed by JSON.parse, as a RawValue. A number's text is then JavaScript's (86.000
 * becomes 86): only for bodies whose raw text is no longer available.
 */
export function rawValueOf(value: unknown): RawValue {
	if (value === null || value === undefined)
		return {
			type: 'null',
			text: 'null',
		};
	if (typeof value === 'string')
		return {
			type: 'string',
			value,
		};
	if (typeof value === 'number')
		return {
			type: 'number',
			text: String(value),
		};
	if (typeof value === 'boolean')
		return {
			type: value ? 'true' : 'false',
			text: String(value),
		};
	if (Array.isArray(value))
		return {
			type: 'array',
			text: JSON.stringify(value),
		};
	const members = new Map<string, RawValue>();
	for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
		members.set(key, rawValueOf(member));
	}
	return {
		type: 'object',
		text: JSON.stringify(value),
		members,
	};
}
