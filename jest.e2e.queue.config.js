/** @type {import('jest').Config} */
// `npm run test:e2e:queue`: the package in n8n's queue mode (Postgres, Redis, main, workers, webhook process;
// see e2e/queue/). Kept apart from `npm run test:e2e`, which runs one regular n8n.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/e2e/queue'],
	testMatch: ['**/*.queue.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
	},
	globalSetup: '<rootDir>/e2e/queue/globalSetup.ts',
	globalTeardown: '<rootDir>/e2e/queue/globalTeardown.ts',
	testSequencer: '<rootDir>/e2e/queue/sequencer.js',
	testTimeout: 300000,
	// One stack is shared by all files (started in globalSetup), so files run one at a time.
	maxWorkers: 1,
};
