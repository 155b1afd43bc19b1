// The same real Jest run, consuming the package as ESM (run with NODE_OPTIONS=--experimental-vm-modules).
const base = require('./jest.config.cjs');

module.exports = {
  ...base,
  testMatch: ['**/*.test.mjs'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^warmleak$': '<rootDir>/dist/index.js',
    '^warmleak/jest$': '<rootDir>/dist/jest.js',
  },
};
