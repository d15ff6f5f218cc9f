/** Applying fixes: the same code serves `--fix`, the editor's fix-all and the tests. */
import type { Finding, Fix, TextEdit } from './types.ts';

export const MAX_FIX_PASSES = 10;

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one offset have no defined order: treat them as a conflict.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Applies whole fixes in order of position; a fix that overlaps one already taken waits for the next pass. */
export function applyFixes(text: string, fixes: readonly Fix[]): { text: string; applied: number } {
  const ordered = [...fixes].sort((a, b) => (a.edits[0]?.start ?? 0) - (b.edits[0]?.start ?? 0));
  const taken: TextEdit[] = [];
  let applied = 0;
  for (const fix of ordered) {
    if (fix.edits.length === 0) continue;
    if (fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
    taken.push(...fix.edits);
    applied++;
  }
  taken.sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of taken) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return { text: result, applied };
}

export function preferredFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((fix) => fix.preferred);
}

/**
 * Lints and applies preferred fixes until nothing changes (at most MAX_FIX_PASSES), so fixes that
 * overlapped in one pass land in the next. `lint` sees the text as it is after each pass.
 */
export function fixUntilStable(text: string, lint: (text: string) => readonly Finding[]): { text: string; applied: number; passes: number } {
  let current = text;
  let applied = 0;
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const fixes = lint(current).flatMap((finding) => {
      const fix = preferredFix(finding);
      return fix ? [fix] : [];
    });
    if (fixes.length === 0) break;
    const result = applyFixes(current, fixes);
    passes++;
    if (result.applied === 0 || result.text === current) break;
    current = result.text;
    applied += result.applied;
  }
  return { text: current, applied, passes };
}
