// Builds dist/ with the package's tsup config plus the two options the CommonJS build needs inside Jest.
import { build } from 'tsup';

await build({ shims: true, noExternal: ['tinybench'], silent: true });
