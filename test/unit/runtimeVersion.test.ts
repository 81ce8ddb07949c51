import { nodeVersionFor, PINNED_N8N_VERSION, selectedN8nVersion } from '../../scripts/dev/runtime';

describe('the n8n version dev and e2e run (OTTU_N8N_VERSION)', () => {
	it('is the pinned one unless OTTU_N8N_VERSION names another', () => {
		expect(selectedN8nVersion({})).toBe(PINNED_N8N_VERSION);
		expect(selectedN8nVersion({ OTTU_N8N_VERSION: ' ' })).toBe(PINNED_N8N_VERSION);
		expect(selectedN8nVersion({ OTTU_N8N_VERSION: '1.123.81' })).toBe('1.123.81');
	});

	it('refuses anything but an exact 1.x or 2.x version, saying what is valid', () => {
		for (const wanted of ['latest', '^2.41.1', '2.41', '0.236.0', '3.0.0', '1.85.4; rm -rf /'])
			expect(() => selectedN8nVersion({ OTTU_N8N_VERSION: wanted })).toThrow(
				/exact n8n version such as 1\.123\.81 or 2\.41\.3/,
			);
	});

	it('runs 1.x on Node 22 and 2.x on Node 24, the newest each supports', () => {
		expect(nodeVersionFor('1.85.4')).toMatch(/^22\./);
		expect(nodeVersionFor('1.123.81')).toMatch(/^22\./);
		expect(nodeVersionFor('2.41.1')).toMatch(/^24\./);
	});
});
