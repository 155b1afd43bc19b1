// serverless.yml: `provider` defaults and `functions.<key>` (handler path, memory, timeout, environment, events).
import { dirname } from 'node:path';
import { TemplateError } from '../errors.js';
import { asObject, serverlessEventType } from './event-sources.js';
import type { FunctionDescription } from './model.js';
import { TYPESCRIPT_FIRST } from './resolve-function.js';

/** What the Framework deploys when neither the function nor `provider` sets it (not Lambda's own 128 MB and 3 s). */
const SERVERLESS_DEFAULTS = { memorySize: 1024, timeout: 6 } as const;

/** Is this parsed file a Serverless Framework service rather than a CloudFormation template? */
export function isServerlessService(document: unknown): boolean {
  const root = asObject(document);
  return root.service !== undefined && (root.functions !== undefined || root.provider !== undefined);
}

/** Every function of a service at `file` (absolute), with `${...}` variables resolved where they can be. */
export function serverlessFunctions(document: unknown, file: string, name: string): FunctionDescription[] {
  const root = asObject(document);
  const provider = asObject(root.provider);
  if (provider.name !== undefined && provider.name !== 'aws')
    throw new TemplateError(
      `is for provider "${String(provider.name)}"; warmleak checks AWS Lambda functions`,
    );
  const functions = asObject(root.functions);
  if (Object.keys(functions).length === 0)
    throw new TemplateError('has no functions; list them under functions: with a handler each');
  const variables = new ServerlessVariables(root);
  const service = variables.resolve(
    typeof root.service === 'object' ? asObject(root.service).name : root.service,
    'service',
    [],
  );
  const stage = variables.stage();
  return Object.entries(functions).map(([key, value]) => {
    const notes: string[] = [];
    const own = asObject(value);
    const resolve = (setting: unknown, where: string) => variables.resolve(setting, where, notes);
    const runtime = own.runtime ?? provider.runtime;
    if (runtime === undefined)
      notes.push('no runtime is set; Serverless defaults to nodejs20.x, and so does the check');
    return {
      name: key,
      template: name,
      codeDir: dirname(file),
      handler: resolve(own.handler, 'handler'),
      runtime: resolve(runtime ?? 'nodejs20.x', 'runtime'),
      memorySize: resolve(
        own.memorySize ?? provider.memorySize ?? SERVERLESS_DEFAULTS.memorySize,
        'memorySize',
      ),
      timeout: resolve(own.timeout ?? provider.timeout ?? SERVERLESS_DEFAULTS.timeout, 'timeout'),
      variables: resolve({ ...asObject(provider.environment), ...asObject(own.environment) }, 'environment'),
      lambdaName: resolve(own.name ?? `${String(service)}-${stage}-${key}`, 'name'),
      eventType: serverlessEventType(own.events, own.url, notes),
      extensions: TYPESCRIPT_FIRST,
      notRunnable: own.image !== undefined ? 'container image' : undefined,
      notes,
    };
  });
}

/** Serverless's `${source:address, fallback}` variables: `self:`, set `env:` ones, the stage and region resolve here; the rest stay as written. */
class ServerlessVariables {
  constructor(private readonly root: Record<string, unknown>) {}

  stage(): string {
    const stage = this.resolve(asObject(this.root.provider).stage ?? 'dev', 'provider.stage', []);
    return typeof stage === 'string' ? stage : 'dev';
  }

  /** Resolves every string in `value`, however deep; a string that is one variable takes the variable's type. */
  resolve(value: unknown, where: string, notes: string[], depth = 0): unknown {
    if (typeof value === 'string') return this.resolveString(value, where, notes, depth);
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, where, notes, depth));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          this.resolve(item, `${where} ${key}`, notes, depth),
        ]),
      );
    }
    return value;
  }

  private resolveString(text: string, where: string, notes: string[], depth: number): unknown {
    const whole = /^\$\{([^{}]+)\}$/.exec(text);
    if (whole) return this.variable(whole[1], text, where, notes, depth);
    return text.replace(/\$\{([^{}]+)\}/g, (written, body: string) => {
      const value = this.variable(body, written, where, notes, depth);
      return typeof value === 'string' || typeof value === 'number' ? String(value) : written;
    });
  }

  private variable(body: string, written: string, where: string, notes: string[], depth: number): unknown {
    const [reference, ...rest] = body.split(',');
    const fallback = rest.join(',').trim();
    const [source, ...address] = reference.trim().split(':');
    const path = address.join(':');
    let value: unknown;
    if (source === 'self' && depth < 10)
      value = this.resolve(lookup(this.root, path), where, notes, depth + 1);
    else if ((source === 'sls' || source === 'opt') && path === 'stage') value = this.stage();
    else if ((source === 'aws' || source === 'opt') && path === 'region')
      value = asObject(this.root.provider).region ?? 'us-east-1';
    else if (source === 'aws' && path === 'accountId') value = '123456789012';
    // The Framework reads env: from the shell that deploys; in CI that is the shell running the check.
    else if (source === 'env' && Object.hasOwn(process.env, path)) value = process.env[path];
    if (value === undefined && fallback !== '') value = literal(fallback);
    if (value !== undefined) return value;
    notes.push(`${where} uses ${written}, which Serverless resolves at deploy; the check uses that text`);
    return written;
  }
}

/** `custom.tables.orders` in the service's own document. */
function lookup(root: Record<string, unknown>, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split('.')) value = value === undefined ? undefined : asObject(value)[key];
  return value;
}

/** A fallback as written: `'dev'`, `"dev"`, `512`, or a bare word. */
function literal(text: string): unknown {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return quoted[2];
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}
