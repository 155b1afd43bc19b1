// Jest with ts-jest emitting ESM (run with NODE_OPTIONS=--experimental-vm-modules).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/jest'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.bundler.json', useESM: true }] },
};
