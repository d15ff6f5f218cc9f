/**
 * Input that is too deep for the recursive parsers and walkers. The engine's stack runs out at a
 * depth that depends on its state (warm code has smaller frames), so wherever it happens the file
 * gets the same problem at the same place: results stay deterministic.
 */

/** Whether an error is the engine running out of stack (deeply nested input), not a bug to re-throw. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

export const TOO_DEEP_MESSAGE = 'Too deeply nested to analyse (more than 256 levels)';

/**
 * The deepest syntax tree analysed, in YAML collections or TS/JS nodes. Far above real manifests and
 * code (tens of levels) and far below where the recursive parsers run out of stack on any thread
 * (about 550 levels cold for the TypeScript parser, 600 for yaml's composer), so whether a file is
 * too deep never depends on how warm the engine is: the answer is the same on every run.
 */
export const MAX_DEPTH = 256;

/** Thrown by the walkers that meet a tree deeper than MAX_DEPTH; callers turn it into the one problem. */
export class TooDeepError extends Error {
  constructor() {
    super(TOO_DEEP_MESSAGE);
  }
}

/** Whether an error means "too deep": ours, or the engine's stack running out. */
export function isTooDeep(error: unknown): boolean {
  return error instanceof TooDeepError || isStackOverflow(error);
}
