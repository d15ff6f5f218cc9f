/**
 * Which module and export an expression refers to, for every import form: ESM default/namespace/
 * named (with aliases), `require` (with destructuring), `require('m').X`, `import x = require()`,
 * dynamic `import()`, `node:` prefixes, and local `const X = mod.X` aliases.
 */
import ts from 'typescript';
import { fileNodes } from './nodes.ts';

export interface ModuleRef {
  /** The module specifier without `node:`: `http`, `@grpc/grpc-js`. */
  readonly module: string;
  /** Export path below the module namespace: [] for the namespace, ['Agent'], ['default']. */
  readonly path: readonly string[];
}

const NODE_BUILTINS = new Set(['net', 'tls', 'http', 'https', 'http2', 'dns', 'events', 'stream', 'timers']);

export function normaliseModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

function defaultPath(module: string): readonly string[] {
  // A CommonJS built-in's default import is its namespace.
  return NODE_BUILTINS.has(module) ? [] : ['default'];
}

function stringArg(call: ts.CallExpression): string | undefined {
  const arg = call.arguments[0];
  return arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : undefined;
}

function isRequireCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1 && stringArg(node) !== undefined;
}

function isDynamicImport(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && stringArg(node) !== undefined;
}

type Wrapper = ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.SatisfiesExpression | ts.TypeAssertion | ts.AwaitExpression;

// Compared by kind: every callee of the file is resolved, and each ts.isX is a getter call and a function call.
const WRAPPERS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.ParenthesizedExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.SatisfiesExpression,
  ts.SyntaxKind.TypeAssertionExpression,
  ts.SyntaxKind.AwaitExpression,
]);

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (WRAPPERS.has(current.kind)) current = (current as Wrapper).expression;
  return current;
}

/** Resolves identifiers and member chains to module exports, per source file. */
export class ImportTable {
  /** Local name → what it is bound to (only names bound exactly once in the file). */
  private readonly bindings = new Map<string, ModuleRef | ts.Expression>();
  private readonly ambiguous = new Set<string>();
  /** Modules the file imports at all. */
  readonly modules = new Set<string>();

  constructor(readonly sourceFile: ts.SourceFile) {
    this.collect(sourceFile);
  }

  private bind(name: string, target: ModuleRef | ts.Expression): void {
    if (this.bindings.has(name) || this.ambiguous.has(name)) {
      this.bindings.delete(name);
      this.ambiguous.add(name);
      return;
    }
    this.bindings.set(name, target);
  }

  private collect(sourceFile: ts.SourceFile): void {
    const nodes = fileNodes(sourceFile);
    for (const node of nodes.declarations) {
      if (ts.isImportDeclaration(node)) {
        if (!ts.isStringLiteral(node.moduleSpecifier)) continue;
        const module = normaliseModule(node.moduleSpecifier.text);
        this.modules.add(module);
        const clause = node.importClause;
        if (clause?.name) this.bind(clause.name.text, { module, path: defaultPath(module) });
        const named = clause?.namedBindings;
        if (named && ts.isNamespaceImport(named)) this.bind(named.name.text, { module, path: [] });
        if (named && ts.isNamedImports(named)) {
          for (const element of named.elements) {
            const imported = (element.propertyName ?? element.name).text;
            this.bind(element.name.text, { module, path: imported === 'default' ? defaultPath(module) : [imported] });
          }
        }
      } else if (ts.isImportEqualsDeclaration(node)) {
        if (!ts.isExternalModuleReference(node.moduleReference)) continue;
        const expression = node.moduleReference.expression;
        if (ts.isStringLiteral(expression)) {
          const module = normaliseModule(expression.text);
          this.modules.add(module);
          this.bind(node.name.text, { module, path: [] });
        }
      } else if (node.initializer) {
        this.bindDeclaration(node.name, node.initializer, node);
      }
    }
    for (const call of nodes.calls) if (isRequireCall(call) || isDynamicImport(call)) this.modules.add(normaliseModule(stringArg(call)!));
    // A name assigned anywhere may hold something else by the time it is used.
    for (const assignment of nodes.assignments) {
      const name = (assignment.left as ts.Identifier).text;
      this.bindings.delete(name);
      this.ambiguous.add(name);
    }
  }

  private bindDeclaration(name: ts.BindingName, initializer: ts.Expression, declaration: ts.VariableDeclaration): void {
    const isConst = (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
    if (ts.isIdentifier(name)) {
      const target = unwrap(initializer);
      if (isRequireCall(target) || isDynamicImport(target)) {
        const module = normaliseModule(stringArg(target)!);
        // `const http = require('http')`; `const ws = await import('ws')` (a namespace object).
        this.bind(name.text, { module, path: [] });
      } else if (isConst) {
        this.bind(name.text, initializer);
      } else {
        this.bind(name.text, initializer);
        this.ambiguous.add(name.text); // reassignable: do not trust it
        this.bindings.delete(name.text);
      }
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      const base = this.resolve(initializer);
      for (const element of name.elements) {
        if (!ts.isIdentifier(element.name) || element.dotDotDotToken) continue;
        const key = element.propertyName ?? element.name;
        const keyText = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
        if (!keyText) continue;
        if (base) {
          const path = base.path.length === 0 && keyText === 'default' ? defaultPath(base.module) : [...base.path, keyText];
          this.bind(element.name.text, { module: base.module, path });
        }
      }
    }
  }

  /** Whether the file imports one of `modules`: when it imports none, nothing in it resolves to them. */
  importsAny(modules: readonly string[]): boolean {
    return modules.some((module) => this.modules.has(module));
  }

  /** The module export an expression denotes, or undefined when it is not (visibly) one. */
  resolve(expression: ts.Expression, depth = 0): ModuleRef | undefined {
    if (depth > 8) return undefined;
    const node = unwrap(expression);
    if (isRequireCall(node) || isDynamicImport(node)) return { module: normaliseModule(stringArg(node)!), path: [] };
    if (ts.isIdentifier(node)) {
      const bound = this.bindings.get(node.text);
      if (!bound) return undefined;
      if ('module' in bound && typeof bound.module === 'string') return bound as ModuleRef;
      return this.resolve(bound as ts.Expression, depth + 1);
    }
    if (ts.isPropertyAccessExpression(node)) {
      const base = this.resolve(node.expression, depth + 1);
      if (!base) return undefined;
      const name = node.name.text;
      // `mod.default.X` of an ESM-interop namespace is `mod.X` for our purposes.
      if (name === 'default' && base.path.length === 0) return { module: base.module, path: defaultPath(base.module) };
      return { module: base.module, path: [...base.path, name] };
    }
    if (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression)) {
      const base = this.resolve(node.expression, depth + 1);
      return base ? { module: base.module, path: [...base.path, node.argumentExpression.text] } : undefined;
    }
    return undefined;
  }

  /** True when `expression` denotes export `path` of `module` (or of one of `modules`). */
  is(expression: ts.Expression, modules: string | readonly string[], ...paths: (readonly string[])[]): boolean {
    const ref = this.resolve(expression);
    if (!ref) return false;
    const wanted = typeof modules === 'string' ? [modules] : modules;
    if (!wanted.includes(ref.module)) return false;
    return paths.some((path) => path.length === ref.path.length && path.every((part, i) => part === ref.path[i]));
  }
}
