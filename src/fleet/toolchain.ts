import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

/** Packages every `.projenrc.ts` loads, whether it names them or not. */
const ALWAYS_LOADED = ['projen', 'constructs'];

/** An installed package that a repository's `.projenrc.ts` loads. */
export interface ResolvedPackage {
  readonly name: string;
  readonly version: string;
  /** The package folder with symbolic links resolved. */
  readonly dir: string;
}

/**
 * The packages a repository's synthesis loads, as its own `node_modules`
 * resolves them. Two repositories with the same key load the same files.
 */
export interface Toolchain {
  readonly packages: readonly ResolvedPackage[];
  readonly key: string;
}

/**
 * Resolves projen, constructs and every package that `.projenrc.ts` imports
 * by name, starting from the repository folder as Node would.
 *
 * Throws when `.projenrc.ts` is missing or a package is not installed.
 */
export function resolveToolchain(repoDir: string): Toolchain {
  const projenrc = path.join(repoDir, '.projenrc.ts');
  const source = fs.readFileSync(projenrc, 'utf8');
  const names = new Set([...ALWAYS_LOADED, ...importedPackages(source)]);
  const packages = [...names].sort().map((name) => {
    const dir = resolvePackageDir(name, repoDir);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
    ) as { version?: string };
    return { name, version: manifest.version ?? '', dir };
  });
  const key = packages.map((p) => `${p.name}@${p.version}=${p.dir}`).join('\n');
  return { packages, key };
}

/**
 * Lists the package names in `import ... from`, `import(...)` and
 * `require(...)` specifiers, leaving out relative paths and Node builtins.
 */
export function importedPackages(source: string): string[] {
  const pattern =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;
  const names = new Set<string>();
  for (const match of source.matchAll(pattern)) {
    const specifier = match[1];
    if (
      specifier.startsWith('.') ||
      specifier.startsWith('/') ||
      specifier.startsWith('node:') ||
      builtinModules.includes(specifier.split('/')[0])
    ) {
      continue;
    }
    const parts = specifier.split('/');
    names.add(
      specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0],
    );
  }
  return [...names];
}

function resolvePackageDir(name: string, fromDir: string): string {
  let entry: string;
  try {
    entry = require.resolve(`${name}/package.json`, { paths: [fromDir] });
  } catch {
    try {
      // A package whose "exports" hides package.json still resolves by name.
      entry = require.resolve(name, { paths: [fromDir] });
    } catch {
      throw new Error(
        `Cannot find package "${name}" from ${fromDir}. Run "npm install" in the repository.`,
      );
    }
  }
  return fs.realpathSync(findPackageRoot(path.dirname(entry), name));
}

function findPackageRoot(start: string, name: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
        name?: string;
      };
      if (parsed.name === name) {
        return dir;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return start;
    }
    dir = parent;
  }
}
