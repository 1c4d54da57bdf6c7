// Splits Python source into name, number, string and operator tokens and
// decodes the escapes of string literals.

/** Syntax error found while tokenizing or parsing Python source. */
export class PythonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'PythonSyntaxError';
  }
}

export interface Token {
  readonly kind: 'name' | 'number' | 'string' | 'op' | 'newline' | 'end';
  /** Source text of the token. */
  readonly text: string;
  /** Decoded value of a string literal, otherwise the source text. */
  readonly value: string;
  /** Whether a string literal has an `f` prefix. */
  readonly formatted: boolean;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** Column where the token's logical line starts, 0 at the top level. */
  readonly indent: number;
}

export function isName(token: Token | undefined, value: string): boolean {
  return token?.kind === 'name' && token.value === value;
}

export function isOp(token: Token | undefined, value: string): boolean {
  return token?.kind === 'op' && token.value === value;
}

const STRING_PREFIXES = new Set([
  '',
  'r',
  'u',
  'b',
  'f',
  'br',
  'rb',
  'fr',
  'rf',
]);
const NAME_PATTERN = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy;
const NUMBER_PATTERN =
  /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/y;
const OPERATORS = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '**',
  '//',
  '>>',
  '<<',
  '<=',
  '>=',
  '==',
  '!=',
  '->',
  ':=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  ';',
  '.',
  '=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '&',
  '|',
  '^',
  '~',
  '@',
  '!',
];

/**
 * Splits Python source into tokens. Comments, blank lines and line breaks
 * inside brackets are dropped. A `newline` token ends each logical line, and
 * `;` at bracket depth 0 also ends a statement.
 *
 * NOTE: f-strings that nest quotes of their own kind, which Python 3.12
 * allows (PEP 701), end early here, so the tokens after them are wrong.
 */
export function tokenizePython(source: string): Token[] {
  const tokens: Token[] = [];
  const openBrackets: Array<{ bracket: string; line: number }> = [];
  let position = 0;
  let line = 1;
  let lineStart = 0;
  let indent = 0;
  let atLineStart = true;

  const push = (
    kind: Token['kind'],
    end: number,
    literal?: { value: string; formatted: boolean },
  ) => {
    if (atLineStart) {
      indent = position - lineStart;
      atLineStart = false;
    }
    const text = source.slice(position, end);
    tokens.push({
      kind,
      text,
      value: literal?.value ?? text,
      formatted: literal?.formatted ?? false,
      start: position,
      end,
      line,
      indent,
    });
  };
  const endStatement = () => {
    const last = tokens[tokens.length - 1];
    if (last !== undefined && last.kind !== 'newline') {
      push('newline', position);
    }
  };

  while (position < source.length) {
    const char = source[position];
    if (char === '\n') {
      if (openBrackets.length === 0) {
        endStatement();
        atLineStart = true;
      }
      position++;
      line++;
      lineStart = position;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\f' || char === '\r') {
      position++;
      continue;
    }
    if (char === '#') {
      const newline = source.indexOf('\n', position);
      position = newline === -1 ? source.length : newline;
      continue;
    }
    if (char === '\\') {
      const continuation = /\\\r?\n/y;
      continuation.lastIndex = position;
      if (!continuation.test(source)) {
        throw new PythonSyntaxError(`unexpected '\\' at line ${line}`, line);
      }
      position = continuation.lastIndex;
      line++;
      lineStart = position;
      continue;
    }

    const prefixLength = stringPrefixLength(source, position);
    if (prefixLength !== undefined) {
      const literal = scanString(source, position, prefixLength, line);
      push('string', literal.end, literal);
      // Count the line breaks inside a multi-line string.
      for (let index = position; index < literal.end; index++) {
        if (source[index] === '\n') {
          line++;
          lineStart = index + 1;
        }
      }
      position = literal.end;
      continue;
    }

    NAME_PATTERN.lastIndex = position;
    const name = NAME_PATTERN.exec(source);
    if (name !== null) {
      push('name', position + name[0].length);
      position += name[0].length;
      continue;
    }

    NUMBER_PATTERN.lastIndex = position;
    const number = /[\d.]/.test(char) ? NUMBER_PATTERN.exec(source) : null;
    if (number !== null) {
      push('number', position + number[0].length);
      position += number[0].length;
      continue;
    }

    const operator = OPERATORS.find((candidate) =>
      source.startsWith(candidate, position),
    );
    if (operator === undefined) {
      throw new PythonSyntaxError(
        `unexpected character '${char}' at line ${line}`,
        line,
      );
    }
    if (operator === ';' && openBrackets.length === 0) {
      endStatement();
      position++;
      continue;
    }
    trackBracket(openBrackets, operator, line);
    push('op', position + operator.length);
    position += operator.length;
  }

  const unclosed = openBrackets[openBrackets.length - 1];
  if (unclosed !== undefined) {
    throw new PythonSyntaxError(
      `'${unclosed.bracket}' at line ${unclosed.line} is never closed`,
      unclosed.line,
    );
  }
  endStatement();
  push('end', position);
  return tokens;
}

