// Reads the functions of a project's SAM, CloudFormation, Serverless or CDK templates, and finds those templates at the project root.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TemplateError } from '../errors.js';
import { cdkTemplateFiles, traceAssetToSource } from './cdk.js';
import { readTemplateFile } from './cfn-yaml.js';
import { cloudFormationFunctions } from './cloudformation.js';
import type { FunctionDescription, TemplateFunctions } from './model.js';
import { relativePath, resolveFunction } from './resolve-function.js';
import { isServerlessService, serverlessFunctions } from './serverless.js';
import type { ValueScope } from './values.js';

export type { SkippedFunction, TemplateFunction, TemplateFunctions, TemplateProblem } from './model.js';
export { splitHandler } from './resolve-function.js';

/** What `warmleak check` looks for at the project root when it is given no handlers, in this order. */
export const TEMPLATE_FILES = [
  'template.yaml',
  'template.yml',
  'serverless.yml',
  'serverless.yaml',
  'serverless.json',
  'cdk.out',
] as const;

/** Serverless configs written as code, which only the Framework can evaluate. */
const SERVERLESS_CODE = ['serverless.ts', 'serverless.js', 'serverless.mjs', 'serverless.cjs'] as const;

/**
 * When no template is found at `root` but a `serverless.ts` (or .js) is, the one-line reason a check cannot read
 * it and what to do instead; undefined otherwise.
 */
export function unreadableServerlessConfig(root: string): string | undefined {
  const found = SERVERLESS_CODE.find((name) => existsSync(resolve(root, name)));
  if (!found) return undefined;
  return `${found} is code, which warmleak does not run; write its resolved form with npx serverless print > serverless.resolved.yml and pass --template serverless.resolved.yml`;
}

/** The templates present at `root`; a SAM build's copy (`.aws-sam/build/template.yaml`) is never picked. */
export function discoverTemplates(root: string): string[] {
  return TEMPLATE_FILES.filter((name) => existsSync(resolve(root, name)));
}

/**
 * Reads each template (a file, or a `cdk.out` folder meaning all its templates) relative to `root`. A template that
 * cannot be read, or a function whose handler file is missing, becomes a problem; every other function is kept.
 */
export async function readTemplates(paths: string[], root: string): Promise<TemplateFunctions> {
  const result: TemplateFunctions = { functions: [], skipped: [], problems: [] };
  for (const path of paths) {
    const absolute = resolve(root, path);
    if (!existsSync(absolute)) {
      result.problems.push({
        template: path,
        message: 'does not exist; pass a SAM, Serverless or CDK template',
      });
      continue;
    }
    const files = statSync(absolute).isDirectory() ? cdkTemplateFiles(absolute) : [absolute];
    if (files.length === 0)
      result.problems.push({ template: path, message: 'has no *.template.json; run cdk synth first' });
    for (const file of files) await readOne(file, root, result);
  }
  return result;
}

async function readOne(file: string, root: string, result: TemplateFunctions): Promise<void> {
  const name = relativePath(root, file);
  let found: { functions: FunctionDescription[]; scope: ValueScope };
  try {
    const document = await readTemplateFile(file);
    found = isServerlessService(document)
      ? { functions: serverlessFunctions(document, file, name), scope: { parameters: {} } }
      : cloudFormationFunctions(document, file, name);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    result.problems.push({ template: name, message: error.message });
    return;
  }
  for (const description of found.functions) {
    const resolved = resolveFunction(description, found.scope, root);
    if ('function' in resolved) result.functions.push(await traceAssetToSource(resolved.function, root));
    else if ('skipped' in resolved) result.skipped.push(resolved.skipped);
    else result.problems.push(resolved.problem);
  }
}
