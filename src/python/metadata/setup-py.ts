// Reads setup.py without running it: finds the setup() call and reads the
// keyword arguments that are literals or names bound to literals.

import * as path from 'path';
import { applyEntryPointLines } from './entry-points';
import type { Result } from './files';
import { fail, isFile, readTextFile, resolveInside, succeed } from './files';
import { IniDocument, parseIni } from './ini';
import { moduleNamesOf } from './merge';
import type { VersionInFile } from './module-version';
import { readVersionAttribute } from './module-version';
import {
  findModuleFile,
  findTopLevelPackages,
  singlePackageFolder,
  topLevelNames,
} from './package-folders';
import type { PyLiteral } from './python-literals';
import {
  evaluateLiteral,
  followNames,
  isNumberLiteral,
  literalKind,
  nameNode,
  nodeText,
  stringListLiteral,
  stringLiteral,
  topLevelBinding,
} from './python-literals';
import type { PythonModule } from './python-module';
import { parsePythonModule } from './python-module';
import type { PyCall, PyNode } from './python-parser';
import { ExpressionParser } from './python-parser';
import type { Token } from './python-tokenizer';
import { isName, isOp, PythonSyntaxError } from './python-tokenizer';
import type { MetadataField, SourceReading } from './types';
import { newReading, PackageMetadataError } from './types';

const SETUP_CALLEE_OWNERS = new Set(['setuptools', 'core']);

/**
 * Reads the literal keyword arguments of the setup() call in setup.py.
 * `moduleHints` are module names from the other metadata files, used to
 * find `__init__.py` when setup.py computes the version.
 */
export function readSetupPy(
  dir: string,
  moduleHints: readonly string[],
): SourceReading | undefined {
  const text = readTextFile(path.join(dir, 'setup.py'));
  if (text === undefined) {
    return undefined;
  }
  const reading = newReading('setup.py', true);
  try {
    const module = parsePythonModule(text, 'setup.py');
    const call = findSetupCall(module);
    if (call === undefined) {
      reading.unresolved.push({
        field: 'setup',
        message:
          'setup.py: no setup() call was found, so it provides no metadata',
      });
      return reading;
    }
    const keywords = collectSetupKeywords(module, call, reading);
    readSetupPyFields(dir, module, keywords, moduleHints, reading);
  } catch (error) {
    if (!(error instanceof PythonSyntaxError)) {
      throw error;
    }
    reading.unresolved.push({
      field: 'setup',
      message: `setup.py: ${error.message}, so none of its metadata could be read`,
    });
  }
  return reading;
}

/**
 * Finds the first `setup(...)`, `setuptools.setup(...)` or
 * `distutils.core.setup(...)` call outside a `def` line.
 */
function findSetupCall(module: PythonModule): PyCall | undefined {
  const tokens = module.tokens;
  for (let index = 0; index + 1 < tokens.length; index++) {
    const token = tokens[index];
    if (!isName(token, 'setup') || !isOp(tokens[index + 1], '(')) {
      continue;
    }
    const previous = tokens[index - 1];
    if (previous !== undefined && isName(previous, 'def')) {
      continue;
    }
    if (previous !== undefined && isOp(previous, '.')) {
      const owner = tokens[index - 2];
      if (owner === undefined || !SETUP_CALLEE_OWNERS.has(owner.value)) {
        continue;
      }
    }
    // NOTE: a setup.py with several setup() calls, e.g. in if/else branches,
    // is read from the first one only.
    const parser = new ExpressionParser(module, index);
    const node = parser.parsePrimary();
    return node?.kind === 'call' ? node : undefined;
  }
  return undefined;
}

/** Collects keyword arguments, expanding `**name` when it names a dict literal. */
function collectSetupKeywords(
  module: PythonModule,
  call: PyCall,
  reading: SourceReading,
): Map<string, PyNode> {
  const keywords = new Map<string, PyNode>();
  for (const keyword of call.keywords) {
    if (keyword.name !== undefined) {
      keywords.set(keyword.name, keyword.value);
      continue;
    }
    const spread = followNames(module, keyword.value);
    const entries = spread.kind === 'dict' ? spread.entries : undefined;
    const literalKeys = entries?.every(
      (entry) =>
        entry.key !== undefined && evaluateLiteral(module, entry.key).ok,
    );
    if (entries === undefined || literalKeys !== true) {
      reading.unresolved.push({
        field: 'setup',
        message:
          `setup.py: setup() receives **${nodeText(module, keyword.value)}, ` +
          'which is not a dict literal, so fields set there are missing',
      });
      continue;
    }
    for (const entry of entries) {
      const key = evaluateLiteral(module, entry.key!);
      if (key.ok && typeof key.value === 'string') {
        keywords.set(key.value, entry.value);
      }
    }
  }
  return keywords;
}

