import * as fs from 'node:fs';
import * as path from 'node:path';
import { DependencyType, Project } from 'projen';

/** The name of this npm package, which generated repositories depend on. */
export const OWN_PACKAGE_NAME: string = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'),
).name;

/**
 * The npm packages that running `.projenrc.ts` needs. Each is resolved to
 * the installed version, and package-lock.json pins it.
 */
const SYNTH_DEPENDENCIES = ['projen', 'constructs', 'tsx'];

/**
 * Adds the dev dependencies that synthesis needs, plus the ones the user
 * listed. `projen new --from <tarball or folder>` passes a path, which is
 * turned into `name@file:path` using the entry npm wrote for it.
 */
export function addDevDependencies(
  project: Project,
  specs: readonly string[],
): void {
  const requested = specs.map((spec) => toNamedSpec(project.outdir, spec));
  const names = new Set(requested.map(packageNameOf));
  for (const name of [...SYNTH_DEPENDENCIES, OWN_PACKAGE_NAME]) {
    if (!names.has(name)) {
      requested.push(name);
    }
  }
  for (const spec of requested) {
    project.deps.addDependency(spec, DependencyType.BUILD);
  }
}

function looksLikePath(spec: string): boolean {
  return (
    spec.startsWith('.') ||
    spec.startsWith('/') ||
    spec.startsWith('file:') ||
    /\.(tgz|tar\.gz)$/.test(spec)
  );
}

function toNamedSpec(outdir: string, spec: string): string {
  if (!looksLikePath(spec)) {
    return spec;
  }
  const target = path.resolve(outdir, spec.replace(/^file:/, ''));
  const manifest = path.join(outdir, 'package.json');
  const existing: Record<string, string> = fs.existsSync(manifest)
    ? {
        ...JSON.parse(fs.readFileSync(manifest, 'utf8')).dependencies,
        ...JSON.parse(fs.readFileSync(manifest, 'utf8')).devDependencies,
      }
    : {};
  for (const [name, version] of Object.entries(existing)) {
    if (
      version.startsWith('file:') &&
      path.resolve(outdir, version.slice('file:'.length)) === target
    ) {
      return `${name}@${version}`;
    }
  }
  throw new Error(
    `devDeps: cannot tell which package "${spec}" is, because package.json has no "file:" entry for it. Install it first with "npm install --save-dev ${spec}".`,
  );
}

function packageNameOf(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at < 0 ? spec : spec.slice(0, at);
}
