// CDK's cloud assembly: the synthesised templates in cdk.out, and a function's asset traced back to its source when it is a copy.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { glob } from 'tinyglobby';
import type { TemplateFunction } from './model.js';
import { relativePath } from './resolve-function.js';

/** `cdk.out` -> every `*.template.json` in it and in its nested assemblies (`assembly-Stage/`), sorted. */
export function cdkTemplateFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.template.json')) files.push(path);
    else if (entry.isDirectory() && entry.name.startsWith('assembly-')) files.push(...cdkTemplateFiles(path));
  }
  return files.sort();
}

/**
 * `Code.fromAsset('lambda')` copies a folder into `cdk.out/asset.<hash>/`: when exactly one file in the project has
 * the same bytes as the asset's handler file, the check runs that source so findings name the file you edit.
 * A bundled asset (NodejsFunction) matches no source byte for byte and is checked as bundled, as Lambda runs it;
 * the note names its entry file when the bundle says which.
 */
export async function traceAssetToSource(fn: TemplateFunction, root: string): Promise<TemplateFunction> {
  const asset = /(^|\/)asset\.[^/]+\//.exec(fn.file);
  if (!asset) return fn;
  const content = readFileSync(join(root, fn.file));
  const candidates = await glob(`**/${basename(fn.file)}`, {
    cwd: root,
    ignore: ['**/node_modules/**', '**/cdk.out/**', '**/.git/**'],
    onlyFiles: true,
  });
  const same = candidates.filter((candidate) => {
    const path = join(root, candidate);
    return statSync(path).size === content.length && readFileSync(path).equals(content);
  });
  if (same.length !== 1) {
    const entry = bundleEntry(content.toString('utf8'), root);
    const from = entry ? ` bundled from ${entry}` : '';
    return {
      ...fn,
      notes: [
        ...fn.notes,
        `its code is the CDK asset ${fn.file.slice(0, asset.index + asset[0].length - 1)}${from}, checked as Lambda runs it`,
      ],
    };
  }
  const source = relativePath(root, join(root, same[0]));
  return {
    ...fn,
    file: source,
    notes: [...fn.notes, `its CDK asset is a copy of ${source}, which is checked`],
  };
}

/**
 * esbuild (NodejsFunction's bundler) heads each input file's code with a `// path` comment, the entry last; the last
 * such path outside node_modules that exists in the project is the function's source.
 */
function bundleEntry(bundle: string, root: string): string | undefined {
  const paths = [...bundle.matchAll(/^\/\/ ([\w./@-]+\.[cm]?[jt]sx?)$/gm)].map((match) => match[1]);
  return paths.reverse().find((path) => !path.includes('node_modules/') && existsSync(join(root, path)));
}
