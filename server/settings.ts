/**
 * Editor settings (the `keepaliveLint` section of workspace/configuration) as a config-file shaped
 * object: keys outside the config schema (trace, …), nulls and empty values are dropped, and each key
 * is validated on its own so one bad setting does not discard the others.
 */
import { configSchema, validateConfig, type UserConfig } from '../rules/config.ts';
import { RULE_IDS } from '../rules/registry.ts';

/** How messages name the settings as a source of T ("idleTimeoutSeconds in keepaliveLint settings"). */
export const SETTINGS_NAME = 'keepaliveLint settings';

export interface ParsedSettings {
  readonly user: UserConfig;
  readonly errors: readonly string[];
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

export function parseSettings(raw: unknown): ParsedSettings {
  const keys = Object.keys((configSchema(RULE_IDS)['properties'] ?? {}) as Record<string, unknown>);
  const user: Record<string, unknown> = {};
  const errors: string[] = [];
  if (raw !== null && typeof raw === 'object') {
    for (const key of keys) {
      const value = (raw as Record<string, unknown>)[key];
      if (isEmpty(value)) continue;
      const validation = validateConfig({ [key]: value }, SETTINGS_NAME, RULE_IDS);
      if (validation.ok) user[key] = value;
      else errors.push(...validation.errors);
    }
  }
  return { user: user as UserConfig, errors };
}
