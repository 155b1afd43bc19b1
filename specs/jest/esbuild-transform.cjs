// Jest transform for the TypeScript fixtures, as a user's project has one (ts-jest, babel-jest): esbuild strips types only.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename, options) {
    // Under --experimental-vm-modules Jest asks for ESM when the file is listed in extensionsToTreatAsEsm.
    const format = options.supportsStaticESM ? 'esm' : 'cjs';
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format,
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'external',
    });
    return { code, map };
  },
};
