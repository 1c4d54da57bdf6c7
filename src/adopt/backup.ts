import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJEN_MARKER } from 'projen/lib/common';

/** The folder, relative to the project, that contains one folder per backup run. */
export const BACKUP_DIR = '.pyservice/backups';

/** The backup folder of each project folder in this process, by absolute path. */
const runFolders = new Map<string, string>();

/**
 * Returns this process's backup folder for a project, relative to it:
 * `.pyservice/backups/<UTC timestamp>`. Every backup of one process goes
 * into the same folder, so adoption and the hand-edit guard never save the
 * same file twice.
 */
export function backupFolder(outdir: string, now: Date = new Date()): string {
  const key = path.resolve(outdir);
  let folder = runFolders.get(key);
  if (folder === undefined) {
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    folder = path.posix.join(BACKUP_DIR, stamp);
    for (let n = 2; fs.existsSync(path.join(key, folder)); n++) {
      folder = path.posix.join(BACKUP_DIR, `${stamp}-${n}`);
    }
    runFolders.set(key, folder);
  }
  return folder;
}

/**
 * Copies a project file into this process's backup folder, keeping its
 * relative path and bytes. Returns the backup's path relative to the
 * project, and whether this call made it (false when an identical copy
 * was already saved in this run).
 */
export function backupFile(
  outdir: string,
  file: string,
): { readonly backupPath: string; readonly created: boolean } {
  const backupPath = path.posix.join(backupFolder(outdir), file);
  const target = path.join(outdir, backupPath);
  const source = fs.readFileSync(path.join(outdir, file));
  if (fs.existsSync(target) && fs.readFileSync(target).equals(source)) {
    return { backupPath, created: false };
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, source);
  return { backupPath, created: true };
}

/** Checks whether a file exists and carries projen's "generated" marker. */
export function hasProjenMarker(file: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8').includes(PROJEN_MARKER);
  } catch {
    return false;
  }
}
