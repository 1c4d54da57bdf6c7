// Parses Python expressions into a small syntax tree of strings, numbers,
// names, attributes, calls and containers. Other expressions stay opaque.

import type { PythonModule } from './python-module';
import type { Token } from './python-tokenizer';
import {
  CLOSING_BRACKETS,
  isName,
  isOp,
  OPENING_BRACKETS,
  PythonSyntaxError,
} from './python-tokenizer';

interface NodeBase {
  /** Offsets of the node's source text. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

export type PyNode =
  | (NodeBase & {
      readonly kind: 'string';
      readonly value: string;
      readonly formatted: boolean;
    })
  | (NodeBase & { readonly kind: 'number' })
  | (NodeBase & { readonly kind: 'name'; readonly name: string })
  | (NodeBase & {
      readonly kind: 'attribute';
      readonly object: PyNode;
      readonly name: string;
    })
  | PyCall
  | (NodeBase & {
      readonly kind: 'list' | 'tuple' | 'set';
      readonly items: readonly PyNode[];
    })
  | PyDict
  | (NodeBase & { readonly kind: 'starred'; readonly value: PyNode })
  /** Any expression that this parser does not model, e.g. `a + b` or a comprehension. */
  | (NodeBase & { readonly kind: 'expression' });

export interface PyCall extends NodeBase {
  readonly kind: 'call';
  readonly callee: PyNode;
  readonly args: readonly PyNode[];
  /** Keyword arguments, and `**value` spreads with an undefined name. */
  readonly keywords: ReadonlyArray<{
    readonly name?: string;
    readonly value: PyNode;
  }>;
}

export interface PyDict extends NodeBase {
  readonly kind: 'dict';
  /** Entries, and `**value` spreads with an undefined key. */
  readonly entries: ReadonlyArray<{
    readonly key?: PyNode;
    readonly value: PyNode;
  }>;
}

export const PYTHON_KEYWORDS = new Set(
  (
    'and as assert async await break class continue def del elif else ' +
    'except finally for from global if import in is lambda nonlocal not ' +
    'or pass raise return try while with yield'
  ).split(' '),
);

/** Tokens that end an expression at bracket depth 0. */
const EXPRESSION_ENDS = new Set([',', ')', ']', '}', ':', '=', ';']);

function tokenSpan(token: Token): NodeBase {
  return { start: token.start, end: token.end, line: token.line };
}

/**
 * Recursive-descent parser for the literal subset of Python expressions:
 * strings, numbers, names, attributes, calls, lists, tuples, sets and dicts.
 * Any other expression is skipped to its end and returned as `expression`.
 */
export class ExpressionParser {
  private lastEnd: number;
  private readonly openBrackets: Token[] = [];

  constructor(
    private readonly module: PythonModule,
    private position: number,
  ) {
    this.lastEnd = module.tokens[position]?.start ?? 0;
  }

  /** Returns the source span from `first` to the last consumed token. */
  private spanFrom(first: NodeBase): NodeBase {
    return { start: first.start, end: this.lastEnd, line: first.line };
  }

  /** Parses `a` or a bare tuple `a, b` as on the right of an assignment. */
  parseExpressionList(): PyNode {
    const first = this.peek();
    const node = this.parseExpression();
    if (!isOp(this.peek(), ',')) {
      return node;
    }
    const items = [node];
    while (isOp(this.peek(), ',')) {
      this.next();
      if (this.atExpressionEnd()) {
        break;
      }
      items.push(this.parseExpression());
    }
    return { kind: 'tuple', items, ...this.spanFrom(first) };
  }

  parseExpression(): PyNode {
    const first = this.peek();
    if (this.atExpressionEnd()) {
      throw this.unexpected(first);
    }
    if (isOp(first, '*') || isOp(first, '**')) {
      this.next();
      const value = this.parseExpression();
      return { kind: 'starred', value, ...this.spanFrom(first) };
    }
    const node = this.parsePrimary();
    if (node !== undefined && this.atExpressionEnd()) {
      return node;
    }
    this.skipExpression();
    return { kind: 'expression', ...this.spanFrom(first) };
  }

  /** Parses an atom followed by attribute, call and subscript trailers. */
  parsePrimary(): PyNode | undefined {
    let node = this.parseAtom();
    while (node !== undefined) {
      const token = this.peek();
      if (isOp(token, '.') && this.peek(1).kind === 'name') {
        this.next();
        const name = this.next().value;
        node = {
          kind: 'attribute',
          object: node,
          name,
          ...this.spanFrom(node),
        };
      } else if (isOp(token, '(')) {
        node = this.parseCall(node);
      } else if (isOp(token, '[')) {
        this.skipBracketed();
        node = { kind: 'expression', ...this.spanFrom(node) };
      } else {
        break;
      }
    }
    return node;
  }

  private parseAtom(): PyNode | undefined {
    const token = this.peek();
    if (token.kind === 'string') {
      let value = '';
      let formatted = false;
      while (this.peek().kind === 'string') {
        const part = this.next();
        value += part.value;
        formatted ||= part.formatted;
      }
      return { kind: 'string', value, formatted, ...this.spanFrom(token) };
    }
    if (token.kind === 'number') {
      this.next();
      return { kind: 'number', ...tokenSpan(token) };
    }
    if (token.kind === 'name') {
      if (PYTHON_KEYWORDS.has(token.value)) {
        return undefined;
      }
      this.next();
      return { kind: 'name', name: token.value, ...tokenSpan(token) };
    }
    if (isOp(token, '(')) {
      return this.parseParenthesized();
    }
    if (isOp(token, '[')) {
      this.next();
      const items = this.parseItems(']');
      return { kind: 'list', items, ...this.spanFrom(token) };
    }
    if (isOp(token, '{')) {
      return this.parseBraces();
    }
    return undefined;
  }

