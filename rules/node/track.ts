/**
 * Where a created client goes (a variable, a field, a return value, an argument) and which calls
 * are later made on it in the same file: `socket.setKeepAlive(…)`, `session.setTimeout(…)`.
 */
import ts from 'typescript';
import { fileNodes } from '../ts/nodes.ts';

export type Storage =
  | { readonly kind: 'variable'; readonly name: string; readonly scope: ts.Node }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'returned' }
  | { readonly kind: 'argument'; readonly call: ts.CallExpression | ts.NewExpression }
  | { readonly kind: 'property'; readonly name: string }
  | { readonly kind: 'discarded' }
  | { readonly kind: 'other' };

function skipWrappers(node: ts.Node): ts.Node {
  let current = node;
  while (
    current.parent &&
    (ts.isParenthesizedExpression(current.parent) || ts.isAwaitExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isSatisfiesExpression(current.parent))
  ) {
    current = current.parent;
  }
  return current;
}

/** The nearest function (or the file) around a node: the scope a local variable lives in. */
export function functionScope(node: ts.Node): ts.Node {
  let current = node.parent;
  while (current && !ts.isSourceFile(current) && !ts.isFunctionLike(current)) current = current.parent;
  return current ?? node.getSourceFile();
}

export function storageOf(expression: ts.Expression): Storage {
  const node = skipWrappers(expression);
  const parent = node.parent;
  if (!parent) return { kind: 'other' };
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) {
    return { kind: 'variable', name: parent.name.text, scope: functionScope(parent) };
  }
  if (ts.isPropertyDeclaration(parent) && parent.initializer === node) {
    const name = parent.name;
    return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? { kind: 'field', name: name.text } : { kind: 'other' };
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) {
    const left = parent.left;
    if (ts.isIdentifier(left)) return { kind: 'variable', name: left.text, scope: functionScope(parent) };
    if (ts.isPropertyAccessExpression(left)) return { kind: 'field', name: left.name.text };
    return { kind: 'other' };
  }
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node)) return { kind: 'returned' };
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node as ts.Expression)) return { kind: 'argument', call: parent };
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    const name = parent.name;
    return { kind: 'property', name: ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : '' };
  }
  if (ts.isExpressionStatement(parent)) return { kind: 'discarded' };
  return { kind: 'other' };
}

/** Whether `expression` names the stored client: the variable itself, or `this.field` / `obj.field`. */
export function refersTo(expression: ts.Expression, storage: Storage): boolean {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  if (storage.kind === 'variable') return ts.isIdentifier(node) && node.text === storage.name;
  if (storage.kind === 'field') return (ts.isPropertyAccessExpression(node) && node.name.text === storage.name) || (ts.isIdentifier(node) && node.text === storage.name);
  return false;
}

/** Calls `<client>.<method>(…)` made on the stored client anywhere in its scope (the file for fields). */
export function callsOn(sourceFile: ts.SourceFile, storage: Storage, methods: readonly string[]): ts.CallExpression[] {
  if (storage.kind !== 'variable' && storage.kind !== 'field') return [];
  const root = storage.kind === 'variable' ? storage.scope : sourceFile;
  return fileNodes(sourceFile)
    .callsIn(root)
    .filter((node) => ts.isPropertyAccessExpression(node.expression) && methods.includes(node.expression.name.text) && refersTo(node.expression.expression, storage));
}

/** Every call in the file whose callee is a plain identifier or member named one of `names`. */
export function callsNamed(sourceFile: ts.SourceFile, names: readonly string[]): ts.CallExpression[] {
  return fileNodes(sourceFile).calls.filter((node) => {
    const callee = node.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    return name !== undefined && names.includes(name);
  });
}

/** The range a client finding is reported at: `new X` for constructions, the callee for calls. */
export function creationRange(sourceFile: ts.SourceFile, expression: ts.CallExpression | ts.NewExpression): { start: number; end: number } {
  return { start: expression.getStart(sourceFile), end: expression.expression.getEnd() };
}
