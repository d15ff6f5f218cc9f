/**
 * The shapes every layer shares. Offsets are UTF-16 indices into the file text, as the parsers give
 * them; line/column conversion happens only in the adapters.
 */

export type Severity = 'off' | 'warn' | 'error';
export type ActiveSeverity = Exclude<Severity, 'off'>;

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

export interface TextEdit extends OffsetRange {
  readonly newText: string;
}

export interface Fix {
  /** What the user sees in a quick-fix menu. */
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix `--fix` applies and the editor marks `isPreferred`. At most one per finding. */
  readonly preferred: boolean;
}

/** A location that explains a finding: the evidence, the Service it names, the config that set T. */
export interface RelatedLocation {
  readonly path: string;
  readonly range: OffsetRange;
  readonly message: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly messageId: string;
  readonly message: string;
  readonly severity: ActiveSeverity;
  readonly range: OffsetRange;
  readonly related: readonly RelatedLocation[];
  readonly fixes: readonly Fix[];
}

/** A file that could not be analysed as a whole: a parse error, or a note saying why it was skipped. */
export interface FileProblem {
  readonly kind: 'parse-error' | 'skipped';
  readonly message: string;
  readonly range: OffsetRange;
}

export interface SourceText {
  readonly path: string;
  readonly text: string;
}
