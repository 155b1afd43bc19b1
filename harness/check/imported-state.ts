// A function a spec imported shares its module with every test that calls it: state left by earlier tests shows as a
// growing series that starts higher than this check's own invocations explain. Worded as a note naming the fix.
import { DEFAULT_EXPORT_NAME, namesFile } from '../runtime/handler-spec.js';
import type { CheckNote, Finding } from '../types.js';

/** Kinds whose series count what the module holds (not the process's handles or the heap). */
const MODULE_KINDS = new Set<Finding['kind']>(['state', 'global', 'listener']);

/**
 * The note for the growing series whose line, drawn back to invocation 0, starts highest, when it starts more than
 * one invocation's growth above 0 and above what this check added before its first checkpoint. None for a
 * `file#export` handler: that is a fresh module already.
 */
export function importedStateNote(handler: string, findings: readonly Finding[]): CheckNote | undefined {
  if (namesFile(handler)) return undefined;
  let best: { finding: Finding; before: number } | undefined;
  for (const finding of findings) {
    const first = finding.series[0];
    const growth = finding.growthPerInvocation;
    if (!MODULE_KINDS.has(finding.kind) || !first || !(growth > 0)) continue;
    const own = growth * first[0];
    const before = Math.round(first[1] - own);
    if (before >= Math.max(growth, own, 1) && before > (best?.before ?? 0)) best = { finding, before };
  }
  if (!best) return undefined;
  const { finding, before } = best;
  const exportName =
    /^[A-Za-z_$][\w$]*$/.test(handler) && handler !== 'anonymous' ? handler : DEFAULT_EXPORT_NAME;
  const note: CheckNote = {
    kind: 'imported-state',
    name: finding.path ?? finding.name,
    before,
    unit: finding.unit,
    // The file that exports the function is not known here (only the module holding the state is).
    suggestion: `'path/to/handler.ts#${exportName}'`,
  };
  if (finding.module) note.module = finding.module;
  return note;
}
