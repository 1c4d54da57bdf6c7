import * as fs from 'node:fs';
import * as path from 'node:path';
import { findNodeModules } from './projenrc-compiler';

/**
 * Folders that synthesis never writes and that may be large: dependencies,
 * git data, Python environments, caches and build output. They are left out
 * of snapshots and of the copies that check mode synthesizes into.
 */
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.venv',
  'venv',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.tox',
  'dist',
  'build',
]);

/** File contents by path relative to the repository, with `/` separators. */
export type TreeSnapshot = Map<string, Buffer>;

/** A file that synthesis added, modified or deleted. */
export interface FileChange {
  readonly path: string;
  readonly change: 'added' | 'modified' | 'deleted';
}

/** Reads every file under `root` except the skipped folders. */
export function snapshotTree(root: string): TreeSnapshot {
  const snapshot: TreeSnapshot = new Map();
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix + entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) {
          walk(full, `${relative}/`);
        }
      } else if (entry.isFile()) {
        snapshot.set(relative, fs.readFileSync(full));
      }
    }
  };
  walk(root, '');
  return snapshot;
}

/** Lists the files that differ between two snapshots, sorted by path. */
export function compareSnapshots(
  before: TreeSnapshot,
  after: TreeSnapshot,
): FileChange[] {
  const changes: FileChange[] = [];
  for (const [file, content] of after) {
    const previous = before.get(file);
    if (previous === undefined) {
      changes.push({ path: file, change: 'added' });
    } else if (!previous.equals(content)) {
      changes.push({ path: file, change: 'modified' });
    }
  }
  for (const file of before.keys()) {
    if (!after.has(file)) {
      changes.push({ path: file, change: 'deleted' });
    }
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * Copies the repository at `source` into the empty folder `target` for a
 * synthesis that must not touch the original. The skipped folders are not
 * copied, and `target/node_modules` links to the `node_modules` folder that
 * Node would find first from `source`, so packages resolve to the same
 * files.
 */
export function copyRepository(source: string, target: string): void {
  fs.cpSync(source, target, {
    recursive: true,
    preserveTimestamps: true,
    filter: (from) => !SKIPPED_DIRS.has(path.basename(from)) || from === source,
  });
  const nodeModules = findNodeModules(path.resolve(source));
  if (nodeModules !== undefined) {
    fs.symlinkSync(
      fs.realpathSync(nodeModules),
      path.join(target, 'node_modules'),
      'dir',
    );
  }
}
