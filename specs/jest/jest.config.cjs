// A real Jest run against the built package (dist/), as a user's CommonJS project would consume it.
const path = require('node:path');
const root = path.resolve(__dirname, '../..');

module.exports = {
  rootDir: root,
  roots: ['<rootDir>/specs/jest'],
  testMatch: ['**/*.test.cjs'],
  testEnvironment: 'node',
  // TypeScript fixtures are required as functions the way a ts-jest/babel-jest project would: types stripped.
  transform: { '\\.ts$': '<rootDir>/specs/jest/esbuild-transform.cjs' },
  moduleFileExtensions: ['js', 'cjs', 'mjs', 'ts', 'json'],
  moduleNameMapper: {
    '^warmleak$': '<rootDir>/dist/index.cjs',
    '^warmleak/jest$': '<rootDir>/dist/jest.cjs',
    // The fixtures import their siblings NodeNext-style (`./lib/metrics.js` is lib/metrics.ts).
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 60000,
};
