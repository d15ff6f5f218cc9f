/**
 * Static values: numbers (`30_000`, `30 * 1000`), strings, booleans, `const`s of the same file, and
 * object-literal options. Anything the linter cannot see (a parameter, an import, a call, a spread)
 * is `unknown`, and the rules stay silent on it.
 */
import ts from 'typescript';
import { fileNodes } from './nodes.ts';

export type Folded =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'undefined' }
  | { readonly kind: 'object'; readonly options: Options }
  | { readonly kind: 'unknown' };

export const UNKNOWN: Folded = { kind: 'unknown' };

/** `const` declarations of a file by name; a name declared twice is left out (it may be shadowed). */
export class ConstTable {
  private readonly byName = new Map<string, ts.Expression | null>();

  constructor(sourceFile: ts.SourceFile) {
    const nodes = fileNodes(sourceFile);
    // Which declaration comes first does not matter: a name declared twice is left out either way.
    for (const node of nodes.variables) {
      if (!ts.isIdentifier(node.name)) continue;
      const name = node.name.text;
      const isConst = (ts.getCombinedNodeFlags(node) & ts.NodeFlags.Const) !== 0;
      this.byName.set(name, this.byName.has(name) || !isConst || !node.initializer ? null : node.initializer);
    }
    for (const node of nodes.parameters) if (ts.isIdentifier(node.name)) this.byName.set(node.name.text, null);
    for (const node of [...nodes.functions, ...nodes.classes]) if (node.name) this.byName.set(node.name.text, null);
  }

  initializer(name: string): ts.Expression | undefined {
    return this.byName.get(name) ?? undefined;
  }
}

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

export function fold(expression: ts.Expression | undefined, consts: ConstTable, depth = 0): Folded {
  if (!expression || depth > 10) return UNKNOWN;
  const node = unwrap(expression);
  if (ts.isNumericLiteral(node)) return { kind: 'number', value: Number(node.text.replace(/_/g, '')) };
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', value: node.text };
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'boolean', value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'boolean', value: false };
  if (ts.isIdentifier(node)) {
    if (node.text === 'undefined') return { kind: 'undefined' };
    if (node.text === 'Infinity') return { kind: 'number', value: Infinity };
    return fold(consts.initializer(node.text), consts, depth + 1);
  }
  if (node.kind === ts.SyntaxKind.NullKeyword) return { kind: 'undefined' };
  if (ts.isPrefixUnaryExpression(node)) {
    const operand = fold(node.operand, consts, depth + 1);
    if (operand.kind !== 'number') return UNKNOWN;
    if (node.operator === ts.SyntaxKind.MinusToken) return { kind: 'number', value: -operand.value };
    if (node.operator === ts.SyntaxKind.PlusToken) return operand;
    return UNKNOWN;
  }
  if (ts.isBinaryExpression(node)) {
    const left = fold(node.left, consts, depth + 1);
    const right = fold(node.right, consts, depth + 1);
    if (left.kind !== 'number' || right.kind !== 'number') return UNKNOWN;
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return { kind: 'number', value: left.value * right.value };
      case ts.SyntaxKind.PlusToken:
        return { kind: 'number', value: left.value + right.value };
      case ts.SyntaxKind.MinusToken:
        return { kind: 'number', value: left.value - right.value };
      case ts.SyntaxKind.SlashToken:
        return right.value === 0 ? UNKNOWN : { kind: 'number', value: left.value / right.value };
      default:
        return UNKNOWN;
    }
  }
  if (ts.isObjectLiteralExpression(node)) return { kind: 'object', options: new Options(node, consts) };
  return UNKNOWN;
}

/** What one option of an options object is: a value, absent, or not knowable. */
export type OptionValue = Folded | { readonly kind: 'absent' };

/** An object literal read as options: `{ keepAlive: true, ...rest }`. */
export class Options {
  private readonly properties = new Map<string, ts.Expression>();
  /** A spread or computed key hides what else may be set. */
  readonly open: boolean;

  constructor(
    readonly node: ts.ObjectLiteralExpression,
    private readonly consts: ConstTable,
  ) {
    let open = false;
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property)) {
        const key = propertyName(property.name);
        if (key === undefined) open = true;
        else this.properties.set(key, property.initializer);
      } else if (ts.isShorthandPropertyAssignment(property)) {
        this.properties.set(property.name.text, property.name);
      } else if (ts.isSpreadAssignment(property)) {
        // Later keys override the spread; a key absent after a spread may come from it.
        open = true;
      } else {
        open = true; // methods and accessors: not options we understand
      }
    }
    this.open = open;
  }

  has(name: string): boolean {
    return this.properties.has(name);
  }

  expression(name: string): ts.Expression | undefined {
    return this.properties.get(name);
  }

  get(name: string): OptionValue {
    const expression = this.properties.get(name);
    if (!expression) return this.open ? UNKNOWN : { kind: 'absent' };
    return fold(expression, this.consts);
  }

  /** A nested options object (`connect: { keepAlive: false }`), unknown when not a visible literal. */
  nested(name: string): Options | 'absent' | 'unknown' {
    const value = this.get(name);
    if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
    return value.kind === 'object' ? value.options : 'unknown';
  }
}

export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
  return undefined;
}

/** Options passed as an argument: a literal, a `const` bound to a literal, nothing (absent), or unknown. */
export function optionsOf(argument: ts.Expression | undefined, consts: ConstTable): Options | 'absent' | 'unknown' {
  if (!argument) return 'absent';
  const value = fold(argument, consts);
  if (value.kind === 'object') return value.options;
  if (value.kind === 'undefined') return 'absent';
  return 'unknown';
}

/** `'30s'`, `'1m'`, `'500ms'`, `'2h'` as agentkeepalive (ms/humanize-ms) reads them; numbers are ms. */
export function humanMs(value: Folded | OptionValue): number | undefined {
  if (value.kind === 'number') return value.value;
  if (value.kind !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(value.value);
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'ms').toLowerCase() as 'ms'];
  return Number(match[1]) * unit;
}
