/**
 * The VS Code settings (`contributes.configuration` of package.json), generated from the same JSON
 * Schema as the config file (rules/config.ts), so the two never disagree. Each key `k` of the config
 * file becomes the setting `keepaliveLint.k`; a config file in the workspace wins over the settings.
 */
import { configSchema } from '../rules/config.ts';
import { RULE_IDS } from '../rules/registry.ts';

/**
 * Keys whose schema default must not be sent as if the user had set it: an explicit `middleboxes`
 * would override a KubeProxyConfiguration of the workspace, so it defaults to null (unset).
 */
const UNSET_BY_DEFAULT = new Set(['middleboxes']);

type Schema = Record<string, unknown>;

function toSetting(key: string, schema: Schema): Schema {
  const setting: Schema = { ...schema, scope: 'resource' };
  if (!('default' in schema) || UNSET_BY_DEFAULT.has(key)) {
    // Without a default VS Code would send 0, "" or [] — values the config schema rejects or misreads.
    setting['type'] = [schema['type'], 'null'];
    setting['default'] = null;
    if ('default' in schema) setting['description'] = `${String(schema['description'])} Unset: ${JSON.stringify(schema['default'])}.`;
  }
  return setting;
}

export function settingsContribution(): { title: string; properties: Record<string, Schema> } {
  const schema = configSchema(RULE_IDS) as { properties: Record<string, Schema> };
  const properties: Record<string, Schema> = {};
  for (const [key, value] of Object.entries(schema.properties)) properties[`keepaliveLint.${key}`] = toSetting(key, value);
  properties['keepaliveLint.trace.server'] = {
    scope: 'window',
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    description: 'Traces the messages between VS Code and the keepalive-lint language server (in the Keepalive Lint output).',
  };
  return { title: 'Keepalive Lint', properties };
}
