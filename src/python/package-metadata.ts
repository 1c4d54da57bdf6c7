// Reads a Python package's metadata from pyproject.toml, setup.cfg and
// setup.py without running Python. setup.py is tokenized and only its literal
// parts are read, so anything it computes is listed in `unresolved`.
import * as fs from 'fs';
import * as path from 'path';
import type {
  parse as ParseToml,
  TomlError as TomlErrorClass,
} from 'smol-toml' with { 'resolution-mode': 'import' };

// smol-toml's type declarations describe its ES module build, which this
// CommonJS package cannot import, so the CommonJS build that it also ships
// (dist/index.cjs) is loaded with require().
const { parse: parseToml, TomlError } = require('smol-toml') as {
  parse: typeof ParseToml;
  TomlError: typeof TomlErrorClass;
};

/** Console script entry point that pip installs as a command. */
export interface ConsoleScript {
  /** Command name, e.g. `analyzer-api`. */
  readonly name: string;
  /** Object reference that the command calls, as `module.sub:function`. */
  readonly target: string;
}

/** Metadata file that provided most of a package's metadata. */
export type MetadataSource = 'pyproject.toml' | 'setup.cfg' | 'setup.py';

/** Package metadata merged from pyproject.toml, setup.cfg and setup.py. */
export interface PackageMetadata {
  /** Most preferred file that declares metadata: pyproject.toml, then setup.cfg, then setup.py. */
  readonly source: MetadataSource;
  /** Distribution name as written, e.g. `My-Service`. */
  readonly distributionName?: string;
  /** Top-level import package, e.g. `my_service`. */
  readonly moduleName?: string;
  /** Version, when a file states it as a literal. */
  readonly version?: string;
  /** File or tool that the version comes from, e.g. `analyzer/__init__.py` or `setuptools_scm`. */
  readonly versionSource?: string;
  readonly consoleScripts: readonly ConsoleScript[];
  /** `build-backend` of the pyproject.toml `[build-system]` table. */
  readonly buildBackend?: string;
  /** One sentence per field that could not be read without running Python. */
  readonly unresolved: readonly string[];
}

