// Merges the readings of pyproject.toml, setup.cfg and setup.py into one
// PackageMetadata and chooses the top-level module name.

import {
  IDENTIFIER,
  preferNonTestPackages,
  singlePackageFolder,
} from './package-folders';
import type {
  ConsoleScript,
  MetadataField,
  MetadataSource,
  PackageMetadata,
  SourceReading,
  UnresolvedField,
} from './types';
import { normalizeDistributionName } from './types';

export function mergeReadings(
  dir: string,
  source: MetadataSource,
  readings: readonly SourceReading[],
): PackageMetadata {
  const first = <T>(
    pick: (reading: SourceReading) => T | undefined,
  ): T | undefined => {
    for (const reading of readings) {
      const value = pick(reading);
      if (value !== undefined) {
        return value;
      }
    }
    return undefined;
  };

  const distributionName = first((reading) => reading.distributionName);
  const versionReading = readings.find(
    (reading) => reading.version !== undefined,
  );
  const version = versionReading?.version;
  const versionSource =
    versionReading?.versionSource ?? first((reading) => reading.versionSource);
  const scriptsReading = readings.find(
    (reading) => reading.consoleScripts !== undefined,
  );
  const consoleScripts = scriptsReading?.consoleScripts ?? [];
  const packages = first((reading) => reading.packages);
  const buildBackend = first((reading) => reading.buildBackend);

  const resolved = new Set<MetadataField>();
  if (distributionName !== undefined) resolved.add('name');
  if (version !== undefined) resolved.add('version');
  if (scriptsReading !== undefined) resolved.add('consoleScripts');
  if (packages !== undefined) resolved.add('packages');
  if (readings.some((reading) => reading.dependenciesDeclared)) {
    resolved.add('dependencies');
  }
  // Invalid script entries matter only in the file whose scripts are used.
  const isReported = (reading: SourceReading, entry: UnresolvedField) =>
    entry.field === 'consoleScriptEntries'
      ? reading === scriptsReading
      : !resolved.has(entry.field);
  const unresolved = readings.flatMap((reading) =>
    reading.unresolved
      .filter((entry) => isReported(reading, entry))
      .map((entry) => entry.message),
  );

  const moduleName = chooseModuleName(
    dir,
    consoleScripts,
    packages,
    distributionName,
  );

  return {
    source,
    ...(distributionName !== undefined && { distributionName }),
    ...(moduleName !== undefined && { moduleName }),
    ...(version !== undefined && { version }),
    ...(versionSource !== undefined && { versionSource }),
    consoleScripts,
    ...(buildBackend !== undefined && { buildBackend }),
    unresolved: [...new Set(unresolved)],
  };
}

/**
 * Chooses the top-level import package: the module of the first console
 * script, else the first declared package, else the only package folder at
 * the top level or under src/, else the distribution name with `-` as `_`.
 */
function chooseModuleName(
  dir: string,
  consoleScripts: readonly ConsoleScript[],
  packages: readonly string[] | undefined,
  distributionName: string | undefined,
): string | undefined {
  if (consoleScripts.length > 0) {
    return topLevelModule(consoleScripts[0].target);
  }
  const declared = preferNonTestPackages(packages ?? []);
  if (declared.length > 0) {
    return declared[0];
  }
  const folder = singlePackageFolder(dir);
  if (folder !== undefined) {
    return folder;
  }
  if (distributionName !== undefined) {
    const candidate = normalizeDistributionName(distributionName).replace(
      /-/g,
      '_',
    );
    return IDENTIFIER.test(candidate) ? candidate : undefined;
  }
  return undefined;
}

/** Lists the module names that a reading points to, best guess first. */
export function moduleNamesOf(reading: SourceReading): string[] {
  const names = (reading.consoleScripts ?? []).map((script) =>
    topLevelModule(script.target),
  );
  names.push(...preferNonTestPackages(reading.packages ?? []));
  return names;
}

function topLevelModule(target: string): string {
  return target.split(/[.:]/, 1)[0];
}
