// Reads pyproject.toml: the PEP 621 `[project]` table, dynamic versions,
// `[tool.setuptools]` packages and the `[tool.poetry]` table.

import * as path from 'path';
import type {
  parse as ParseToml,
  TomlError as TomlErrorClass,
} from 'smol-toml' with { 'resolution-mode': 'import' };
import { applyEntryPointLines } from './entry-points';
import { readTextFile, readVersionFiles, succeed } from './files';
import {
  applyVersionResult,
  readAttributeVersion,
  readVersionAttribute,
} from './module-version';
import {
  findTopLevelPackages,
  IDENTIFIER,
  topLevelNames,
} from './package-folders';
import type { SourceReading } from './types';
import {
  newReading,
  normalizeDistributionName,
  PackageMetadataError,
} from './types';

// smol-toml's type declarations describe its ES module build, which this
// CommonJS package cannot import, so the CommonJS build that it also ships
// (dist/index.cjs) is loaded with require().
const { parse: parseToml, TomlError } = require('smol-toml') as {
  parse: typeof ParseToml;
  TomlError: typeof TomlErrorClass;
};

type TomlTableValue = Record<string, unknown>;

export function readPyproject(dir: string): SourceReading | undefined {
  const file = path.join(dir, 'pyproject.toml');
  const text = readTextFile(file);
  if (text === undefined) {
    return undefined;
  }
  const document = parseTomlFile(text, file);
  const toml = new TomlReader(document, file);
  const project = toml.table(['project']);
  const poetry = toml.table(['tool', 'poetry']);
  const reading = newReading(
    'pyproject.toml',
    project !== undefined || poetry !== undefined,
  );
  reading.buildBackend = toml.string(['build-system', 'build-backend']);

  if (project !== undefined) {
    readProjectTable(dir, toml, reading);
  }
  readSetuptoolsPackages(dir, toml, reading);
  if (poetry !== undefined) {
    readPoetryTable(toml, reading);
  }
  return reading;
}

function parseTomlFile(text: string, file: string): TomlTableValue {
  try {
    return parseToml(text) as TomlTableValue;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message
        .split('\n', 1)[0]
        .replace(/^Invalid TOML document:\s*/, '');
      throw new PackageMetadataError(
        `Invalid TOML in ${file} at line ${error.line}, column ` +
          `${error.column}: ${reason}. Fix the syntax there and retry.`,
        file,
        error.line,
      );
    }
    throw error;
  }
}

/** Typed access to a parsed TOML document that names the key on a type mismatch. */
class TomlReader {
  constructor(
    private readonly document: TomlTableValue,
    private readonly file: string,
  ) {}

  value(keys: readonly string[]): unknown {
    let current: unknown = this.document;
    for (const key of keys) {
      if (!isTomlTable(current) || !Object.hasOwn(current, key)) {
        return undefined;
      }
      current = current[key];
    }
    return current;
  }

  table(keys: readonly string[]): TomlTableValue | undefined {
    const value = this.value(keys);
    if (value === undefined || isTomlTable(value)) {
      return value;
    }
    throw this.typeError(keys, 'a table', value);
  }

  string(keys: readonly string[]): string | undefined {
    const value = this.value(keys);
    if (value === undefined || typeof value === 'string') {
      return value;
    }
    throw this.typeError(keys, 'a string', value);
  }

  stringArray(keys: readonly string[]): string[] | undefined {
    const value = this.value(keys);
    if (value === undefined) {
      return undefined;
    }
    if (
      Array.isArray(value) &&
      value.every((item) => typeof item === 'string')
    ) {
      return value as string[];
    }
    throw this.typeError(keys, 'an array of strings', value);
  }

  /** Reads a value that may be one string or an array of strings. */
  stringOrArray(keys: readonly string[]): string[] | undefined {
    const value = this.value(keys);
    return typeof value === 'string' ? [value] : this.stringArray(keys);
  }

  typeError(keys: readonly string[], expected: string, actual: unknown) {
    const kind = Array.isArray(actual)
      ? 'an array'
      : isTomlTable(actual)
        ? 'a table'
        : `a ${typeof actual}`;
    return new PackageMetadataError(
      `Invalid ${path.basename(this.file)} at ${this.file}: ${keys.join('.')} ` +
        `must be ${expected}, but it is ${kind}.`,
      this.file,
    );
  }
}

function isTomlTable(value: unknown): value is TomlTableValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  );
}

