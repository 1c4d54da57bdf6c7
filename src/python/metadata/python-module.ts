// Tokenizes a Python module and records the names that its top-level
// statements bind by assignment, import, def or class.

import type { PyNode } from './python-parser';
import { ExpressionParser, PYTHON_KEYWORDS } from './python-parser';
import type { Token } from './python-tokenizer';
import {
  CLOSING_BRACKETS,
  isName,
  isOp,
  OPENING_BRACKETS,
  PythonSyntaxError,
  tokenizePython,
} from './python-tokenizer';

/** Ways a top-level statement binds a name. */
export type Binding = { readonly indent: number; readonly line: number } & (
  | { readonly kind: 'value'; readonly node: PyNode }
  | {
      readonly kind: 'import';
      /** Module imported from, e.g. `pkg` for `from pkg import x`. */
      readonly module: string;
      /** Imported name for `from ... import`, undefined for `import`. */
      readonly attribute?: string;
    }
  | { readonly kind: 'definition'; readonly keyword: 'def' | 'class' }
  | { readonly kind: 'other' }
);

export interface PythonModule {
  /** File name for messages, e.g. `setup.py`. */
  readonly label: string;
  readonly source: string;
  readonly tokens: readonly Token[];
  readonly bindings: ReadonlyMap<string, readonly Binding[]>;
}

/** Tokenizes Python source and records the names its statements bind. */
export function parsePythonModule(source: string, label: string): PythonModule {
  const tokens = tokenizePython(source);
  const bindings = new Map<string, Binding[]>();
  const module: PythonModule = { label, source, tokens, bindings };
  const bind = (name: string, binding: Binding) => {
    const list = bindings.get(name) ?? [];
    list.push(binding);
    bindings.set(name, list);
  };

  let start = 0;
  while (start < tokens.length && tokens[start].kind !== 'end') {
    let end = start;
    while (tokens[end].kind !== 'newline' && tokens[end].kind !== 'end') {
      end++;
    }
    if (end > start) {
      collectStatementBindings(module, start, end, bind);
    }
    start = tokens[end].kind === 'end' ? end : end + 1;
  }
  return module;
}

function collectStatementBindings(
  module: PythonModule,
  start: number,
  end: number,
  bind: (name: string, binding: Binding) => void,
): void {
  const tokens = module.tokens;
  const first = tokens[start];
  const position = { indent: first.indent, line: first.line };

  if (isName(first, 'import')) {
    for (const item of splitImportItems(tokens, start + 1, end)) {
      const dotted = item.name.split('.');
      const alias = item.alias ?? dotted[0];
      bind(alias, {
        ...position,
        kind: 'import',
        module: item.alias === undefined ? dotted[0] : item.name,
      });
    }
    return;
  }
  if (isName(first, 'from')) {
    const importIndex = tokens.findIndex(
      (token, index) => index > start && index < end && isName(token, 'import'),
    );
    if (importIndex === -1) {
      return;
    }
    const moduleName = tokens
      .slice(start + 1, importIndex)
      .map((token) => token.value)
      .join('');
    for (const item of splitImportItems(tokens, importIndex + 1, end)) {
      if (item.name === '*') {
        continue;
      }
      if (moduleName.startsWith('.')) {
        bind(item.alias ?? item.name, { ...position, kind: 'other' });
        continue;
      }
      bind(item.alias ?? item.name, {
        ...position,
        kind: 'import',
        module: moduleName,
        attribute: item.name,
      });
    }
    return;
  }
  const definition = isName(first, 'async') ? tokens[start + 1] : first;
  if (isName(definition, 'def') || isName(definition, 'class')) {
    const nameToken = tokens[tokens.indexOf(definition) + 1];
    if (nameToken?.kind === 'name') {
      bind(nameToken.value, {
        ...position,
        kind: 'definition',
        keyword: definition.value as 'def' | 'class',
      });
    }
    return;
  }
  collectAssignment(module, start, end, position, bind);
}

