/**
 * Generates the docs that follow from the rule metadata in RULES: the rule table in README.md (between
 * the rules-table markers) and the header of each docs/rules/<id>.md (between the generated markers).
 * The hand-written body of a page, after its header, is kept as it is.
 *
 *   node --import tsx scripts/gen-docs.ts           write README.md and docs/rules/
 *   node --import tsx scripts/gen-docs.ts --check   list drifted files, write nothing, exit 1 on drift
 *
 * The functions are pure and exported: test/docs.test.ts uses them to check that nothing drifted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RULES } from '../rules/registry.ts';
import type { Rule } from '../rules/rule.ts';

export const TABLE_START = '<!-- rules-table:start -->';
export const TABLE_END = '<!-- rules-table:end -->';
export const HEADER_START = '<!-- generated:start -->';
export const HEADER_END = '<!-- generated:end -->';

/** The metadata the docs are made from. */
export type DocRule = Pick<Rule, 'id' | 'description' | 'defaultSeverity' | 'fixable' | 'remediation' | 'docsUrl'>;

/** The page of a rule, relative to the repository root, with `/` separators: `docs/rules/k8s/x.md`. */
export function docPath(id: string): string {
  return `docs/rules/${id}.md`;
}

/** Text for one Markdown table cell: no line breaks, `|` escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** The README rule table: id linked to its page, default severity, fixable, description. */
export function renderRulesTable(rules: readonly DocRule[]): string {
  const lines = ['| Rule | Default severity | Fixable | Description |', '| --- | --- | --- | --- |'];
  for (const rule of rules) {
    lines.push(`| [${cell(rule.id)}](${docPath(rule.id)}) | ${rule.defaultSeverity} | ${rule.fixable ? 'yes' : 'no'} | ${cell(rule.description)} |`);
  }
  return lines.join('\n');
}

/** The generated header of a rule's page (without the markers). */
export function renderDocHeader(rule: DocRule): string {
  return [
    `# ${rule.id}`,
    '',
    rule.description,
    '',
    `- Default severity: \`${rule.defaultSeverity}\``,
    `- Fixable: ${rule.fixable ? 'yes (`--fix` applies the preferred fix; editors offer every fix)' : 'no'}`,
    '',
    `Fix: ${rule.remediation}`,
  ].join('\n');
}

/** A new page: the header markers and the sections every page has, to be written by hand. */
export function renderDocStub(rule: DocRule): string {
  const sections = ['Why', 'Example that fires', 'Fix', 'When not to use it', 'Conflicts with other linters', 'Suppress'];
  return `${HEADER_START}\n${renderDocHeader(rule)}\n${HEADER_END}\n${sections.map((s) => `\n## ${s}\n\nTODO\n`).join('')}`;
}

/**
 * Replaces what lies between the `start` and `end` markers with `content` (one newline after the start
 * marker and before the end marker). Throws when the markers are missing or out of order.
 */
export function applyGenerated(text: string, start: string, end: string, content: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from < 0 ? 0 : from + start.length);
  if (from < 0 || to < 0) throw new Error(`markers ${start} … ${end} not found`);
  if (text.indexOf(start, from + start.length) >= 0) throw new Error(`marker ${start} appears more than once`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** What lies between the markers, without the newlines next to them; undefined when they are missing. */
export function readGenerated(text: string, start: string, end: string): string | undefined {
  const from = text.indexOf(start);
  if (from < 0) return undefined;
  const to = text.indexOf(end, from + start.length);
  if (to < 0) return undefined;
  return text.slice(from + start.length, to).replace(/^\r?\n/, '').replace(/\r?\n$/, '');
}

/** A page with its header brought up to date; a page without markers gets the header on top. */
export function updateDocPage(text: string | undefined, rule: DocRule): string {
  if (text === undefined) return renderDocStub(rule);
  if (!text.includes(HEADER_START) || !text.includes(HEADER_END)) return `${HEADER_START}\n${renderDocHeader(rule)}\n${HEADER_END}\n\n${text}`;
  return applyGenerated(text, HEADER_START, HEADER_END, renderDocHeader(rule));
}

/**
 * The body of the `## heading` section of a Markdown page, up to the next heading of level 1 or 2.
 * Lines inside fenced code blocks are not headings. Undefined when there is no such section.
 */
export function markdownSection(markdown: string, heading: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  let fenced = false;
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || !/^#{1,2}\s/.test(line)) continue;
    if (start >= 0) return lines.slice(start, i).join('\n');
    if (line.replace(/^#{1,2}\s+/, '').trim() === heading && line.startsWith('## ')) start = i + 1;
  }
  return start >= 0 ? lines.slice(start).join('\n') : undefined;
}

/** The contents of the ```yaml fenced blocks of a Markdown text, in order. */
export function yamlBlocks(markdown: string): string[] {
  return fencedBlocks(markdown, 'ya?ml');
}

/** Fenced code blocks whose info string matches `language` (a regex source: `ya?ml`, `(?:ts|js)`). */
export function fencedBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  const pattern = new RegExp(`^\`\`\`${language}\\b[^\\n]*\\n([\\s\\S]*?)^\`\`\`[ \\t]*$`, 'gm');
  for (const match of markdown.matchAll(pattern)) blocks.push(match[1]!);
  return blocks;
}

/** Every `.md` file under a folder, as repository-relative paths with `/` separators. */
export function listDocPages(root: string): string[] {
  const base = join(root, 'docs', 'rules');
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(base);
  return found;
}

export interface GeneratedFile {
  /** Repository-relative path. */
  readonly path: string;
  readonly before: string | undefined;
  readonly after: string;
}

/** The README and every rule page as they should be. Reads files, writes nothing. */
export function planDocs(root: string, rules: readonly DocRule[] = RULES): { files: GeneratedFile[]; orphans: string[] } {
  const read = (path: string): string | undefined => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined);
  const files: GeneratedFile[] = [];
  const readme = read('README.md');
  if (readme === undefined) throw new Error('README.md not found');
  files.push({ path: 'README.md', before: readme, after: applyGenerated(readme, TABLE_START, TABLE_END, renderRulesTable(rules)) });
  for (const rule of rules) {
    const path = docPath(rule.id);
    const before = read(path);
    files.push({ path, before, after: updateDocPage(before, rule) });
  }
  const known = new Set(rules.map((rule) => docPath(rule.id)));
  const orphans = listDocPages(root).filter((path) => !known.has(path));
  return { files, orphans };
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`gen-docs: unknown argument ${unknown.join(' ')}; usage: gen-docs.ts [--check]`);
    return 2;
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { files, orphans } = planDocs(root);
  const drifted = files.filter((file) => file.before !== file.after);
  for (const orphan of orphans) console.error(`${orphan}: no rule with this id in rules/registry.ts`);
  if (check) {
    for (const file of drifted) console.error(`${file.path}: ${file.before === undefined ? 'missing' : 'out of date'}`);
    if (drifted.length > 0) console.error('Run `npm run docs` to regenerate.');
    return drifted.length > 0 || orphans.length > 0 ? 1 : 0;
  }
  for (const file of drifted) {
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.after);
    console.log(`${file.before === undefined ? 'created' : 'updated'} ${file.path}`);
  }
  if (drifted.length === 0) console.log('docs are up to date');
  return 0;
}

function runDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (runDirectly()) process.exitCode = main(process.argv.slice(2));
