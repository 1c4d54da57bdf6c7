// Finds import packages and module files on disk: folders with an
// `__init__.py`, find_packages() emulation and package_dir lookups.

import * as fs from 'fs';
import * as path from 'path';
import { isFile, resolveInside } from './files';

export const IDENTIFIER =
  /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

/** Folder names that hold tests, which never name the service's module. */
const TEST_FOLDERS = new Set(['test', 'tests', 'testing']);

export function preferNonTestPackages(packages: readonly string[]): string[] {
  const unique = [...new Set(packages)];
  const nonTest = unique.filter((name) => !TEST_FOLDERS.has(name));
  return nonTest.length > 0 ? nonTest : unique;
}

/** Lists the folders in `base` that contain an `__init__.py`, sorted by name. */
export function packageFolders(base: string): string[] {
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
export function singlePackageFolder(dir: string): string | undefined {
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
export function findTopLevelPackages(
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
export function findModuleFile(
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

export function topLevelNames(packages: readonly string[]): string[] {
  return [...new Set(packages.map((name) => name.split('.', 1)[0]))];
}