/** Records `a = b = value`, `a: T = value`, augmented and unpacking assignments. */
function collectAssignment(
  module: PythonModule,
  start: number,
  end: number,
  position: { indent: number; line: number },
  bind: (name: string, binding: Binding) => void,
): void {
  const tokens = module.tokens;
  const first = tokens[start];
  if (first.kind !== 'name' || PYTHON_KEYWORDS.has(first.value)) {
    return;
  }
  const second = tokens[start + 1];
  if (
    second?.kind === 'op' &&
    second.value.length >= 2 &&
    second.value.endsWith('=') &&
    !['==', '!=', '<=', '>='].includes(second.value)
  ) {
    bind(first.value, { ...position, kind: 'other' });
    return;
  }

  const targets: string[] = [];
  let index = start;
  while (tokens[index]?.kind === 'name' && isOp(tokens[index + 1], '=')) {
    targets.push(tokens[index].value);
    index += 2;
  }
  if (targets.length === 0 && isOp(second, ':')) {
    const equals = findTopLevelOp(tokens, start + 2, end, '=');
    if (equals !== -1) {
      targets.push(first.value);
      index = equals + 1;
    }
  }
  if (targets.length > 0 && index < end) {
    let node: PyNode;
    try {
      node = new ExpressionParser(module, index).parseExpressionList();
    } catch (error) {
      if (!(error instanceof PythonSyntaxError)) {
        throw error;
      }
      node = {
        kind: 'expression',
        start: tokens[index].start,
        end: tokens[end - 1].end,
        line: tokens[index].line,
      };
    }
    for (const target of targets) {
      bind(target, { ...position, kind: 'value', node });
    }
    return;
  }

  // Unpacking such as `a, b = ...` binds names to values this reader does not track.
  const equals = findTopLevelOp(tokens, start, end, '=');
  if (equals === -1) {
    return;
  }
  const targetTokens = tokens.slice(start, equals);
  const isNameList = targetTokens.every(
    (token) =>
      token.kind === 'name' ||
      isOp(token, ',') ||
      isOp(token, '(') ||
      isOp(token, ')') ||
      isOp(token, '[') ||
      isOp(token, ']'),
  );
  if (isNameList) {
    for (const token of targetTokens) {
      if (token.kind === 'name') {
        bind(token.value, { ...position, kind: 'other' });
      }
    }
  }
}

/** Returns the index of operator `value` outside brackets in [start, end), or -1. */
function findTopLevelOp(
  tokens: readonly Token[],
  start: number,
  end: number,
  value: string,
): number {
  let depth = 0;
  for (let index = start; index < end; index++) {
    const token = tokens[index];
    if (token.kind !== 'op') {
      continue;
    }
    if (OPENING_BRACKETS[token.value] !== undefined) {
      depth++;
    } else if (CLOSING_BRACKETS.has(token.value)) {
      depth--;
    } else if (depth === 0 && token.value === value) {
      return index;
    }
  }
  return -1;
}

function splitImportItems(
  tokens: readonly Token[],
  start: number,
  end: number,
): Array<{ name: string; alias?: string }> {
  const items: Array<{ name: string; alias?: string }> = [];
  let name = '';
  let alias: string | undefined;
  let readingAlias = false;
  const flush = () => {
    if (name !== '') {
      items.push(alias === undefined ? { name } : { name, alias });
    }
    name = '';
    alias = undefined;
    readingAlias = false;
  };
  for (let index = start; index < end; index++) {
    const token = tokens[index];
    if (isOp(token, ',')) {
      flush();
    } else if (isName(token, 'as')) {
      readingAlias = true;
    } else if (isOp(token, '(') || isOp(token, ')')) {
      continue;
    } else if (readingAlias) {
      alias = token.value;
    } else {
      name += token.value;
    }
  }
  flush();
  return items;
}
