import { createHash } from 'node:crypto';

import { customTrackingKey, deriveTrackingKey } from '../../nodes/Ottu/helpers/trackingKey';
import type { TrackingKeySource } from '../../nodes/Ottu/helpers/trackingKey';

const base: TrackingKeySource = {
	workflowId: 'wf-1',
	nodeId: 'node-1',
	operation: 'refund',
	transaction: { session_id: 'abc' },
	amount: '5',
	itemIndex: 0,
};

describe('automatic Tracking-Key', () => {
	it('is the same for the same workflow, node, operation, transaction, amount and item', () => {
		expect(deriveTrackingKey(base)).toBe(deriveTrackingKey({ ...base, transaction: { session_id: 'abc' } }));
		expect(deriveTrackingKey(base)).toMatch(/^n8n-[0-9a-f]{40}$/);
	});

	it('pins the derivation: a change would break replay protection across versions', () => {
		const again = createHash('sha256')
			.update(JSON.stringify(['ottu-n8n-tracking-key/1', 'wf-1', 'node-1', 'refund', 'abc', null, '5', 0]))
			.digest('hex')
			.slice(0, 40);
		expect(deriveTrackingKey(base)).toBe(`n8n-${again}`);
	});

	it.each([
		['workflow', { workflowId: 'wf-2' }],
		['node', { nodeId: 'node-2' }],
		['operation', { operation: 'capture' }],
		['session_id', { transaction: { session_id: 'abd' } }],
		['order_no instead of session_id', { transaction: { order_no: 'abc' } }],
		['amount', { amount: '5.5' }],
		['full amount', { amount: undefined }],
		['item position', { itemIndex: 1 }],
	])('changes with the %s', (_name, change) => {
		expect(deriveTrackingKey({ ...base, ...change } as TrackingKeySource)).not.toBe(deriveTrackingKey(base));
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
