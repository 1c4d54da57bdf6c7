import * as fs from 'node:fs';
import * as path from 'node:path';

/** Characters that make an argument a glob pattern. */
const GLOB_CHARACTERS = /[*?[]/;

/**
 * Turns command-line arguments into repository folders. An argument may be
 * a repository (a folder with `.projenrc.ts`), a folder whose direct
 * subfolders are repositories, or a glob pattern with `*`, `?` and `[...]`
 * that the shell did not expand. No arguments means the current folder.
 *
 * Throws an error naming the argument when it matches nothing.
 */
export function findRepositories(args: readonly string[]): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (dir: string) => {
    const real = fs.realpathSync(dir);
    if (!seen.has(real)) {
      seen.add(real);
      found.push(dir);
    }
  };

  for (const arg of args.length > 0 ? args : ['.']) {
    const matches = GLOB_CHARACTERS.test(arg) ? expandGlob(arg) : [arg];
    if (matches.length === 0) {
      throw new Error(`No file or folder matches "${arg}".`);
    }
    let repositories = 0;
    for (const match of matches) {
      if (!fs.existsSync(match)) {
        throw new Error(`Folder not found: ${match}`);
      }
      for (const dir of repositoriesAt(match)) {
        add(dir);
        repositories++;
      }
    }
    if (repositories === 0) {
      throw new Error(
        `No repository found at "${arg}": neither it nor its subfolders contain .projenrc.ts.`,
      );
    }
  }
  return found;
}

export function isRepository(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.projenrc.ts'));
}

function repositoriesAt(target: string): string[] {
  if (isRepository(target)) {
    return [target];
  }
  if (!fs.statSync(target).isDirectory()) {
    return [];
  }
  return (
    fs
      .readdirSync(target, { withFileTypes: true })
      // Hidden folders are skipped, among them the copies that a running
      // check makes beside each repository.
      .filter((entry) => !entry.name.startsWith('.'))
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => path.join(target, entry.name))
      .filter((dir) => isRepository(dir))
      .sort()
  );
}

/**
 * Expands a glob pattern one path segment at a time. `*` does not match
 * `/` or a leading dot.
 *
 * NOTE: `**` matches one segment like `*`, not any depth.
 */
function expandGlob(pattern: string): string[] {
  const absolute = path.isAbsolute(pattern);
  const segments = pattern.split('/').filter((s) => s !== '');
  let current = [absolute ? '/' : '.'];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of current) {
      if (!GLOB_CHARACTERS.test(segment)) {
        next.push(path.join(base, segment));
        continue;
      }
      const regex = segmentRegex(segment);
      let entries: string[];
      try {
        entries = fs.readdirSync(base);
      } catch {
        continue;
      }
      for (const entry of entries.sort()) {
        if (regex.test(entry)) {
          next.push(path.join(base, entry));
        }
      }
    }
    current = next;
  }
  return current.filter((candidate) => fs.existsSync(candidate));
}

function segmentRegex(segment: string): RegExp {
  let source = segment.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < segment.length; i++) {
    const character = segment[i];
    if (character === '*') {
      source += '[^/]*';
    } else if (character === '?') {
      source += '[^/]';
    } else if (character === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      const body = segment.slice(i + 1, close).replace(/^!/, '^');
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else {
      source += character.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
