// Template values as a check can use them: parameter defaults and pseudo parameters resolved, other intrinsics as placeholders.

/** What `!Ref` can resolve before deploy: parameter defaults, and pseudo parameters as `sam local` fills them. */
export interface ValueScope {
  parameters: Record<string, unknown>;
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'local',
  'AWS::StackId':
    'arn:aws:cloudformation:us-east-1:123456789012:stack/local/00000000-0000-0000-0000-000000000000',
  'AWS::NoValue': '',
};

/** A value that only CloudFormation can resolve at deploy time; `text` is the placeholder the check uses. */
export class Placeholder {
  constructor(readonly text: string) {}
}

/** The scope of one template: the defaults of its `Parameters`. */
export function templateScope(template: Record<string, unknown>): ValueScope {
  const parameters: Record<string, unknown> = {};
  const declared = template.Parameters;
  if (declared && typeof declared === 'object') {
    for (const [name, parameter] of Object.entries(declared as Record<string, unknown>)) {
      const value = (parameter as { Default?: unknown } | null)?.Default;
      if (value !== undefined) parameters[name] = value;
    }
  }
  return { parameters };
}

/** Resolves what can be resolved locally; anything else becomes a `Placeholder` written in the short form (`!GetAtt Table.Arn`). */
export function resolveValue(value: unknown, scope: ValueScope): unknown {
  const intrinsic = asIntrinsic(value);
  if (!intrinsic) return value;
  const [name, argument] = intrinsic;
  if (name === 'Ref' && typeof argument === 'string') {
    if (Object.hasOwn(PSEUDO, argument)) return PSEUDO[argument];
    if (Object.hasOwn(scope.parameters, argument)) return scope.parameters[argument];
  }
  if (name === 'Fn::Sub') {
    const substituted = substitute(argument, scope);
    if (substituted !== undefined) return substituted;
  }
  if (name === 'Fn::Join' && Array.isArray(argument) && Array.isArray(argument[1])) {
    const parts = argument[1].map((part) => resolveValue(part, scope));
    if (typeof argument[0] === 'string' && parts.every((part) => isPlain(part)))
      return parts.map(String).join(argument[0]);
  }
  return new Placeholder(shortForm(name, argument));
}

/** A value as a string, or the placeholder's text with a note saying which intrinsic it stands for. */
export function stringValue(value: unknown, where: string, scope: ValueScope, notes: string[]): string {
  const resolved = resolveValue(value, scope);
  if (resolved instanceof Placeholder) {
    notes.push(
      `${where} is ${resolved.text}, which CloudFormation resolves at deploy; the check uses that text`,
    );
    return resolved.text;
  }
  return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
}

/** A positive number setting, or undefined (with a note) when it is an intrinsic that cannot be resolved here. */
export function numberValue(
  value: unknown,
  where: string,
  scope: ValueScope,
  notes: string[],
): number | undefined {
  if (value === undefined) return undefined;
  const resolved = resolveValue(value, scope);
  const number = typeof resolved === 'string' && resolved.trim() !== '' ? Number(resolved) : resolved;
  if (typeof number === 'number' && Number.isFinite(number) && number > 0) return number;
  const shown = resolved instanceof Placeholder ? resolved.text : JSON.stringify(resolved);
  notes.push(`${where} is ${shown}, not a number known before deploy; the check uses Lambda's default`);
  return undefined;
}

/** `Environment.Variables` (or Serverless's `environment`) as strings, placeholders noted. */
export function variablesValue(
  value: unknown,
  scope: ValueScope,
  notes: string[],
): Record<string, string> | undefined {
  const resolved = resolveValue(value, scope);
  if (resolved === undefined || resolved === null) return undefined;
  if (typeof resolved !== 'object' || Array.isArray(resolved) || resolved instanceof Placeholder) {
    notes.push('its environment variables are not a mapping known before deploy; the check sets none');
    return undefined;
  }
  const variables: Record<string, string> = {};
  for (const [name, entry] of Object.entries(resolved as Record<string, unknown>)) {
    variables[name] = stringValue(entry, `environment variable ${name}`, scope, notes);
  }
  return variables;
}

/** `{ "Fn::Sub": ... }` -> ['Fn::Sub', argument]; anything that is not a one-key intrinsic object -> undefined. */
export function asIntrinsic(value: unknown): [string, unknown] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [key] = keys;
  if (key !== 'Ref' && key !== 'Condition' && !key.startsWith('Fn::')) return undefined;
  return [key, (value as Record<string, unknown>)[key]];
}

/** `!Sub 'x-${AWS::Region}-${Stage}'` with every variable resolvable -> the string; otherwise undefined. */
function substitute(argument: unknown, scope: ValueScope): string | undefined {
  const [text, extra] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string') return undefined;
  const own = (extra ?? {}) as Record<string, unknown>;
  let complete = true;
  const result = text.replace(/\$\{([^}!][^}]*)\}/g, (whole, variable: string) => {
    const value = Object.hasOwn(own, variable)
      ? resolveValue(own[variable], scope)
      : resolveValue({ Ref: variable }, scope);
    if (isPlain(value)) return String(value);
    complete = false;
    return whole;
  });
  return complete ? result.replace(/\$\{!/g, '${') : undefined;
}

function isPlain(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The short form a person reads in the template: `!Ref Table`, `!GetAtt Table.Arn`, `!Sub https://${Api}...`. */
function shortForm(name: string, argument: unknown): string {
  const tag = `!${name.replace(/^Fn::/, '')}`;
  if (name === 'Fn::GetAtt' && Array.isArray(argument)) return `${tag} ${argument.join('.')}`;
  if (typeof argument === 'string') return `${tag} ${argument}`;
  const text = JSON.stringify(argument);
  return `${tag} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}
