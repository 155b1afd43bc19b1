// The same real Jest run, consuming the package as ESM (needs --experimental-vm-modules).
const base = require('./jest.config.cjs');

module.exports = {
  ...base,
  testMatch: ['**/*.test.mjs'],
  moduleNameMapper: {
    '^warmleak$': '<rootDir>/dist/index.js',
    '^warmleak/jest$': '<rootDir>/dist/jest.js',
  },
};
