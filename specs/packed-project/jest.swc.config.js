// Jest with @swc/jest: TypeScript stripped by SWC, CommonJS output.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/jest'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
};
