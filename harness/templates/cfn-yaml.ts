// Reads CloudFormation YAML (short-form tags such as !Ref and !Sub) and JSON into the long form: `{ "Fn::Sub": ... }`.
import { readFileSync } from 'node:fs';
import type { Tags, YAMLMap, YAMLSeq } from 'yaml';
import { TemplateError } from '../errors.js';

/** Short-form tags and the long-form key each stands for; `!Ref` and `!Condition` are not `Fn::` functions. */
const INTRINSICS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'If',
  'Join',
  'Select',
  'ImportValue',
  'FindInMap',
  'GetAZs',
  'Split',
  'Equals',
  'Not',
  'And',
  'Or',
  'Base64',
  'Cidr',
  'Transform',
  'Length',
  'ToJsonString',
] as const;

function longName(tag: string): string {
  return tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`;
}

/** Each tag in its scalar, sequence and mapping forms (`!GetAtt A.Arn` and `!GetAtt [A, Arn]` mean the same). */
export const CLOUDFORMATION_TAGS: Tags = INTRINSICS.flatMap((name) => {
  const key = longName(name);
  return [
    {
      tag: `!${name}`,
      resolve: (text: string) => ({ [key]: name === 'GetAtt' ? splitAttribute(text) : text }),
    },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (seq: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [key]: seq.toJSON() }),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (map: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [key]: map.toJSON() }),
    },
  ];
});

/** `Table.StreamArn` -> ['Table', 'StreamArn']; attributes may contain dots themselves (`Endpoint.Address`). */
function splitAttribute(text: string): string[] {
  const dot = text.indexOf('.');
  return dot === -1 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** Parses a template file: JSON when it ends in .json, YAML (with CloudFormation's tags) otherwise. */
export async function readTemplateFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TemplateError(`cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new TemplateError(`not JSON: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return parseCloudFormationYaml(text);
}

/**
 * YAML 1.2 with CloudFormation's short-form tags; the first syntax error becomes a one-line `TemplateError`. The
 * library loads only when a YAML template is read, so a check of handler files never pays for it.
 */
export async function parseCloudFormationYaml(text: string): Promise<unknown> {
  let parseDocument: typeof import('yaml').parseDocument;
  try {
    ({ parseDocument } = await import('yaml'));
  } catch {
    throw new TemplateError(
      'needs the yaml package to be read, which is missing; reinstall warmleak (npm install)',
    );
  }
  const doc = parseDocument(text, { customTags: CLOUDFORMATION_TAGS, logLevel: 'silent', uniqueKeys: false });
  const [error] = doc.errors;
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    throw new TemplateError(`not YAML${where}: ${error.message.split('\n')[0]}`);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}