function readSetupPyFields(
  dir: string,
  module: PythonModule,
  keywords: ReadonlyMap<string, PyNode>,
  moduleHints: readonly string[],
  reading: SourceReading,
): void {
  const unresolved = (field: MetadataField, keyword: string, reason: string) =>
    reading.unresolved.push({
      field,
      message: `${keyword}: setup.py ${reason}`,
    });

  const name = keywords.get('name');
  if (name !== undefined) {
    const result = stringLiteral(module, name);
    if (result.ok) {
      reading.distributionName = result.value;
    } else {
      unresolved('name', 'name', result.reason);
    }
  }

  const packageDir = readSetupPyPackageDir(module, keywords, unresolved);
  readSetupPyPackages(dir, module, keywords, packageDir, reading, unresolved);
  readSetupPyEntryPoints(module, keywords.get('entry_points'), reading);

  const requirements: Array<[string, MetadataField]> = [
    ['install_requires', 'dependencies'],
    ['extras_require', 'optionalDependencies'],
  ];
  for (const [keyword, field] of requirements) {
    const node = keywords.get(keyword);
    if (node === undefined) {
      continue;
    }
    const result = evaluateLiteral(module, node);
    if (!result.ok) {
      unresolved(field, keyword, result.reason);
    } else if (field === 'dependencies') {
      reading.dependenciesDeclared = true;
    }
  }

  const version = keywords.get('version');
  if (version !== undefined) {
    const folder = singlePackageFolder(dir);
    const candidates = [
      ...moduleNamesOf(reading),
      ...moduleHints,
      ...(folder === undefined ? [] : [folder]),
    ];
    const result = readSetupPyVersion(
      dir,
      module,
      version,
      packageDir,
      candidates,
    );
    if (result.ok) {
      reading.version = result.value.version;
      reading.versionSource = result.value.file;
    } else {
      unresolved('version', 'version', result.reason);
    }
  }
}

type UnresolvedReporter = (
  field: MetadataField,
  keyword: string,
  reason: string,
) => void;

function readSetupPyPackageDir(
  module: PythonModule,
  keywords: ReadonlyMap<string, PyNode>,
  unresolved: UnresolvedReporter,
): Record<string, string> {
  const node = keywords.get('package_dir');
  if (node === undefined) {
    return {};
  }
  const result = evaluateLiteral(module, node);
  if (!result.ok) {
    unresolved('packages', 'package_dir', result.reason);
    return {};
  }
  const packageDir: Record<string, string> = {};
  if (result.value instanceof Map) {
    for (const [key, value] of result.value) {
      if (typeof value === 'string') {
        packageDir[key] = value;
      }
    }
  }
  return packageDir;
}

function readSetupPyPackages(
  dir: string,
  module: PythonModule,
  keywords: ReadonlyMap<string, PyNode>,
  packageDir: Readonly<Record<string, string>>,
  reading: SourceReading,
  unresolved: UnresolvedReporter,
): void {
  const node = keywords.get('packages');
  if (node !== undefined) {
    const target = followNames(module, node);
    if (target.kind === 'call' && isFindPackagesCall(target)) {
      const result = emulateFindPackages(dir, module, target, packageDir);
      if (result.ok) {
        reading.packages = result.value;
      } else {
        unresolved('packages', 'packages', result.reason);
      }
    } else {
      const result = stringListLiteral(module, node);
      if (result.ok) {
        reading.packages = topLevelNames(result.value);
      } else {
        unresolved('packages', 'packages', result.reason);
      }
    }
  }

  const modules = keywords.get('py_modules');
  if (modules !== undefined && reading.packages === undefined) {
    const result = stringListLiteral(module, modules);
    if (result.ok) {
      reading.packages = result.value;
    } else {
      unresolved('packages', 'py_modules', result.reason);
    }
  }
}