/** Reads the PEP 621 `[project]` table. */
function readProjectTable(
  dir: string,
  toml: TomlReader,
  reading: SourceReading,
): void {
  reading.distributionName = toml.string(['project', 'name']);
  const dynamic = toml.stringArray(['project', 'dynamic']) ?? [];
  const version = toml.string(['project', 'version']);
  if (version !== undefined) {
    reading.version = version;
    reading.versionSource = 'pyproject.toml';
  } else if (dynamic.includes('version')) {
    readDynamicVersion(dir, toml, reading);
  } else {
    reading.unresolved.push({
      field: 'version',
      message:
        'version: pyproject.toml [project] has no version and does not ' +
        'list it in dynamic',
    });
  }

  const scripts = toml.table(['project', 'scripts']);
  if (scripts !== undefined) {
    const lines = Object.keys(scripts).map(
      (name) => `${name} = ${toml.string(['project', 'scripts', name])}`,
    );
    applyEntryPointLines(reading, lines, 'pyproject.toml [project.scripts]');
  }

  reading.dependenciesDeclared =
    toml.stringArray(['project', 'dependencies']) !== undefined ||
    (dynamic.includes('dependencies') &&
      toml.value(['tool', 'setuptools', 'dynamic', 'dependencies']) !==
        undefined);
}

/**
 * Resolves a version that `[project] dynamic` leaves to the build backend:
 * setuptools' `attr`/`file`, hatch's version path, flit's module
 * `__version__`, or a VCS plugin that derives it from git tags.
 */
function readDynamicVersion(
  dir: string,
  toml: TomlReader,
  reading: SourceReading,
): void {
  const unresolved = (message: string) =>
    reading.unresolved.push({
      field: 'version',
      message: `version: ${message}`,
    });
  const packageDir = tomlPackageDir(toml);

  const setuptoolsVersion = toml.table([
    'tool',
    'setuptools',
    'dynamic',
    'version',
  ]);
  if (setuptoolsVersion !== undefined) {
    const keys = ['tool', 'setuptools', 'dynamic', 'version'];
    const attribute = toml.string([...keys, 'attr']);
    const files = toml.stringOrArray([...keys, 'file']);
    const label = 'pyproject.toml [tool.setuptools.dynamic]';
    if (attribute !== undefined) {
      const result = readAttributeVersion(dir, attribute, packageDir);
      applyVersionResult(reading, result, label, `attr ${attribute}`);
    } else if (files !== undefined) {
      const result = readVersionFiles(dir, files);
      applyVersionResult(
        reading,
        result.ok ? succeed({ version: result.value, file: files[0] }) : result,
        label,
        `file ${files.join(', ')}`,
      );
    } else {
      unresolved(`${label} version has neither attr nor file`);
    }
    return;
  }

  const scmPlugin = vcsVersionPlugin(toml);
  if (scmPlugin !== undefined) {
    reading.versionSource = scmPlugin;
    unresolved(`${scmPlugin} derives it from git tags at build time`);
    return;
  }

  const hatchPath = toml.string(['tool', 'hatch', 'version', 'path']);
  if (hatchPath !== undefined) {
    let result = readVersionAttribute(dir, hatchPath, '__version__');
    if (!result.ok) {
      const fallback = readVersionAttribute(dir, hatchPath, 'VERSION');
      result = fallback.ok ? fallback : result;
    }
    applyVersionResult(
      reading,
      result.ok ? succeed({ version: result.value, file: hatchPath }) : result,
      'pyproject.toml [tool.hatch.version]',
      `path ${hatchPath}`,
    );
    return;
  }

  if (reading.buildBackend?.startsWith('flit_core') === true) {
    const moduleName =
      toml.string(['tool', 'flit', 'module', 'name']) ??
      (reading.distributionName === undefined
        ? undefined
        : normalizeDistributionName(reading.distributionName).replace(
            /-/g,
            '_',
          ));
    if (moduleName !== undefined) {
      const result = readAttributeVersion(
        dir,
        `${moduleName}.__version__`,
        packageDir,
      );
      applyVersionResult(reading, result, 'flit', `${moduleName}.__version__`);
      return;
    }
  }

  unresolved(
    'pyproject.toml lists it in [project] dynamic, but no ' +
      '[tool.setuptools.dynamic], [tool.hatch.version] or VCS plugin ' +
      'provides it',
  );
}

