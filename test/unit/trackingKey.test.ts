import { createHash } from 'node:crypto';

import {
	canonicalJson,
	customTrackingKey,
	deriveTrackingKey,
	itemHash,
} from '../../nodes/Ottu/helpers/trackingKey';
import type { TrackingKeySource } from '../../nodes/Ottu/helpers/trackingKey';

const base: TrackingKeySource = {
	operation: 'refund',
	transaction: { session_id: 'abc' },
	amount: '5',
	fields: { extra: { orders: [{ ticket: 'T1', amount: 5 }] } },
};
const item = { order: 'ORD-1', line: { sku: 'A', qty: 2 }, tags: ['x', 'y'] };

describe('canonical item hash', () => {
	it('ignores key order at every level, and not array order', () => {
		const reordered = { tags: ['x', 'y'], line: { qty: 2, sku: 'A' }, order: 'ORD-1' };
		expect(canonicalJson(reordered)).toBe(
			'{"line":{"qty":2,"sku":"A"},"order":"ORD-1","tags":["x","y"]}',
		);
		expect(itemHash(reordered)).toBe(itemHash(item));
		expect(itemHash({ ...reordered, tags: ['y', 'x'] })).not.toBe(itemHash(item));
	});

	it.each([
		['a value', { order: 'ORD-2', line: { sku: 'A', qty: 2 }, tags: ['x', 'y'] }],
		['a nested value', { order: 'ORD-1', line: { sku: 'A', qty: 3 }, tags: ['x', 'y'] }],
		[
			'a number written as text',
			{ order: 'ORD-1', line: { sku: 'A', qty: '2' }, tags: ['x', 'y'] },
		],
		['an added key', { order: 'ORD-1', line: { sku: 'A', qty: 2 }, tags: ['x', 'y'], note: null }],
	])('changes with %s', (_what, json) => {
		expect(itemHash(json)).not.toBe(itemHash(item));
	});

	it('reads data as JSON would: undefined keys dropped, dates as ISO text, no crash on a cycle', () => {
		expect(
			canonicalJson({
				b: undefined,
				a: new Date(Date.UTC(2026, 0, 2)),
				c: [undefined, Number.NaN],
			}),
		).toBe('{"a":"2026-01-02T00:00:00.000Z","c":[null,null]}');
		const cyclic: Record<string, unknown> = { a: 1 };
		cyclic.self = cyclic;
		expect(canonicalJson(cyclic)).toBe('{"a":1,"self":"[circular]"}');
		const shared = { x: 1 };
		expect(canonicalJson({ p: shared, q: shared })).toBe('{"p":{"x":1},"q":{"x":1}}');
	});
});

describe('automatic Tracking-Key', () => {
	it('is the same for the same operation, transaction, amount and options, in any key order', () => {
		expect(deriveTrackingKey(base)).toBe(
			deriveTrackingKey({
				...base,
				transaction: { session_id: 'abc' },
				fields: { extra: { orders: [{ amount: 5, ticket: 'T1' }] } },
			}),
		);
		expect(deriveTrackingKey(base)).toMatch(/^n8n-[0-9a-f]{40}$/);
	});

	it('pins the derivation: a change would break replay protection across versions', () => {
		const again = createHash('sha256')
			.update(
				JSON.stringify([
					'ottu-n8n-tracking-key/3',
					'refund',
					['session_id', 'abc'],
					'5',
					'{"extra":{"orders":[{"amount":5,"ticket":"T1"}]}}',
				]),
			)
			.digest('hex')
			.slice(0, 40);
		expect(deriveTrackingKey(base)).toBe(`n8n-${again}`);
	});

	it('takes the order_no when the transaction has one, whichever identifier was given', () => {
		expect(deriveTrackingKey({ ...base, transaction: { order_no: 'ORD-1' } })).toBe(
			deriveTrackingKey({ ...base, transaction: { order_no: 'ORD-1', session_id: 'abc' } }),
		);
	});

	it.each([
		['operation', { operation: 'capture' }],
		['session_id', { transaction: { session_id: 'abd' } }],
		['order_no instead of session_id', { transaction: { order_no: 'abc' } }],
		['amount', { amount: '5.5' }],
		['full amount', { amount: undefined }],
		['options (a refund to the wallet)', { fields: { destination: 'wallet' } }],
	])('changes with the %s', (_name, change) => {
		expect(deriveTrackingKey({ ...base, ...change } as TrackingKeySource)).not.toBe(
			deriveTrackingKey(base),
		);
	});
});

describe('custom Tracking-Key', () => {
	it('accepts a header-safe key, trimmed, and numbers from expressions', () => {
		expect(customTrackingKey('  refund-42 ')).toBe('refund-42');
		expect(customTrackingKey(42)).toBe('42');
	});

	it.each([
		['', /required when it is set to Custom/],
		['has space', /cannot be sent in an HTTP header/],
		['ключ', /cannot be sent in an HTTP header/],
		['x'.repeat(129), /129 characters long/],
		[undefined, /required/],
	])('refuses %p', (value, message) => {
		expect(() => customTrackingKey(value)).toThrow(message);
	});
});
