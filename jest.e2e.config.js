/** @type {import('jest').Config} */
// `npm run test:e2e`: the package in a real n8n (see e2e/). Kept apart from `npm test`, which never starts n8n.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
	},
	globalSetup: '<rootDir>/e2e/globalSetup.ts',
	globalTeardown: '<rootDir>/e2e/globalTeardown.ts',
	testTimeout: 120000,
	// One n8n and one sandbox are shared by all files (started in globalSetup), so files run one at a time.
	maxWorkers: 1,
};