/** Names the VCS versioning plugin that pyproject.toml configures or requires. */
function vcsVersionPlugin(toml: TomlReader): string | undefined {
  const requires = (toml.stringArray(['build-system', 'requires']) ?? []).map(
    (requirement) =>
      normalizeDistributionName(requirement.split(/[\s<>=!~;[]/, 1)[0]),
  );
  if (
    toml.value(['tool', 'setuptools_scm']) !== undefined ||
    requires.includes('setuptools-scm')
  ) {
    return 'setuptools_scm';
  }
  if (
    toml.string(['tool', 'hatch', 'version', 'source']) === 'vcs' ||
    requires.includes('hatch-vcs')
  ) {
    return 'hatch-vcs';
  }
  return undefined;
}

function tomlPackageDir(toml: TomlReader): Record<string, string> {
  const table = toml.table(['tool', 'setuptools', 'package-dir']) ?? {};
  const packageDir: Record<string, string> = {};
  for (const key of Object.keys(table)) {
    const value = toml.string(['tool', 'setuptools', 'package-dir', key]);
    if (value !== undefined) {
      packageDir[key] = value;
    }
  }
  return packageDir;
}

/** Reads `[tool.setuptools]` packages, packages.find and py-modules. */
function readSetuptoolsPackages(
  dir: string,
  toml: TomlReader,
  reading: SourceReading,
): void {
  const keys = ['tool', 'setuptools'];
  const packages = toml.value([...keys, 'packages']);
  if (Array.isArray(packages)) {
    reading.packages = topLevelNames(
      toml.stringArray([...keys, 'packages']) ?? [],
    );
  } else if (toml.table([...keys, 'packages', 'find']) !== undefined) {
    const find = [...keys, 'packages', 'find'];
    const found = (toml.stringArray([...find, 'where']) ?? ['.']).flatMap(
      (where) =>
        findTopLevelPackages(
          dir,
          where,
          toml.stringArray([...find, 'include']) ?? [],
          toml.stringArray([...find, 'exclude']) ?? [],
        ),
    );
    // NOTE: with namespaces = true (the pyproject.toml default) setuptools
    // also finds folders without __init__.py. Those are not listed here.
    reading.packages = found;
  }
  const modules = toml.stringArray([...keys, 'py-modules']);
  if (modules !== undefined && reading.packages === undefined) {
    reading.packages = modules;
  }
}

/** Reads `[tool.poetry]` for the fields that `[project]` did not provide. */
function readPoetryTable(toml: TomlReader, reading: SourceReading): void {
  const keys = ['tool', 'poetry'];
  reading.distributionName ??= toml.string([...keys, 'name']);
  const version = toml.string([...keys, 'version']);
  if (reading.version === undefined && version !== undefined) {
    reading.version = version;
    reading.versionSource = 'pyproject.toml';
    const index = reading.unresolved.findIndex(
      (entry) => entry.field === 'version',
    );
    if (index !== -1) {
      reading.unresolved.splice(index, 1);
    }
  }

  const scripts = toml.table([...keys, 'scripts']);
  if (reading.consoleScripts === undefined && scripts !== undefined) {
    const lines: string[] = [];
    for (const name of Object.keys(scripts)) {
      const target = poetryScriptTarget(scripts[name]);
      if (target !== undefined) {
        lines.push(`${name} = ${target}`);
      }
    }
    applyEntryPointLines(
      reading,
      lines,
      'pyproject.toml [tool.poetry.scripts]',
    );
  }

  const packages = toml.value([...keys, 'packages']);
  if (reading.packages === undefined && Array.isArray(packages)) {
    const names = packages
      .map((entry) => (isTomlTable(entry) ? entry.include : undefined))
      .filter(
        (include): include is string =>
          typeof include === 'string' && IDENTIFIER.test(include),
      );
    reading.packages = names.length > 0 ? names : undefined;
  }
  reading.dependenciesDeclared ||=
    toml.value([...keys, 'dependencies']) !== undefined;
}

/** Returns the object reference of a Poetry console script, or undefined for file scripts. */
function poetryScriptTarget(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (!isTomlTable(value)) {
    return undefined;
  }
  if (typeof value.callable === 'string') {
    return value.callable;
  }
  if (
    typeof value.reference === 'string' &&
    (value.type === undefined || value.type === 'console')
  ) {
    return value.reference;
  }
  return undefined;
}
