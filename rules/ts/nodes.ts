/**
 * One walk over a file that collects the nodes the import table, the const table and the code rules
 * look for, so that each of them reads a list instead of walking the whole tree again (on a large
 * file every walk costs about a millisecond, and the language server lints on each keystroke).
 */
import ts from 'typescript';
import { MAX_DEPTH, TooDeepError } from '../limits.ts';

// The compiler's CommonJS exports are getters, and SyntaxKind is a large object: read the kinds the
// walk compares every node with once, not on every node.
const { forEachChild } = ts;
const {
  Identifier,
  PrivateIdentifier,
  CallExpression,
  NewExpression,
  StringLiteral,
  BinaryExpression,
  VariableDeclaration,
  ImportDeclaration,
  ImportEqualsDeclaration,
  Parameter,
  FunctionDeclaration,
  ClassDeclaration,
  MethodDeclaration,
  PropertyDeclaration,
  ExpressionStatement,
  VariableStatement,
  ReturnStatement,
  EqualsToken,
} = ts.SyntaxKind;

export type Creation = ts.CallExpression | ts.NewExpression;

/** The declarations the import table binds, in source order: a binding may resolve through an earlier one. */
export type ImportingDeclaration = ts.ImportDeclaration | ts.ImportEqualsDeclaration | ts.VariableDeclaration;

/** The nodes of one file by kind, each list in source order (the order of a pre-order walk). */
export class FileNodes {
  /** Calls and `new` expressions. */
  readonly creations: Creation[] = [];
  readonly calls: ts.CallExpression[] = [];
  readonly declarations: ImportingDeclaration[] = [];
  readonly variables: ts.VariableDeclaration[] = [];
  readonly parameters: ts.ParameterDeclaration[] = [];
  readonly functions: ts.FunctionDeclaration[] = [];
  readonly classes: ts.ClassDeclaration[] = [];
  readonly methods: ts.MethodDeclaration[] = [];
  readonly properties: ts.PropertyDeclaration[] = [];
  /** `name = …` with a plain identifier on the left. */
  readonly assignments: ts.BinaryExpression[] = [];
  readonly stringLiterals: ts.StringLiteral[] = [];
  /** Expression, variable, import and return statements: the ones whose semicolons say the file's style. */
  readonly statements: ts.Statement[] = [];
  private readonly names: (ts.Identifier | ts.PrivateIdentifier)[] = [];
  private nameSet: Set<string> | undefined;

  constructor(readonly sourceFile: ts.SourceFile) {
    // Which lists a node goes to, by kind: an array indexed by kind is the cheapest lookup per node.
    const listsOf: (ts.Node[][] | undefined)[] = [];
    const entries: [ts.SyntaxKind, ts.Node[][]][] = [
      [Identifier, [this.names]],
      [PrivateIdentifier, [this.names]],
      [CallExpression, [this.calls, this.creations]],
      [NewExpression, [this.creations]],
      [StringLiteral, [this.stringLiterals]],
      [VariableDeclaration, [this.variables, this.declarations]],
      [ImportDeclaration, [this.declarations, this.statements]],
      [ImportEqualsDeclaration, [this.declarations]],
      [Parameter, [this.parameters]],
      [FunctionDeclaration, [this.functions]],
      [ClassDeclaration, [this.classes]],
      [MethodDeclaration, [this.methods]],
      [PropertyDeclaration, [this.properties]],
      [ExpressionStatement, [this.statements]],
      [VariableStatement, [this.statements]],
      [ReturnStatement, [this.statements]],
    ];
    for (const [kind, lists] of entries) listsOf[kind] = lists;
    // The first walk of every linted file: it also enforces MAX_DEPTH, so the recursive walks of the
    // rules after it never meet a tree deep enough to exhaust the stack.
    let depth = 0;
    const visit = (node: ts.Node): void => {
      if (++depth > MAX_DEPTH) throw new TooDeepError();
      const lists = listsOf[node.kind];
      if (lists) for (const list of lists) list.push(node);
      else if (node.kind === BinaryExpression) {
        const binary = node as ts.BinaryExpression;
        if (binary.operatorToken.kind === EqualsToken && binary.left.kind === Identifier) this.assignments.push(binary);
      }
      forEachChild(node, visit);
      depth--;
    };
    visit(sourceFile);
  }

  /** Whether an identifier (or `#private` name) anywhere in the file is spelled `name`. */
  hasName(name: string): boolean {
    // An identifier's text is spelled out in the source unless it is written with `\u` escapes.
    const { text } = this.sourceFile;
    if (!text.includes(name) && !text.includes('\\u')) return false;
    this.nameSet ??= new Set(this.names.map((node) => node.text));
    return this.nameSet.has(name);
  }

  /** The calls in `root`'s subtree (`root` included), in source order. */
  callsIn(root: ts.Node): readonly ts.CallExpression[] {
    if (root === this.sourceFile) return this.calls;
    const { calls } = this;
    // Source order is `pos` order; a call inside `root` lies within its range, and a call that does
    // is inside it (nodes that are not nested do not overlap, and no call ends where it starts).
    let low = 0;
    let high = calls.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (calls[middle]!.pos < root.pos) low = middle + 1;
      else high = middle;
    }
    const found: ts.CallExpression[] = [];
    for (let i = low; i < calls.length && calls[i]!.pos < root.end; i++) if (calls[i]!.end <= root.end) found.push(calls[i]!);
    return found;
  }
}

const byFile = new WeakMap<ts.SourceFile, FileNodes>();

/**
 * The nodes of a file, collected once. Keyed by the SourceFile, which an incremental re-parse
 * replaces (the nodes it moves into the new tree are collected again there), so a list never
 * describes a tree that has changed. Throws TooDeepError on a tree deeper than MAX_DEPTH.
 */
export function fileNodes(sourceFile: ts.SourceFile): FileNodes {
  let nodes = byFile.get(sourceFile);
  if (!nodes) {
    nodes = new FileNodes(sourceFile);
    byFile.set(sourceFile, nodes);
  }
  return nodes;
}