export const OPENING_BRACKETS: Readonly<Record<string, string>> = {
  '(': ')',
  '[': ']',
  '{': '}',
};
export const CLOSING_BRACKETS = new Set([')', ']', '}']);

/**
 * Pushes an opening bracket, or pops the one that a closing bracket matches.
 * Throws PythonSyntaxError for a closing bracket that matches none.
 */
function trackBracket(
  openBrackets: Array<{ bracket: string; line: number }>,
  operator: string,
  line: number,
): void {
  if (OPENING_BRACKETS[operator] !== undefined) {
    openBrackets.push({ bracket: operator, line });
    return;
  }
  if (!CLOSING_BRACKETS.has(operator)) {
    return;
  }
  const open = openBrackets.pop();
  if (open === undefined || OPENING_BRACKETS[open.bracket] !== operator) {
    const opened =
      open === undefined ? '' : ` for '${open.bracket}' at line ${open.line}`;
    throw new PythonSyntaxError(
      `unexpected '${operator}' at line ${line}${opened}`,
      line,
    );
  }
}

/**
 * Returns the length of the string prefix (`r`, `b`, `f`, `rb`, ...) when a
 * string literal starts at `position`, or undefined when none does.
 */
function stringPrefixLength(
  source: string,
  position: number,
): number | undefined {
  const pattern = /([rRbBuUfF]{0,2})['"]/y;
  pattern.lastIndex = position;
  const match = pattern.exec(source);
  if (match === null || !STRING_PREFIXES.has(match[1].toLowerCase())) {
    return undefined;
  }
  return match[1].length;
}

/**
 * Scans a string literal whose prefix of `prefixLength` letters starts at
 * `start`, returning its end offset and decoded value.
 */
function scanString(
  source: string,
  start: number,
  prefixLength: number,
  line: number,
): { end: number; value: string; formatted: boolean } {
  const prefix = source.slice(start, start + prefixLength).toLowerCase();
  const quoteStart = start + prefixLength;
  const quote = source[quoteStart];
  const triple = source.startsWith(quote.repeat(3), quoteStart);
  const delimiter = triple ? quote.repeat(3) : quote;
  const bodyStart = quoteStart + delimiter.length;

  let index = bodyStart;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (source.startsWith(delimiter, index)) {
      const body = source.slice(bodyStart, index);
      return {
        end: index + delimiter.length,
        value: prefix.includes('r') ? body : decodeEscapes(body),
        formatted: prefix.includes('f'),
      };
    }
    if (char === '\n' && !triple) {
      break;
    }
    index++;
  }
  throw new PythonSyntaxError(
    `unterminated string literal at line ${line}`,
    line,
  );
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Decodes backslash escapes of a non-raw string. `\N{name}` is kept as written. */
function decodeEscapes(body: string): string {
  return body.replace(
    /\\(\r\n|\n|[\\'"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/g,
    (match, escape: string) => {
      if (escape === '\n' || escape === '\r\n') {
        return '';
      }
      if (SIMPLE_ESCAPES[escape] !== undefined) {
        return SIMPLE_ESCAPES[escape];
      }
      if (/^[0-7]/.test(escape)) {
        return String.fromCodePoint(parseInt(escape, 8));
      }
      const codePoint = parseInt(escape.slice(1), 16);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : match;
    },
  );
}
