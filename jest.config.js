/** One Jest configuration for the whole workspace: swc strips types (fast), tsc checks them separately. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: { '^@arb/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts' },
  testMatch: [
    '<rootDir>/packages/*/src/**/*.test.ts',
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/services/*/src/**/*.test.ts',
    '<rootDir>/services/*/test/**/*.test.ts',
    '<rootDir>/scripts/test/**/*.test.ts',
    '<rootDir>/bench/src/**/*.test.ts',
    '<rootDir>/bench/test/**/*.test.ts',
    '<rootDir>/faults/src/**/*.test.ts',
    '<rootDir>/faults/test/**/*.test.ts',
    '<rootDir>/conformance/src/**/*.test.ts',
    '<rootDir>/conformance/test/**/*.test.ts',
    '<rootDir>/deploy/test/**/*.test.ts',
  ],
  maxWorkers: 2,
  testTimeout: 60000,
};