  private parseParenthesized(): PyNode {
    const open = this.next();
    if (isOp(this.peek(), ')')) {
      this.next();
      return { kind: 'tuple', items: [], ...this.spanFrom(open) };
    }
    const first = this.parseExpression();
    if (isOp(this.peek(), ')')) {
      this.next();
      return first;
    }
    this.expectOp(',');
    const items = [first, ...this.parseItems(')')];
    return { kind: 'tuple', items, ...this.spanFrom(open) };
  }

  /** Parses comma-separated items up to and including `close`. */
  private parseItems(close: string): PyNode[] {
    const items: PyNode[] = [];
    while (!isOp(this.peek(), close)) {
      items.push(this.parseExpression());
      if (isOp(this.peek(), ',')) {
        this.next();
      } else if (!isOp(this.peek(), close)) {
        throw this.unexpected(this.peek());
      }
    }
    this.next();
    return items;
  }

  private parseBraces(): PyNode {
    const open = this.next();
    const entries: Array<{ key?: PyNode; value: PyNode }> = [];
    const items: PyNode[] = [];
    let isDict = isOp(this.peek(), '}');
    while (!isOp(this.peek(), '}')) {
      if (isOp(this.peek(), '**')) {
        this.next();
        entries.push({ value: this.parseExpression() });
        isDict = true;
      } else {
        const key = this.parseExpression();
        if (isOp(this.peek(), ':')) {
          this.next();
          entries.push({ key, value: this.parseExpression() });
          isDict = true;
        } else {
          items.push(key);
        }
      }
      if (isOp(this.peek(), ',')) {
        this.next();
      } else if (!isOp(this.peek(), '}')) {
        throw this.unexpected(this.peek());
      }
    }
    this.next();
    const base = { ...this.spanFrom(open) };
    if (isDict && items.length === 0) {
      return { kind: 'dict', entries, ...base };
    }
    if (!isDict) {
      return { kind: 'set', items, ...base };
    }
    return { kind: 'expression', ...base };
  }

  private parseCall(callee: PyNode): PyCall {
    this.next();
    const args: PyNode[] = [];
    const keywords: Array<{ name?: string; value: PyNode }> = [];
    while (!isOp(this.peek(), ')')) {
      const token = this.peek();
      if (token.kind === 'name' && isOp(this.peek(1), '=')) {
        this.next();
        this.next();
        keywords.push({ name: token.value, value: this.parseExpression() });
      } else if (isOp(token, '**')) {
        this.next();
        keywords.push({ value: this.parseExpression() });
      } else {
        args.push(this.parseExpression());
      }
      if (isOp(this.peek(), ',')) {
        this.next();
      } else if (!isOp(this.peek(), ')')) {
        throw this.unexpected(this.peek());
      }
    }
    this.next();
    return { kind: 'call', callee, args, keywords, ...this.spanFrom(callee) };
  }

  /** Skips tokens up to the end of the current expression, balancing brackets. */
  private skipExpression(): void {
    let pendingLambdas = 0;
    while (
      !this.atExpressionEnd() ||
      (pendingLambdas > 0 && isOp(this.peek(), ':'))
    ) {
      const token = this.peek();
      if (isOp(token, ':')) {
        pendingLambdas--;
        this.next();
      } else if (isName(token, 'lambda')) {
        pendingLambdas++;
        this.next();
      } else if (
        token.kind === 'op' &&
        OPENING_BRACKETS[token.value] !== undefined
      ) {
        this.skipBracketed();
      } else {
        this.next();
      }
    }
  }

  /** Skips an opening bracket and everything up to its matching close. */
  private skipBracketed(): void {
    const depth = this.openBrackets.length;
    this.next();
    while (this.openBrackets.length > depth) {
      if (this.peek().kind === 'end') {
        throw this.unexpected(this.peek());
      }
      this.next();
    }
  }

  private atExpressionEnd(): boolean {
    const token = this.peek();
    return (
      token.kind === 'newline' ||
      token.kind === 'end' ||
      (token.kind === 'op' && EXPRESSION_ENDS.has(token.value))
    );
  }

  private expectOp(value: string): void {
    if (!isOp(this.peek(), value)) {
      throw this.unexpected(this.peek());
    }
    this.next();
  }

  /** Builds the error for `token`, naming the innermost unclosed bracket at the end of the file. */
  private unexpected(token: Token): PythonSyntaxError {
    const open = this.openBrackets[this.openBrackets.length - 1];
    if (token.kind === 'end' && open !== undefined) {
      return new PythonSyntaxError(
        `'${open.value}' at line ${open.line} is never closed`,
        open.line,
      );
    }
    const description =
      token.kind === 'end' ? 'end of file' : `'${token.text}'`;
    return new PythonSyntaxError(
      `unexpected ${description} at line ${token.line}`,
      token.line,
    );
  }

  private peek(offset = 0): Token {
    const tokens = this.module.tokens;
    return tokens[Math.min(this.position + offset, tokens.length - 1)];
  }

  /** Consumes a token, tracking open brackets and rejecting a mismatched close. */
  private next(): Token {
    const token = this.peek();
    if (token.kind === 'end') {
      return token;
    }
    if (token.kind === 'op' && OPENING_BRACKETS[token.value] !== undefined) {
      this.openBrackets.push(token);
    } else if (token.kind === 'op' && CLOSING_BRACKETS.has(token.value)) {
      const open = this.openBrackets.pop();
      if (open === undefined || OPENING_BRACKETS[open.value] !== token.value) {
        throw this.unexpected(token);
      }
    }
    this.position++;
    this.lastEnd = token.end;
    return token;
  }
}
