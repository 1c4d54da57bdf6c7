import { runCommand } from './exec';

/** Identity for test commits, so no global git configuration is needed. */
const IDENTITY = ['-c', 'user.name=test', '-c', 'user.email=test@example.com'];

/**
 * Makes `dir` a git repository on branch main with everything committed.
 */
export async function initAndCommit(
  dir: string,
  message = 'Initial',
): Promise<void> {
  await runCommand('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  await commitAll(dir, message);
}

/** Commits every change in the work tree of `dir`. */
export async function commitAll(dir: string, message: string): Promise<void> {
  await runCommand('git', ['add', '-A'], { cwd: dir });
  await runCommand('git', [...IDENTITY, 'commit', '-q', '-m', message], {
    cwd: dir,
  });
}
