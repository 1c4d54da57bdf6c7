import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'fs-extra';
import { logProgress } from './exec';

/** Options for {@link withFileLock}. */
export interface FileLockOptions {
  /** Time in milliseconds to wait for another holder. Defaults to 30 minutes. */
  timeoutMs?: number;
  /** Interval in milliseconds between attempts. Defaults to 1 second. */
  pollMs?: number;
}

/** Age after which a lock file without a readable owner counts as abandoned. */
const UNREADABLE_LOCK_MAX_AGE_MS = 60_000;

interface LockOwner {
  pid: number;
  hostname: string;
  token: string;
}

/**
 * Runs `action` while holding an exclusive lock file at `lockPath`.
 *
 * The file is created with O_EXCL and contains the holder's pid, so vitest
 * workers in separate processes, or separate vitest runs, wait for each other.
 * A lock file left behind by a dead process on this host is removed.
 * Throws when the lock is still held after `timeoutMs`.
 */
export async function withFileLock<T>(
  lockPath: string,
  action: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const owner = await acquireFileLock(lockPath, options);
  try {
    return await action();
  } finally {
    await releaseFileLock(lockPath, owner);
  }
}

async function acquireFileLock(
  lockPath: string,
  options: FileLockOptions,
): Promise<LockOwner> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    token: randomUUID(),
  };
  const deadline = Date.now() + timeoutMs;
  let reportedWait = false;
  await fs.ensureDir(path.dirname(lockPath));

  for (;;) {
    try {
      await fs.writeFile(lockPath, JSON.stringify(owner), { flag: 'wx' });
      return owner;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }

    const holder = await readLockOwner(lockPath);
    if (holder && isDeadProcessOnThisHost(holder)) {
      logProgress(
        'lock',
        `removing stale lock ${lockPath} of dead pid ${holder.pid}`,
      );
      await fs.remove(lockPath);
      continue;
    }
    if (!holder && (await isOlderThan(lockPath, UNREADABLE_LOCK_MAX_AGE_MS))) {
      // A writer that died between creating and writing the file leaves it empty.
      logProgress('lock', `removing unreadable lock ${lockPath}`);
      await fs.remove(lockPath);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for lock ${lockPath}, ` +
          `held by pid ${holder?.pid ?? 'unknown'}. ` +
          'Delete the file if no test run is using it.',
      );
    }
    if (!reportedWait) {
      logProgress(
        'lock',
        `waiting for ${lockPath}, held by pid ${holder?.pid ?? 'unknown'}`,
      );
      reportedWait = true;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function releaseFileLock(
  lockPath: string,
  owner: LockOwner,
): Promise<void> {
  const holder = await readLockOwner(lockPath);
  if (holder?.token === owner.token) {
    await fs.remove(lockPath);
  }
}

/** Returns the lock file's owner, or undefined when the file is gone or only partly written. */
async function readLockOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

async function isOlderThan(filePath: string, ageMs: number): Promise<boolean> {
  try {
    const stats = await fs.stat(filePath);
    return Date.now() - stats.mtimeMs > ageMs;
  } catch {
    return false;
  }
}

function isDeadProcessOnThisHost(holder: LockOwner): boolean {
  if (holder.hostname !== os.hostname()) {
    return false;
  }
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
