// File helpers shared by the metadata readers, the Result type, and the
// reader for setuptools' `file:` version lists.

import * as fs from 'fs';
import * as path from 'path';

export function isFile(file: string): boolean {
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

export function readTextFile(file: string): string | undefined {
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
export function resolveInside(
  dir: string,
  relative: string,
): string | undefined {
  const root = path.resolve(dir);
  const resolved = path.resolve(root, relative);
  const offset = path.relative(root, resolved);
  if (offset.startsWith('..') || path.isAbsolute(offset)) {
    return undefined;
  }
  return resolved;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export function succeed<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(reason: string): Result<T> {
  return { ok: false, reason };
}

/** Reads and joins the `file:` list of a version, as setuptools does. */
export function readVersionFiles(
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