function isFindPackagesCall(call: PyCall): boolean {
  const callee = call.callee;
  const name =
    callee.kind === 'name'
      ? callee.name
      : callee.kind === 'attribute'
        ? callee.name
        : '';
  return name === 'find_packages' || name === 'find_namespace_packages';
}

/** Evaluates find_packages(where, exclude, include) with literal arguments. */
function emulateFindPackages(
  dir: string,
  module: PythonModule,
  call: PyCall,
  packageDir: Readonly<Record<string, string>>,
): Result<string[]> {
  const argument = (position: number, keyword: string): PyNode | undefined =>
    call.keywords.find((entry) => entry.name === keyword)?.value ??
    call.args[position];

  const whereNode = argument(0, 'where');
  const excludeNode = argument(1, 'exclude');
  const includeNode = argument(2, 'include');
  let where = packageDir[''] ?? '.';
  if (whereNode !== undefined) {
    const result = stringLiteral(module, whereNode, 'the where argument');
    if (!result.ok) {
      return result;
    }
    where = result.value;
  }
  const patterns: string[][] = [];
  for (const node of [excludeNode, includeNode]) {
    if (node === undefined) {
      patterns.push([]);
      continue;
    }
    const result = stringListLiteral(module, node, 'a pattern argument');
    if (!result.ok) {
      return result;
    }
    patterns.push(result.value);
  }
  const [exclude, include] = patterns;
  return succeed(findTopLevelPackages(dir, where, include, exclude));
}

/** Reads console_scripts from an entry_points dict literal or INI string. */
function readSetupPyEntryPoints(
  module: PythonModule,
  node: PyNode | undefined,
  reading: SourceReading,
): void {
  if (node === undefined) {
    return;
  }
  const unresolved = (reason: string) =>
    reading.unresolved.push({
      field: 'consoleScripts',
      message: `entry_points: setup.py ${reason}`,
    });

  const target = followNames(module, node);
  if (target.kind === 'dict') {
    for (const entry of target.entries) {
      if (entry.key === undefined) {
        unresolved(`unpacks **${nodeText(module, entry.value)} into it`);
        return;
      }
      const key = evaluateLiteral(module, entry.key, 'a key');
      if (!key.ok) {
        unresolved(key.reason);
        return;
      }
      if (key.value !== 'console_scripts') {
        continue;
      }
      const lines = evaluateLiteral(module, entry.value, 'console_scripts');
      if (!lines.ok) {
        unresolved(lines.reason);
        return;
      }
      applyScriptLiteral(reading, lines.value, unresolved);
      return;
    }
    reading.consoleScripts = [];
    return;
  }

  const literal = evaluateLiteral(module, node);
  if (!literal.ok) {
    unresolved(literal.reason);
    return;
  }
  if (typeof literal.value !== 'string') {
    unresolved(
      `sets it to ${literalKind(literal.value)}, not a dict or string`,
    );
    return;
  }
  let ini: IniDocument;
  try {
    ini = parseIni(literal.value, 'the setup.py entry_points string');
  } catch (error) {
    if (!(error instanceof PackageMetadataError)) {
      throw error;
    }
    unresolved(`sets it to a string that is not valid INI: ${error.message}`);
    return;
  }
  const section = ini.sections.get('console_scripts') ?? new Map();
  const lines = [...section].map(([name, value]) => `${name} = ${value.text}`);
  applyEntryPointLines(reading, lines, 'setup.py entry_points');
}

function applyScriptLiteral(
  reading: SourceReading,
  value: PyLiteral,
  unresolved: (reason: string) => void,
): void {
  let lines: string[];
  if (typeof value === 'string') {
    lines = value.split('\n');
  } else if (
    Array.isArray(value) &&
    value.every((line) => typeof line === 'string')
  ) {
    lines = value as string[];
  } else {
    unresolved(
      `sets console_scripts to ${literalKind(value)}, not a list of strings`,
    );
    return;
  }
  applyEntryPointLines(reading, lines, 'setup.py entry_points');
}

/**
 * Resolves setup.py's version. A literal is used as is. Otherwise the
 * version is read from the file that setup.py points to: a module it
 * imports `__version__` from, a `.py` path it names, or the `__init__.py`
 * of one of `moduleNames`.
 */
