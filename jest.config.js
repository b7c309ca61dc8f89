/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': '<rootDir>/scripts/jest-transform.js',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Synthesizing stacks is CPU-bound; 2 workers match the 2-core CI machine.
  maxWorkers: 2,
  testTimeout: 60000,
  setupFiles: ['<rootDir>/scripts/jest-setup.js'],
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  testSequencer: '<rootDir>/scripts/jest-sequencer.js',
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};
