/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
	},
	// Silences n8n's own logging of the errors tests provoke on purpose.
	setupFiles: ['<rootDir>/test/setup.ts'],
	testTimeout: 30000,
	maxWorkers: 2,
};
