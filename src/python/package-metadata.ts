// Reads a Python package's metadata from pyproject.toml, setup.cfg and
// setup.py without running Python. setup.py is tokenized and only its literal
// parts are read, so anything it computes is listed in `unresolved`.
import * as path from 'path';
import { isFile } from './metadata/files';
import { mergeReadings, moduleNamesOf } from './metadata/merge';
import { packageFolders } from './metadata/package-folders';
import { readPyproject } from './metadata/pyproject';
import { readSetupCfg } from './metadata/setup-cfg';
import { readSetupPy } from './metadata/setup-py';
import type { PackageMetadata, SourceReading } from './metadata/types';

export type {
  ConsoleScript,
  MetadataSource,
  PackageMetadata,
} from './metadata/types';
export {
  normalizeDistributionName,
  PackageMetadataError,
} from './metadata/types';

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
