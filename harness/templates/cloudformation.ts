// SAM and plain CloudFormation templates (CDK synthesises the latter): AWS::Serverless::Function and AWS::Lambda::Function.
import { dirname, isAbsolute, join } from 'node:path';
import { TemplateError } from '../errors.js';
import { asObject, cloudFormationEventTypes, samEventType } from './event-sources.js';
import type { FunctionDescription } from './model.js';
import { JAVASCRIPT_FIRST, TYPESCRIPT_FIRST } from './resolve-function.js';
import { templateScope, type ValueScope } from './values.js';

/** Every function resource of a parsed template at `file` (absolute), described for `resolveFunction`. */
export function cloudFormationFunctions(
  template: unknown,
  file: string,
  name: string,
): { functions: FunctionDescription[]; scope: ValueScope } {
  const root = asObject(template);
  const resources = asObject(root.Resources);
  if (Object.keys(resources).length === 0)
    throw new TemplateError(
      'has no Resources; warmleak reads functions from a SAM or CloudFormation template',
    );
  const dir = dirname(file);
  const globals = asObject(asObject(root.Globals).Function);
  const eventTypes = cloudFormationEventTypes(resources);
  const functions: FunctionDescription[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const { Type: type, Properties: properties, Metadata: metadata } = asObject(resource);
    const base = { name: id, template: name, notes: [] as string[] };
    if (type === 'AWS::Serverless::Function')
      functions.push({
        ...base,
        ...samFunction(withGlobals(globals, asObject(properties)), asObject(metadata), dir, base.notes),
      });
    else if (type === 'AWS::Lambda::Function')
      functions.push({
        ...base,
        ...lambdaFunction(asObject(properties), asObject(metadata), dir),
        eventType: eventTypes.get(id),
      });
  }
  return { functions, scope: templateScope(root) };
}

type Described = Omit<FunctionDescription, 'name' | 'template' | 'notes'>;

/** SAM's `Globals.Function` under the function's own properties; environment variables merge by name. */
function withGlobals(
  globals: Record<string, unknown>,
  own: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...globals, ...own };
  const globalVariables = asObject(asObject(globals.Environment).Variables);
  const ownVariables = asObject(asObject(own.Environment).Variables);
  if (Object.keys(globalVariables).length > 0)
    merged.Environment = { Variables: { ...globalVariables, ...ownVariables } };
  return merged;
}

/** `CodeUri` + `Handler`; with `Metadata.BuildMethod: esbuild`, the `EntryPoints` lead back to the TypeScript source. */
function samFunction(
  props: Record<string, unknown>,
  metadata: Record<string, unknown>,
  dir: string,
  notes: string[],
): Described {
  const esbuild = metadata.BuildMethod === 'esbuild';
  const entryPoints = asObject(metadata.BuildProperties).EntryPoints;
  const codeUri = props.CodeUri ?? '.';
  return {
    ...configuration(props),
    codeDir: typeof codeUri === 'string' ? resolvePath(dir, codeUri) : dir,
    extensions: esbuild ? TYPESCRIPT_FIRST : JAVASCRIPT_FIRST,
    entryPoints:
      esbuild && Array.isArray(entryPoints) ? entryPoints.filter((e) => typeof e === 'string') : undefined,
    eventType: samEventType(props.Events, props.FunctionUrlConfig, notes),
    notRunnable:
      props.PackageType === 'Image'
        ? 'container image'
        : props.InlineCode !== undefined
          ? 'inline code (InlineCode)'
          : typeof codeUri !== 'string'
            ? 'code in S3 (CodeUri)'
            : undefined,
  };
}

/** `Code` as a local folder (before `aws cloudformation package`), or a CDK asset named by `aws:asset:path`. */
function lambdaFunction(
  props: Record<string, unknown>,
  metadata: Record<string, unknown>,
  dir: string,
): Described {
  const code = props.Code;
  const asset = metadata['aws:asset:path'];
  const codeDir =
    typeof code === 'string'
      ? resolvePath(dir, code)
      : typeof asset === 'string'
        ? resolvePath(dir, asset)
        : dir;
  const codeObject = asObject(code);
  return {
    ...configuration(props),
    codeDir,
    extensions: JAVASCRIPT_FIRST,
    notRunnable:
      props.PackageType === 'Image' || codeObject.ImageUri !== undefined
        ? 'container image'
        : codeObject.ZipFile !== undefined
          ? 'inline code (Code.ZipFile)'
          : typeof code !== 'string' && typeof asset !== 'string'
            ? 'code in S3 (Code.S3Bucket)'
            : undefined,
  };
}

function configuration(props: Record<string, unknown>) {
  return {
    handler: props.Handler,
    runtime: props.Runtime,
    memorySize: props.MemorySize,
    timeout: props.Timeout,
    variables: asObject(props.Environment).Variables,
    lambdaName: props.FunctionName,
  };
}

function resolvePath(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}
