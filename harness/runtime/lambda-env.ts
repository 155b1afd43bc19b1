// Sets the environment variables Lambda sets for a function, and restores the caller's exactly afterwards.
import type { FunctionConfiguration } from './context.js';

/** The variables Lambda's Node.js runtime sees, for one function configuration. */
export function lambdaVariables(
  config: FunctionConfiguration,
  handlerSetting: string,
  taskRoot: string,
  tmpDir: string,
): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: config.functionVersion,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMB),
    AWS_LAMBDA_LOG_GROUP_NAME: config.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: config.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    _HANDLER: handlerSetting,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    NODE_PATH:
      '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
    TMPDIR: tmpDir,
  };
}

/** AWS's documented example keys: Lambda always sets credentials, so an SDK client finds them at once. */
const PLACEHOLDER_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'warmleak-placeholder-session-token',
} as const;

/**
 * Lambda's credential variables, with placeholder values, unless the user set credentials (in the function's
 * configuration or in warmleak's own environment, e.g. for a local endpoint): without them an AWS SDK client walks
 * its whole credential chain, out to instance metadata, and fails with CredentialsProviderError.
 */
export function credentialVariables(
  configured: Record<string, string> | undefined,
  inherited: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const set = (name: string) => configured?.[name] !== undefined || inherited[name] !== undefined;
  if (set('AWS_ACCESS_KEY_ID') || set('AWS_SECRET_ACCESS_KEY')) return {};
  return { ...PLACEHOLDER_CREDENTIALS };
}

interface Layer {
  previous: Map<string, string | undefined>;
}

/** Live layers, oldest first; environments may be disposed in any order. */
const layers: Layer[] = [];

/**
 * A variable as the caller set it, before any live environment applied its own: an inline environment points TMPDIR
 * at its /tmp, and a second environment started while it lives (a timed-out check still running) must not nest in it.
 */
export function callerVariable(name: string): string | undefined {
  for (const layer of layers) if (layer.previous.has(name)) return layer.previous.get(name);
  return process.env[name];
}

/**
 * Applies `vars` to process.env; the returned function puts back every previous value, deleting variables that
 * did not exist. When a newer environment still lives, the previous values pass to it instead, so that disposing
 * environments in any order ends with the caller's variables exactly.
 */
export function applyVariables(vars: Record<string, string>): () => void {
  const layer: Layer = { previous: new Map() };
  for (const [name, value] of Object.entries(vars)) {
    layer.previous.set(name, Object.hasOwn(process.env, name) ? process.env[name] : undefined);
    process.env[name] = value;
  }
  layers.push(layer);
  return () => {
    const at = layers.indexOf(layer);
    if (at === -1) return;
    layers.splice(at, 1);
    const newer = layers[at];
    for (const [name, value] of layer.previous) {
      if (newer?.previous.has(name)) newer.previous.set(name, value);
      else if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