function readSetupPyVersion(
  dir: string,
  module: PythonModule,
  node: PyNode,
  packageDir: Readonly<Record<string, string>>,
  moduleNames: readonly string[],
): Result<VersionInFile> {
  const literal = evaluateLiteral(module, node);
  if (literal.ok) {
    const value = literal.value;
    if (typeof value === 'string') {
      return succeed({ version: value, file: 'setup.py' });
    }
    if (isNumberLiteral(value)) {
      return succeed({ version: value.number, file: 'setup.py' });
    }
    return fail(`sets it to ${literalKind(value)}, not a string`);
  }

  const attempts: Array<{ file: string; attribute: string }> = [];
  const idiom = importedVersionReference(module, node);
  if (idiom !== undefined) {
    const file = findModuleFile(dir, idiom.moduleName, packageDir);
    if (file !== undefined) {
      attempts.push({ file, attribute: idiom.attribute });
    }
  }
  const target = followNames(module, node);
  const attribute = target.kind === 'attribute' ? target.name : '__version__';
  for (const file of pathHints(module, module.tokens)) {
    if (
      resolveInside(dir, file) !== undefined &&
      isFile(path.join(dir, file))
    ) {
      attempts.push({ file, attribute });
    }
  }
  // NOTE: this fallback trusts the package's __version__ even when setup.py
  // computes the version some other way, e.g. from git.
  for (const name of moduleNames) {
    const file = findModuleFile(dir, name, packageDir);
    if (file !== undefined) {
      attempts.push({ file, attribute: '__version__' });
    }
  }

  let firstFailure: string | undefined;
  for (const attempt of attempts) {
    const result = readVersionAttribute(dir, attempt.file, attempt.attribute);
    if (result.ok) {
      return succeed({ version: result.value, file: attempt.file });
    }
    firstFailure ??= result.reason;
  }
  const reason = literal.reason;
  return fail(
    firstFailure === undefined ? reason : `${reason}, and ${firstFailure}`,
  );
}

/**
 * Recognizes `from pkg import __version__` and `pkg.__version__` after
 * `import pkg`, returning the module and attribute they read.
 */
function importedVersionReference(
  module: PythonModule,
  node: PyNode,
): { moduleName: string; attribute: string } | undefined {
  const target = followNames(module, node);
  if (target.kind === 'name') {
    const binding = topLevelBinding(module, target.name);
    if (binding?.kind === 'import' && binding.attribute !== undefined) {
      return { moduleName: binding.module, attribute: binding.attribute };
    }
  }
  if (target.kind === 'attribute' && target.object.kind === 'name') {
    const binding = topLevelBinding(module, target.object.name);
    if (binding?.kind === 'import') {
      const moduleName =
        binding.attribute === undefined
          ? binding.module
          : `${binding.module}.${binding.attribute}`;
      return { moduleName, attribute: target.name };
    }
  }
  return undefined;
}

/**
 * Lists `.py` paths that setup.py spells out, such as
 * `'analyzer/__init__.py'` or `os.path.join(here, module_name, '__init__.py')`,
 * joining the string parts and string variables before the file name.
 */
function pathHints(module: PythonModule, tokens: readonly Token[]): string[] {
  const hints: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (
      token.kind !== 'string' ||
      !token.value.endsWith('.py') ||
      token.value === 'setup.py'
    ) {
      continue;
    }
    const parts = [token.value];
    for (let cursor = index - 1; cursor >= 1; cursor -= 2) {
      if (!isOp(tokens[cursor], ',') && !isOp(tokens[cursor], '/')) {
        break;
      }
      const part = stringPart(module, tokens[cursor - 1]);
      if (part === undefined) {
        break;
      }
      parts.unshift(part);
    }
    const hint = path.posix.normalize(parts.join('/'));
    if (!hints.includes(hint)) {
      hints.push(hint);
    }
  }
  return hints;
}

/** Returns a string literal token's value, or the literal a name is bound to. */
function stringPart(module: PythonModule, token: Token): string | undefined {
  if (token.kind === 'string' && !token.formatted) {
    return token.value;
  }
  if (token.kind === 'name') {
    const result = evaluateLiteral(module, nameNode(token.value));
    return result.ok && typeof result.value === 'string'
      ? result.value
      : undefined;
  }
  return undefined;
}
