import fc from 'fast-check';

import type { RawValue } from '../../nodes/ottuSignature/rawJson';
import { parseRawJson, rawValueAt } from '../../nodes/ottuSignature/rawJson';

/** Rebuilds a JS value from the raw tree (numbers through Number(), as JSON.parse does). */
function toJs(value: RawValue): unknown {
	switch (value.type) {
		case 'object':
			return Object.fromEntries([...value.members].map(([k, v]) => [k, toJs(v)]));
		case 'array':
			return JSON.parse(value.text);
		case 'string':
			return value.value;
		case 'number':
			return Number(value.text);
		case 'true':
			return true;
		case 'false':
			return false;
		default:
			return null;
	}
}

describe('raw JSON reader', () => {
	it('reads what JSON.parse reads, for any JSON text', () => {
		fc.assert(
			fc.property(fc.json(), (text) => {
				expect(toJs(parseRawJson(text))).toEqual(JSON.parse(text));
			}),
			{ numRuns: 500 },
		);
	});

	it('keeps number tokens as written', () => {
		const root = parseRawJson('{"a": 86.000, "b": -0.50, "c": 1E+3, "d": {"e": 10}}');
		expect(rawValueAt(root, 'a')).toEqual({ type: 'number', text: '86.000' });
		expect(rawValueAt(root, 'b')).toEqual({ type: 'number', text: '-0.50' });
		expect(rawValueAt(root, 'c')).toEqual({ type: 'number', text: '1E+3' });
		expect(rawValueAt(root, 'd.e')).toEqual({ type: 'number', text: '10' });
	});

	it('decodes escapes, including surrogate pairs, like JSON.parse', () => {
		const text = '{"s":"a\\"b\\\\c\\/d\\n\\u0041\\ud83d\\ude00\\u0643"}';
		expect(rawValueAt(parseRawJson(text), 's')).toEqual({
			type: 'string',
			value: (JSON.parse(text) as { s: string }).s,
		});
	});

	it('resolves dot paths only through objects', () => {
		const root = parseRawJson('{"token":{"token":"t"},"list":[{"x":1}],"s":"str"}');
		expect(rawValueAt(root, 'token.token')).toEqual({ type: 'string', value: 't' });
		expect(rawValueAt(root, 'list.x')).toBeUndefined();
		expect(rawValueAt(root, 's.length')).toBeUndefined();
		expect(rawValueAt(root, 'missing.x')).toBeUndefined();
	});

	it('lets a repeated key win as JSON.parse does', () => {
		expect(rawValueAt(parseRawJson('{"state":"failed","state":"paid"}'), 'state')).toEqual({
			type: 'string',
			value: 'paid',
		});
	});

	it('skips a UTF-8 byte order mark', () => {
		expect(rawValueAt(parseRawJson('\ufeff{"a":"b"}'), 'a')).toEqual({
			type: 'string',
			value: 'b',
		});
	});

	it.each([
		'',
		'{',
		'{"a":}',
		'{"a":1,}',
		'[1,]',
		'{"a":01}',
		'{"a":1.}',
		"{'a':1}",
		'{"a":"\u0001"}',
		'{"a":"\\x"}',
		'{"a":tru}',
		'{} {}',
		'{"a":"\\u12"}',
	])('rejects invalid JSON %j like JSON.parse', (text) => {
		expect(() => JSON.parse(text)).toThrow();
		expect(() => parseRawJson(text)).toThrow();
	});

	it('refuses absurd nesting instead of overflowing the stack', () => {
		expect(() => parseRawJson('['.repeat(100_000) + ']'.repeat(100_000))).toThrow(
			/nested too deeply/,
		);
	});
});
