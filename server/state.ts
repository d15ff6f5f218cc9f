/** What the server keeps about one linted document version: enough for diagnostics, actions and hovers. */
import type { IdleTimeout, ResolvedConfig } from '../rules/config.ts';
import type { AnalysedCode, AnalysedYaml } from '../rules/lint.ts';
import type { LineIndex } from '../rules/positions.ts';
import type { FileProblem, Finding } from '../rules/types.ts';

export type DocumentKind = 'yaml' | 'code';

export interface LintState {
  readonly uri: string;
  /** The path the core saw (the file path; for untitled documents, their URI). */
  readonly path: string;
  readonly version: number;
  readonly kind: DocumentKind;
  readonly text: string;
  readonly lines: LineIndex;
  readonly findings: readonly Finding[];
  readonly problem?: FileProblem;
  readonly yaml?: AnalysedYaml;
  readonly code?: AnalysedCode;
  readonly config?: ResolvedConfig;
  readonly timeout?: IdleTimeout;
  /** Why nothing was linted (ignored, a Helm template, a config file), if so. */
  readonly skipped?: string;
  /** Lints another text of this document the same way (the passes of fix-all). */
  relint(text: string): readonly Finding[];
}
