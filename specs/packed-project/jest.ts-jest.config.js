// Jest with ts-jest, CommonJS (the classic setup: module commonjs, node10 resolution); isolatedModules in the
// tsconfig makes ts-jest transpile only, and tsc checks the types once.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/jest'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.node10.json' }] },
};
