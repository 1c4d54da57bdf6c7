// Reads a version attribute such as `__version__ = '1.2.3'` from a Python
// module without importing it.

import type { Result } from './files';
import { fail, readTextFile, resolveInside, succeed } from './files';
import { findModuleFile } from './package-folders';
import type { PyNumberLiteral } from './python-literals';
import {
  evaluateLiteral,
  followNames,
  isNumberLiteral,
  literalKind,
  nameNode,
  nodeText,
} from './python-literals';
import type { PythonModule } from './python-module';
import { parsePythonModule } from './python-module';
import { PythonSyntaxError } from './python-tokenizer';
import type { SourceReading } from './types';

/**
 * Reads the version from an `attr` reference such as `pkg.__version__`: the
 * module is `pkg` and the attribute `__version__`, as in setuptools.
 */
export function readAttributeVersion(
  dir: string,
  reference: string,
  packageDir: Readonly<Record<string, string>>,
): Result<VersionInFile> {
  const separator = reference.lastIndexOf('.');
  if (separator === -1) {
    return fail(`${reference} names no module`);
  }
  const moduleName = reference.slice(0, separator);
  const attribute = reference.slice(separator + 1);
  const file = findModuleFile(dir, moduleName, packageDir);
  if (file === undefined) {
    return fail(`no file for module ${moduleName} exists`);
  }
  const result = readVersionAttribute(dir, file, attribute);
  return result.ok ? succeed({ version: result.value, file }) : result;
}

/** Names of tuples such as `version_info = (0, 0, 1)` that can hold a version. */
const VERSION_TUPLE_NAMES = ['version_info', '__version_info__', 'VERSION'];

/**
 * Reads a version attribute from a Python file without importing it. A
 * tuple value is joined with `.`, as setuptools does for `attr`. When
 * `__version__` is missing or is computed from a tuple like `version_info`,
 * that tuple is used.
 */
export function readVersionAttribute(
  dir: string,
  file: string,
  attribute: string,
): Result<string> {
  const absolute = resolveInside(dir, file);
  const text = absolute === undefined ? undefined : readTextFile(absolute);
  if (text === undefined) {
    return fail(`${file} does not exist`);
  }
  let module: PythonModule;
  try {
    module = parsePythonModule(text, file);
  } catch (error) {
    if (error instanceof PythonSyntaxError) {
      return fail(`${file} could not be parsed: ${error.message}`);
    }
    throw error;
  }

  const defined = module.bindings.has(attribute);
  const direct = defined
    ? versionFromName(module, attribute)
    : fail<string>(`${file} does not assign ${attribute}`);
  if (direct.ok || attribute !== '__version__') {
    return direct;
  }
  const expression = defined
    ? nodeText(module, followNames(module, nameNode(attribute)))
    : '';
  for (const tupleName of VERSION_TUPLE_NAMES) {
    if (!module.bindings.has(tupleName)) {
      continue;
    }
    if (defined && !new RegExp(`\\b${tupleName}\\b`).test(expression)) {
      continue;
    }
    const tuple = versionFromName(module, tupleName);
    if (tuple.ok) {
      return tuple;
    }
  }
  return direct;
}

/**
 * Converts the literal that `name` is bound to into a version string. The
 * literal may be a string, a number or a tuple of them.
 */
function versionFromName(module: PythonModule, name: string): Result<string> {
  const literal = evaluateLiteral(module, nameNode(name), name);
  if (!literal.ok) {
    return fail(`${module.label} ${literal.reason}`);
  }
  const value = literal.value;
  if (typeof value === 'string') {
    return succeed(value);
  }
  if (isNumberLiteral(value)) {
    return succeed(value.number);
  }
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((part) => typeof part === 'string' || isNumberLiteral(part))
  ) {
    return succeed(
      value
        .map((part) =>
          typeof part === 'string' ? part : (part as PyNumberLiteral).number,
        )
        .join('.'),
    );
  }
  return fail(
    `${module.label} sets ${name} to ${literalKind(value)}, not a string`,
  );
}

export interface VersionInFile {
  readonly version: string;
  readonly file: string;
}

export function applyVersionResult(
  reading: SourceReading,
  result: Result<VersionInFile>,
  label: string,
  reference: string,
): void {
  if (result.ok) {
    reading.version = result.value.version;
    reading.versionSource = result.value.file;
    return;
  }
  reading.unresolved.push({
    field: 'version',
    message: `version: ${label} reads it from ${reference}, but ${result.reason}`,
  });
}
