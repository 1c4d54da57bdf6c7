// Evaluates Python literal expressions (strings, numbers, booleans, None,
// lists, tuples, dicts) and describes the expressions that are not literals.

import type { Result } from './files';
import { fail, succeed } from './files';
import type { Binding, PythonModule } from './python-module';
import type { PyDict, PyNode } from './python-parser';

export interface PyNumberLiteral {
  readonly number: string;
}

/** Value of a Python literal. Dict keys are stored as strings. */
export type PyLiteral =
  | string
  | PyNumberLiteral
  | boolean
  | null
  | PyLiteral[]
  | Map<string, PyLiteral>;

export function isNumberLiteral(value: PyLiteral): value is PyNumberLiteral {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Map)
  );
}

export function literalKind(value: PyLiteral): string {
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'a list or tuple';
  if (value instanceof Map) return 'a dict';
  return 'a number';
}

const CONSTANTS: ReadonlyMap<string, PyLiteral> = new Map<string, PyLiteral>([
  ['True', true],
  ['False', false],
  ['None', null],
]);

/**
 * Evaluates a node that is a literal, or a name bound to one at the top
 * level. On failure the reason is a predicate about `subject`, such as
 * "computes it with a function call (get_version())".
 */
export function evaluateLiteral(
  module: PythonModule,
  node: PyNode,
  subject = 'it',
): Result<PyLiteral> {
  const target = followNames(module, node);
  const partSubject = subject.startsWith('part of ')
    ? subject
    : `part of ${subject}`;
  switch (target.kind) {
    case 'string':
      return target.formatted
        ? fail(
            `computes ${subject} with an f-string (${nodeText(module, target)})`,
          )
        : succeed(target.value);
    case 'number':
      return succeed({ number: nodeText(module, target) });
    case 'name':
      return CONSTANTS.has(target.name)
        ? succeed(CONSTANTS.get(target.name) as PyLiteral)
        : fail(describeName(module, target.name, subject));
    case 'list':
    case 'tuple':
    case 'set': {
      const items: PyLiteral[] = [];
      for (const item of target.items) {
        const result = evaluateLiteral(module, item, partSubject);
        if (!result.ok) {
          return result;
        }
        items.push(result.value);
      }
      return succeed(items);
    }
    case 'dict':
      return evaluateDict(module, target, partSubject);
    default:
      return fail(describeNonLiteral(module, target, subject));
  }
}

function evaluateDict(
  module: PythonModule,
  dict: PyDict,
  subject: string,
): Result<PyLiteral> {
  const result = new Map<string, PyLiteral>();
  for (const entry of dict.entries) {
    if (entry.key === undefined) {
      return fail(`unpacks **${nodeText(module, entry.value)} into ${subject}`);
    }
    const key = evaluateLiteral(module, entry.key, subject);
    if (!key.ok) {
      return key;
    }
    const value = evaluateLiteral(module, entry.value, subject);
    if (!value.ok) {
      return value;
    }
    const keyText =
      typeof key.value === 'string'
        ? key.value
        : isNumberLiteral(key.value)
          ? key.value.number
          : String(key.value);
    result.set(keyText, value.value);
  }
  return succeed(result);
}

export function stringLiteral(
  module: PythonModule,
  node: PyNode,
  subject = 'it',
): Result<string> {
  const result = evaluateLiteral(module, node, subject);
  if (!result.ok) {
    return result;
  }
  return typeof result.value === 'string'
    ? succeed(result.value)
    : fail(`sets ${subject} to ${literalKind(result.value)}, not a string`);
}

export function stringListLiteral(
  module: PythonModule,
  node: PyNode,
  subject = 'it',
): Result<string[]> {
  const result = evaluateLiteral(module, node, subject);
  if (!result.ok) {
    return result;
  }
  const value = result.value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return succeed(value as string[]);
  }
  return fail(
    `sets ${subject} to ${literalKind(value)}, not a list of strings`,
  );
}

function describeNonLiteral(
  module: PythonModule,
  node: PyNode,
  subject: string,
): string {
  const text = nodeText(module, node);
  switch (node.kind) {
    case 'call':
      return `computes ${subject} with a function call (${text})`;
    case 'attribute':
      return `reads ${subject} from an attribute (${text})`;
    case 'starred':
      return `unpacks ${text} into ${subject}`;
    default:
      return `computes ${subject} with an expression (${text})`;
  }
}

function describeName(
  module: PythonModule,
  name: string,
  subject: string,
): string {
  const bindings = module.bindings.get(name) ?? [];
  const nested = bindings.find((binding) => binding.indent > 0);
  const label = module.label;
  if (bindings.length === 0) {
    return `reads ${subject} from the name ${name}, which ${label} never assigns`;
  }
  if (nested !== undefined) {
    return (
      `reads ${subject} from the variable ${name}, which ${label} assigns ` +
      `inside a block at line ${nested.line}`
    );
  }
  const binding = bindings[bindings.length - 1];
  switch (binding.kind) {
    case 'import':
      return `imports ${subject} as ${name} from ${binding.module}`;
    case 'definition': {
      const kind = binding.keyword === 'def' ? 'function' : 'class';
      return `sets ${subject} to the ${kind} ${name}`;
    }
    case 'value':
      return `reads ${subject} from the variable ${name}, which refers to itself`;
    default:
      return `reads ${subject} from the variable ${name}, which is not assigned a literal`;
  }
}

/** Returns a node's source text on one line, shortened for messages. */
export function nodeText(module: PythonModule, node: PyNode): string {
  const text = module.source
    .slice(node.start, node.end)
    .replace(/\s+/g, ' ')
    .trim();
  const maximum = 60;
  return text.length > maximum ? `${text.slice(0, maximum - 3)}...` : text;
}

/** Follows names bound once at the top level to the expression they are bound to. */
export function followNames(module: PythonModule, node: PyNode): PyNode {
  let current = node;
  const seen = new Set<string>();
  while (current.kind === 'name' && !seen.has(current.name)) {
    seen.add(current.name);
    const binding = topLevelBinding(module, current.name);
    if (binding?.kind !== 'value') {
      break;
    }
    current = binding.node;
  }
  return current;
}

/**
 * Returns the last binding of a name when every binding is at the top level,
 * so the value does not depend on a branch or a function.
 */
export function topLevelBinding(
  module: PythonModule,
  name: string,
): Binding | undefined {
  const bindings = module.bindings.get(name);
  if (
    bindings === undefined ||
    bindings.some((binding) => binding.indent > 0)
  ) {
    return undefined;
  }
  return bindings[bindings.length - 1];
}

/** Builds a name node that refers to `name` but has no source text. */
export function nameNode(name: string): PyNode {
  return { kind: 'name', name, start: 0, end: 0, line: 0 };
}
