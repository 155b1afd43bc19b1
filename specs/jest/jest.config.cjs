// A real Jest run against the built package (dist/), as a user's project would consume it.
const path = require('node:path');
const root = path.resolve(__dirname, '../..');

module.exports = {
  rootDir: root,
  roots: ['<rootDir>/specs/jest'],
  testMatch: ['**/*.test.cjs'],
  testEnvironment: 'node',
  transform: {},
  moduleNameMapper: {
    '^warmleak$': '<rootDir>/dist/index.cjs',
    '^warmleak/jest$': '<rootDir>/dist/jest.cjs',
  },
  testTimeout: 60000,
};
