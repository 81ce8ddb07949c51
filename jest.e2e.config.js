const fs = require('node:fs');
const path = require('node:path');

/** The pinned n8n, read from scripts/dev/runtime.ts so that the version is written in one place. */
const pinned = /PINNED_N8N_VERSION = '([^']+)'/.exec(
	fs.readFileSync(path.join(__dirname, 'scripts', 'dev', 'runtime.ts'), 'utf8'),
)[1];
const wanted = (process.env.OTTU_N8N_VERSION || '').trim();
/** On another n8n than the pinned one (README, Compatibility), the smoke set and the real install path only. */
const smokeOnly = (wanted !== '' && wanted !== pinned) || process.env.OTTU_E2E_SMOKE === '1';

/** @type {import('jest').Config} */
// `npm run test:e2e`: the package in a real n8n (see e2e/). Kept apart from `npm test`, which never starts n8n.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/e2e'],
	testMatch: smokeOnly ? ['**/smoke.e2e.test.ts', '**/install.e2e.test.ts'] : ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
	},
	globalSetup: '<rootDir>/e2e/globalSetup.ts',
	globalTeardown: '<rootDir>/e2e/globalTeardown.ts',
	testTimeout: 120000,
	// One n8n and one sandbox are shared by all files (started in globalSetup), so files run one at a time.
	maxWorkers: 1,
};