/** Error for a pyproject.toml or setup.cfg that is not valid TOML or INI. */
export class PackageMetadataError extends Error {
  constructor(
    message: string,
    /** Path of the invalid file. */
    readonly file: string,
    /** 1-based line of the error, when the parser reports one. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'PackageMetadataError';
  }
}

/**
 * Reads the package metadata in `dir` without running Python.
 *
 * Each field comes from the first of pyproject.toml, setup.cfg and setup.py
 * that provides it. Returns undefined when none of pyproject.toml `[project]`
 * or `[tool.poetry]`, setup.cfg `[metadata]` and setup.py exists.
 * Throws PackageMetadataError for invalid TOML or INI syntax.
 */
export function readPackageMetadata(dir: string): PackageMetadata | undefined {
  const pyproject = readPyproject(dir);
  const setupCfg = readSetupCfg(dir);
  const moduleHints = [pyproject, setupCfg].flatMap((reading) =>
    reading === undefined ? [] : moduleNamesOf(reading),
  );
  const setupPy = readSetupPy(dir, moduleHints);

  const readings = [pyproject, setupCfg, setupPy].filter(
    (reading): reading is SourceReading => reading !== undefined,
  );
  const primary = readings.find((reading) => reading.declaresMetadata);
  if (primary === undefined) {
    return undefined;
  }
  return mergeReadings(dir, primary.source, readings);
}

/**
 * Returns whether `dir` looks like a Python package: it contains
 * pyproject.toml, setup.py or setup.cfg, a top-level folder with an
 * `__init__.py`, or `src/<package>/__init__.py`. Hidden folders and
 * node_modules are not searched.
 */
export function hasPythonPackage(dir: string): boolean {
  for (const file of ['pyproject.toml', 'setup.py', 'setup.cfg']) {
    if (isFile(path.join(dir, file))) {
      return true;
    }
  }
  return (
    packageFolders(dir).length > 0 ||
    packageFolders(path.join(dir, 'src')).length > 0
  );
}

/**
 * Normalizes a distribution name as PEP 503 does: lowercase, with each run
 * of `-`, `_` and `.` replaced by one `-`.
 */
export function normalizeDistributionName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

// ---------------------------------------------------------------------------
// Merging

/** Metadata field that an unresolved sentence is about. */
type MetadataField =
  | 'name'
  | 'version'
  | 'consoleScripts'
  /** Entries of the console scripts that a file declares but that have no valid target. */
  | 'consoleScriptEntries'
  | 'packages'
  | 'dependencies'
  | 'optionalDependencies'
  | 'setup';

interface UnresolvedField {
  readonly field: MetadataField;
  readonly message: string;
}

/** Fields that one metadata file provides. */
interface SourceReading {
  readonly source: MetadataSource;
  /** Whether the file counts as a metadata source for readPackageMetadata. */
  readonly declaresMetadata: boolean;
  distributionName?: string;
  version?: string;
  versionSource?: string;
  consoleScripts?: ConsoleScript[];
  /** Top-level packages and modules that the file declares or finds. */
  packages?: string[];
  dependenciesDeclared?: boolean;
  buildBackend?: string;
  readonly unresolved: UnresolvedField[];
}

function newReading(
  source: MetadataSource,
  declaresMetadata: boolean,
): SourceReading {
  return { source, declaresMetadata, unresolved: [] };
}

function mergeReadings(
  dir: string,
  source: MetadataSource,
  readings: readonly SourceReading[],
): PackageMetadata {
  const first = <T>(
    pick: (reading: SourceReading) => T | undefined,
  ): T | undefined => {
    for (const reading of readings) {
      const value = pick(reading);
      if (value !== undefined) {
        return value;
      }
    }
    return undefined;
  };

  const distributionName = first((reading) => reading.distributionName);
  const versionReading = readings.find(
    (reading) => reading.version !== undefined,
  );
  const version = versionReading?.version;
  const versionSource =
    versionReading?.versionSource ?? first((reading) => reading.versionSource);
  const scriptsReading = readings.find(
    (reading) => reading.consoleScripts !== undefined,
  );
  const consoleScripts = scriptsReading?.consoleScripts ?? [];
  const packages = first((reading) => reading.packages);
  const buildBackend = first((reading) => reading.buildBackend);

  const resolved = new Set<MetadataField>();
  if (distributionName !== undefined) resolved.add('name');
  if (version !== undefined) resolved.add('version');
  if (scriptsReading !== undefined) resolved.add('consoleScripts');
  if (packages !== undefined) resolved.add('packages');
  if (readings.some((reading) => reading.dependenciesDeclared)) {
    resolved.add('dependencies');
  }
  // Invalid script entries matter only in the file whose scripts are used.
  const isReported = (reading: SourceReading, entry: UnresolvedField) =>
    entry.field === 'consoleScriptEntries'
      ? reading === scriptsReading
      : !resolved.has(entry.field);
  const unresolved = readings.flatMap((reading) =>
    reading.unresolved
      .filter((entry) => isReported(reading, entry))
      .map((entry) => entry.message),
  );

  const moduleName = chooseModuleName(
    dir,
    consoleScripts,
    packages,
    distributionName,
  );

  return {
    source,
    ...(distributionName !== undefined && { distributionName }),
    ...(moduleName !== undefined && { moduleName }),
    ...(version !== undefined && { version }),
    ...(versionSource !== undefined && { versionSource }),
    consoleScripts,
    ...(buildBackend !== undefined && { buildBackend }),
    unresolved: [...new Set(unresolved)],
  };
}

/**
 * Chooses the top-level import package: the module of the first console
 * script, else the first declared package, else the only package folder at
 * the top level or under src/, else the distribution name with `-` as `_`.
 */
function chooseModuleName(
  dir: string,
  consoleScripts: readonly ConsoleScript[],
  packages: readonly string[] | undefined,
  distributionName: string | undefined,
): string | undefined {
  if (consoleScripts.length > 0) {
    return topLevelModule(consoleScripts[0].target);
  }
  const declared = preferNonTestPackages(packages ?? []);
  if (declared.length > 0) {
    return declared[0];
  }
  const folder = singlePackageFolder(dir);
  if (folder !== undefined) {
    return folder;
  }
  if (distributionName !== undefined) {
    const candidate = normalizeDistributionName(distributionName).replace(
      /-/g,
      '_',
    );
    return IDENTIFIER.test(candidate) ? candidate : undefined;
  }
  return undefined;
}

/** Lists the module names that a reading points to, best guess first. */
function moduleNamesOf(reading: SourceReading): string[] {
  const names = (reading.consoleScripts ?? []).map((script) =>
    topLevelModule(script.target),
  );
  names.push(...preferNonTestPackages(reading.packages ?? []));
  return names;
}

function topLevelModule(target: string): string {
  return target.split(/[.:]/, 1)[0];
}

// ---------------------------------------------------------------------------
// Package folders

const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

/** Folder names that hold tests, which never name the service's module. */
const TEST_FOLDERS = new Set(['test', 'tests', 'testing']);

function preferNonTestPackages(packages: readonly string[]): string[] {
  const unique = [...new Set(packages)];
  const nonTest = unique.filter((name) => !TEST_FOLDERS.has(name));
  return nonTest.length > 0 ? nonTest : unique;
}

/** Lists the folders in `base` that contain an `__init__.py`, sorted by name. */
function packageFolders(base: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(base);
  } catch {
    return [];
  }
  return entries
    .filter(
      (entry) =>
        !entry.startsWith('.') &&
        entry !== 'node_modules' &&
        isFile(path.join(base, entry, '__init__.py')),
    )
    .sort();
}

/**
 * Returns the only non-test package folder at the top level of `dir`, or
 * the only one under `dir/src` when the top level has none.
 */
function singlePackageFolder(dir: string): string | undefined {
  for (const base of [dir, path.join(dir, 'src')]) {
    const folders = packageFolders(base).filter(
      (name) => IDENTIFIER.test(name) && !TEST_FOLDERS.has(name),
    );
    if (folders.length === 1) {
      return folders[0];
    }
    if (folders.length > 1) {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Lists the top-level packages that setuptools' find_packages() would find
 * in `where`. Only the first level is searched, because only top-level names
 * matter here, and `include`/`exclude` are fnmatch patterns as in setuptools.
 */
function findTopLevelPackages(
  dir: string,
  where: string,
  include: readonly string[],
  exclude: readonly string[],
): string[] {
  const base = resolveInside(dir, where);
  if (base === undefined) {
    return [];
  }
  const includes = include.map(fnmatchToRegExp);
  const excludes = exclude.map(fnmatchToRegExp);
  return packageFolders(base).filter(
    (name) =>
      IDENTIFIER.test(name) &&
      (includes.length === 0 ||
        includes.some((pattern) => pattern.test(name))) &&
      !excludes.some((pattern) => pattern.test(name)),
  );
}

function fnmatchToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '*') {
      source += '.*';
    } else if (char === '?') {
      source += '.';
    } else if (char === '[') {
      const close = pattern.indexOf(']', index + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let set = pattern.slice(index + 1, close).replace(/\\/g, '\\\\');
      if (set.startsWith('!')) {
        set = '^' + set.slice(1);
      }
      source += `[${set}]`;
      index = close;
    } else {
      source += char.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

/**
 * Locates the file of a dotted module: `<root>/a/b/__init__.py` or
 * `<root>/a/b.py`, where the root comes from `packageDir` (setuptools'
 * package_dir) and is also tried as `src/` when package_dir is not set.
 * Returns the path relative to `dir` with `/` separators.
 */
function findModuleFile(
  dir: string,
  dottedName: string,
  packageDir: Readonly<Record<string, string>>,
): string | undefined {
  const parts = dottedName.split('.');
  const [top, ...rest] = parts;
  const bases: string[] = [];
  if (packageDir[top] !== undefined) {
    bases.push(packageDir[top]);
  } else if (packageDir[''] !== undefined) {
    bases.push(path.posix.join(packageDir[''], top));
  } else {
    bases.push(top, path.posix.join('src', top));
  }
  for (const base of bases) {
    const modulePath = path.posix.join(base, ...rest);
    for (const candidate of [
      path.posix.join(modulePath, '__init__.py'),
      `${modulePath}.py`,
    ]) {
      const absolute = resolveInside(dir, candidate);
      if (absolute !== undefined && isFile(absolute)) {
        return path.posix.normalize(candidate);
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Files

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return false;
    }
    throw error;
  }
}

function readTextFile(file: string): string | undefined {
  if (!isFile(file)) {
    return undefined;
  }
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

/**
 * Resolves `relative` against `dir`, or returns undefined when the result
 * would lie outside `dir`. setuptools rejects `file:` paths outside the
 * project the same way.
 */
function resolveInside(dir: string, relative: string): string | undefined {
  const root = path.resolve(dir);
  const resolved = path.resolve(root, relative);
  const offset = path.relative(root, resolved);
  if (offset.startsWith('..') || path.isAbsolute(offset)) {
    return undefined;
  }
  return resolved;
}

type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

function succeed<T>(value: T): Result<T> {
  return { ok: true, value };
}

function fail<T>(reason: string): Result<T> {
  return { ok: false, reason };
}

/** Reads and joins the `file:` list of a version, as setuptools does. */
function readVersionFiles(
  dir: string,
  files: readonly string[],
): Result<string> {
  const contents: string[] = [];
  for (const file of files) {
    const absolute = resolveInside(dir, file);
    if (absolute === undefined) {
      return fail(`${file} lies outside the package folder`);
    }
    const text = readTextFile(absolute);
    if (text === undefined) {
      return fail(`${file} does not exist`);
    }
    contents.push(text);
  }
  const version = contents.join('\n').trim();
  return version === ''
    ? fail(`${files.join(', ')} is empty`)
    : succeed(version);
}

// ---------------------------------------------------------------------------
// Console scripts

/** Object reference of an entry point: `module.sub:attribute.sub`. */
const OBJECT_REFERENCE =
  /^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*(:[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*)?$/u;

/**
 * Parses `name = module:function [extra]` lines into console scripts.
 * Lines that do not have that form are returned in `invalid`.
 */
function parseEntryPointLines(lines: readonly string[]): {
  scripts: ConsoleScript[];
  invalid: string[];
} {
  const scripts: ConsoleScript[] = [];
  const invalid: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) {
      continue;
    }
    const match = /^([^=]+?)\s*=\s*(.+?)\s*(\[[^\]]*\])?$/.exec(line);
    const target = match?.[2].replace(/\s*:\s*/, ':');
    if (
      match === null ||
      target === undefined ||
      !OBJECT_REFERENCE.test(target)
    ) {
      invalid.push(line);
      continue;
    }
    scripts.push({ name: match[1], target });
  }
  return { scripts, invalid };
}

function invalidScriptsMessage(label: string, invalid: readonly string[]) {
  const quoted = invalid.map((line) => `'${line}'`).join(', ');
  return (
    `console_scripts: ${label} has entries that are not of the form ` +
    `name = module:function (${quoted})`
  );
}

// ---------------------------------------------------------------------------
// pyproject.toml

type TomlTableValue = Record<string, unknown>;

function readPyproject(dir: string): SourceReading | undefined {
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

function applyEntryPointLines(
  reading: SourceReading,
  lines: readonly string[],
  label: string,
): void {
  const { scripts, invalid } = parseEntryPointLines(lines);
  reading.consoleScripts = scripts;
  if (invalid.length > 0) {
    reading.unresolved.push({
      field: 'consoleScriptEntries',
      message: invalidScriptsMessage(label, invalid),
    });
  }
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

interface VersionInFile {
  readonly version: string;
  readonly file: string;
}

function applyVersionResult(
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

function topLevelNames(packages: readonly string[]): string[] {
  return [...new Set(packages.map((name) => name.split('.', 1)[0]))];
}

// ---------------------------------------------------------------------------
// setup.cfg

/** Sections of an INI file, parsed the way Python's configparser reads setup.cfg. */
class IniDocument {
  constructor(
    readonly file: string,
    readonly sections: ReadonlyMap<string, ReadonlyMap<string, IniValue>>,
    readonly defaults: ReadonlyMap<string, IniValue>,
  ) {}

  has(section: string): boolean {
    return this.sections.has(section);
  }

  /**
   * Returns the value of a key, matching setuptools' key handling: case and
   * `-` versus `_` are ignored. `%(name)s` and `%%` are interpolated as
   * configparser's BasicInterpolation does.
   */
  get(section: string, key: string): string | undefined {
    const entry = this.find(section, key);
    return entry === undefined
      ? undefined
      : this.interpolate(section, entry, 0);
  }

  private find(section: string, key: string): IniValue | undefined {
    const values = this.sections.get(section);
    if (values === undefined) {
      return undefined;
    }
    const normalizedKey = normalizeIniKey(key);
    for (const candidates of [values, this.defaults]) {
      for (const [name, value] of candidates) {
        if (normalizeIniKey(name) === normalizedKey) {
          return value;
        }
      }
    }
    return undefined;
  }

  private interpolate(section: string, entry: IniValue, depth: number): string {
    return entry.text.replace(/%(%|\(([^)]*)\)s|)/g, (match, marker, name) => {
      if (marker === '%') {
        return '%';
      }
      const referenced =
        name === undefined ? undefined : this.find(section, name);
      let problem: string | undefined;
      if (name === undefined) {
        problem = `'%' starts no %(name)s reference. Write a literal % as %%`;
      } else if (referenced === undefined) {
        problem = `'${match}' refers to no key of [${section}] or [DEFAULT]`;
      } else if (depth >= MAXIMUM_INTERPOLATION_DEPTH) {
        problem = `'${match}' is nested more than ${MAXIMUM_INTERPOLATION_DEPTH} levels deep`;
      }
      if (problem !== undefined || referenced === undefined) {
        throw new PackageMetadataError(
          `Invalid interpolation in ${this.file} at line ${entry.line}: ${problem}.`,
          this.file,
          entry.line,
        );
      }
      return this.interpolate(section, referenced, depth + 1);
    });
  }
}

/** configparser's limit on nested %(name)s references (MAX_INTERPOLATION_DEPTH). */
const MAXIMUM_INTERPOLATION_DEPTH = 10;

interface IniValue {
  readonly text: string;
  readonly line: number;
}

function normalizeIniKey(key: string): string {
  return key.toLowerCase().replace(/-/g, '_');
}

/**
 * Parses INI text with the defaults of Python's configparser that setuptools
 * uses: `=` or `:` delimiters, `#` and `;` comment lines, values continued
 * on more-indented lines, and errors for duplicate sections and keys.
 */
function parseIni(text: string, file: string): IniDocument {
  const sections = new Map<string, Map<string, IniValue>>();
  const defaults = new Map<string, IniValue>();
  const pending = new Map<
    Map<string, IniValue>,
    Map<string, { lines: string[]; line: number }>
  >();
  let current: Map<string, IniValue> | undefined;
  let currentName = '';
  let key: string | undefined;
  let indentLevel = 0;

  const invalid = (lineNumber: number, reason: string) =>
    new PackageMetadataError(
      `Invalid INI syntax in ${file} at line ${lineNumber}: ${reason}.`,
      file,
      lineNumber,
    );

  const lines = text.split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index];
    const stripped = line.trim();
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    if (stripped === '' || isComment) {
      // configparser keeps blank lines inside a multi-line value, but drops
      // comment lines entirely.
      if (!isComment && current !== undefined && key !== undefined) {
        pending.get(current)?.get(key)?.lines.push('');
      }
      continue;
    }

    const indent = line.length - line.trimStart().length;
    if (current !== undefined && key !== undefined && indent > indentLevel) {
      pending.get(current)?.get(key)?.lines.push(stripped);
      continue;
    }
    indentLevel = indent;

    const header = /^\[(.+)\]/.exec(stripped);
    if (header !== null) {
      currentName = header[1];
      if (currentName === 'DEFAULT') {
        current = defaults;
      } else if (sections.has(currentName)) {
        throw invalid(lineNumber, `section [${currentName}] appears twice`);
      } else {
        current = new Map();
        sections.set(currentName, current);
      }
      if (!pending.has(current)) {
        pending.set(current, new Map());
      }
      key = undefined;
      continue;
    }
    if (current === undefined) {
      throw invalid(lineNumber, 'a key appears before any [section] header');
    }

    const option = /^(.*?)\s*[=:]\s*(.*)$/.exec(stripped);
    if (option === null || option[1] === '') {
      throw invalid(
        lineNumber,
        `'${stripped}' is neither a [section] header, a key = value ` +
          'pair nor an indented continuation line',
      );
    }
    key = option[1];
    const values = pending.get(current)!;
    if (values.has(key)) {
      throw invalid(
        lineNumber,
        `key '${key}' appears twice in [${currentName}]`,
      );
    }
    values.set(key, { lines: [option[2]], line: lineNumber });
  }

  for (const [section, values] of pending) {
    for (const [name, value] of values) {
      section.set(name, {
        text: value.lines.join('\n').trimEnd(),
        line: value.line,
      });
    }
  }
  return new IniDocument(file, sections, defaults);
}

/** Splits a setup.cfg list: one item a line when multi-line, else comma-separated. */
function parseIniList(value: string): string[] {
  const items = value.includes('\n') ? value.split('\n') : value.split(',');
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** Parses a setup.cfg dict such as package_dir's `= src` lines. */
function parseIniDict(value: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of parseIniList(value)) {
    const separator = item.indexOf('=');
    if (separator !== -1) {
      result[item.slice(0, separator).trim()] = item
        .slice(separator + 1)
        .trim();
    }
  }
  return result;
}

function readSetupCfg(dir: string): SourceReading | undefined {
  const file = path.join(dir, 'setup.cfg');
  const text = readTextFile(file);
  if (text === undefined) {
    return undefined;
  }
  const ini = parseIni(text, file);
  const relevant = ['metadata', 'options', 'options.entry_points'];
  if (!relevant.some((section) => ini.has(section))) {
    return undefined;
  }
  const reading = newReading('setup.cfg', ini.has('metadata'));
  reading.distributionName = ini.get('metadata', 'name');

  const packageDir = parseIniDict(ini.get('options', 'package_dir') ?? '');
  readSetupCfgVersion(dir, ini, packageDir, reading);
  readSetupCfgPackages(dir, ini, packageDir, reading);

  const consoleScripts = ini.get('options.entry_points', 'console_scripts');
  if (consoleScripts !== undefined) {
    applyEntryPointLines(
      reading,
      consoleScripts.split('\n'),
      'setup.cfg [options.entry_points]',
    );
  }
  reading.dependenciesDeclared =
    ini.get('options', 'install_requires') !== undefined;
  return reading;
}

function readSetupCfgVersion(
  dir: string,
  ini: IniDocument,
  packageDir: Record<string, string>,
  reading: SourceReading,
): void {
  const value = ini.get('metadata', 'version');
  if (value === undefined) {
    return;
  }
  const directive = /^(attr|file):\s*(.*)$/s.exec(value);
  if (directive === null) {
    reading.version = value;
    reading.versionSource = 'setup.cfg';
    return;
  }
  const [, kind, argument] = directive;
  if (kind === 'attr') {
    const result = readAttributeVersion(dir, argument.trim(), packageDir);
    applyVersionResult(
      reading,
      result,
      'setup.cfg',
      `attr: ${argument.trim()}`,
    );
    return;
  }
  const files = argument
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const result = readVersionFiles(dir, files);
  applyVersionResult(
    reading,
    result.ok ? succeed({ version: result.value, file: files[0] }) : result,
    'setup.cfg',
    `file: ${files.join(', ')}`,
  );
}

function readSetupCfgPackages(
  dir: string,
  ini: IniDocument,
  packageDir: Record<string, string>,
  reading: SourceReading,
): void {
  const packages = ini.get('options', 'packages');
  if (packages !== undefined) {
    const trimmed = packages.trim();
    if (trimmed === 'find:' || trimmed === 'find_namespace:') {
      const section = 'options.packages.find';
      const where = ini.get(section, 'where') ?? packageDir[''] ?? '.';
      reading.packages = findTopLevelPackages(
        dir,
        where.trim(),
        parseIniList(ini.get(section, 'include') ?? ''),
        parseIniList(ini.get(section, 'exclude') ?? ''),
      );
    } else {
      reading.packages = topLevelNames(parseIniList(trimmed));
    }
  }
  const modules = ini.get('options', 'py_modules');
  if (modules !== undefined && reading.packages === undefined) {
    reading.packages = parseIniList(modules);
  }
}

// ---------------------------------------------------------------------------
// Versions in Python modules

/**
 * Reads the version from an `attr` reference such as `pkg.__version__`: the
 * module is `pkg` and the attribute `__version__`, as in setuptools.
 */
function readAttributeVersion(
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
function readVersionAttribute(
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

// ---------------------------------------------------------------------------
// setup.py

const SETUP_CALLEE_OWNERS = new Set(['setuptools', 'core']);

/**
 * Reads the literal keyword arguments of the setup() call in setup.py.
 * `moduleHints` are module names from the other metadata files, used to
 * find `__init__.py` when setup.py computes the version.
 */
function readSetupPy(
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

// ---------------------------------------------------------------------------
// Python literal evaluation

interface PyNumberLiteral {
  readonly number: string;
}

/** Value of a Python literal. Dict keys are stored as strings. */
type PyLiteral =
  | string
  | PyNumberLiteral
  | boolean
  | null
  | PyLiteral[]
  | Map<string, PyLiteral>;

function isNumberLiteral(value: PyLiteral): value is PyNumberLiteral {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Map)
  );
}

function literalKind(value: PyLiteral): string {
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
function evaluateLiteral(
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

function stringLiteral(
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

function stringListLiteral(
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
function nodeText(module: PythonModule, node: PyNode): string {
  const text = module.source
    .slice(node.start, node.end)
    .replace(/\s+/g, ' ')
    .trim();
  const maximum = 60;
  return text.length > maximum ? `${text.slice(0, maximum - 3)}...` : text;
}

/** Follows names bound once at the top level to the expression they are bound to. */
function followNames(module: PythonModule, node: PyNode): PyNode {
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
function topLevelBinding(
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
function nameNode(name: string): PyNode {
  return { kind: 'name', name, start: 0, end: 0, line: 0 };
}

// ---------------------------------------------------------------------------
// Python module structure

/** Ways a top-level statement binds a name. */
type Binding = { readonly indent: number; readonly line: number } & (
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

interface PythonModule {
  /** File name for messages, e.g. `setup.py`. */
  readonly label: string;
  readonly source: string;
  readonly tokens: readonly Token[];
  readonly bindings: ReadonlyMap<string, readonly Binding[]>;
}

/** Tokenizes Python source and records the names its statements bind. */
function parsePythonModule(source: string, label: string): PythonModule {
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

// ---------------------------------------------------------------------------
// Python expression parser

interface NodeBase {
  /** Offsets of the node's source text. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

type PyNode =
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

interface PyCall extends NodeBase {
  readonly kind: 'call';
  readonly callee: PyNode;
  readonly args: readonly PyNode[];
  /** Keyword arguments, and `**value` spreads with an undefined name. */
  readonly keywords: ReadonlyArray<{
    readonly name?: string;
    readonly value: PyNode;
  }>;
}

interface PyDict extends NodeBase {
  readonly kind: 'dict';
  /** Entries, and `**value` spreads with an undefined key. */
  readonly entries: ReadonlyArray<{
    readonly key?: PyNode;
    readonly value: PyNode;
  }>;
}

const PYTHON_KEYWORDS = new Set(
  (
    'and as assert async await break class continue def del elif else ' +
    'except finally for from global if import in is lambda nonlocal not ' +
    'or pass raise return try while with yield'
  ).split(' '),
);

/** Tokens that end an expression at bracket depth 0. */
const EXPRESSION_ENDS = new Set([',', ')', ']', '}', ':', '=', ';']);
const OPENING_BRACKETS: Readonly<Record<string, string>> = {
  '(': ')',
  '[': ']',
  '{': '}',
};
const CLOSING_BRACKETS = new Set([')', ']', '}']);

function tokenSpan(token: Token): NodeBase {
  return { start: token.start, end: token.end, line: token.line };
}

/**
 * Recursive-descent parser for the literal subset of Python expressions:
 * strings, numbers, names, attributes, calls, lists, tuples, sets and dicts.
 * Any other expression is skipped to its end and returned as `expression`.
 */
class ExpressionParser {
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

// ---------------------------------------------------------------------------
// Python tokenizer

/** Syntax error found while tokenizing or parsing Python source. */
class PythonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'PythonSyntaxError';
  }
}

interface Token {
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

function isName(token: Token | undefined, value: string): boolean {
  return token?.kind === 'name' && token.value === value;
}

function isOp(token: Token | undefined, value: string): boolean {
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
function tokenizePython(source: string): Token[] {
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
