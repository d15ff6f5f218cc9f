import type { CodeVersions } from '../../rules/node/versions.ts';

/** Library versions as a lockfile would give them, for rule tables: `{ undici: '5.10.0' }`. */
export const versions = (libraries: Record<string, string>): CodeVersions => ({
  node: undefined,
  libraries: new Map(
    Object.entries(libraries).map(([name, v]) => {
      const [major, minor, patch] = v.split('.').map(Number);
      return [name, { version: { major: major!, minor: minor ?? 0, patch: patch ?? 0 }, source: 'package-lock.json' }];
    }),
  ),
});
