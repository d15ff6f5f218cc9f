// Types for the benchmark's generator, which tests use to build a monorepo (see generate.mjs).
export interface GeneratedManifest {
  readonly seed: number;
  readonly scale: number;
  readonly yaml: string[];
  readonly otherYaml: string[];
  readonly code: string[];
  readonly clientCode: string[];
  readonly corpus: string[];
  readonly bigJs: string[];
  readonly editor: string[];
}
export declare const BIG_JS: readonly string[];
export declare function prng(seed: number): {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  logInt(lo: number, hi: number): number;
  chance(p: number): boolean;
};
export declare function generate(outDir: string, options?: { seed?: number; scale?: number; bigJs?: readonly string[] }): GeneratedManifest;
export declare function linkRelevant(outDir: string, relevantFiles: readonly string[]): string;
export declare function listFiles(root: string): string[];
