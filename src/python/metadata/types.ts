// Public package metadata types and error, and the SourceReading that each
// metadata file reader fills before the readings are merged.

/** Console script entry point that pip installs as a command. */
export interface ConsoleScript {
  /** Command name, e.g. `analyzer-api`. */
  readonly name: string;
  /** Object reference that the command calls, as `module.sub:function`. */
  readonly target: string;
}

/** Metadata file that provided most of a package's metadata. */
export type MetadataSource = 'pyproject.toml' | 'setup.cfg' | 'setup.py';

/** Package metadata merged from pyproject.toml, setup.cfg and setup.py. */
export interface PackageMetadata {
  /** Most preferred file that declares metadata: pyproject.toml, then setup.cfg, then setup.py. */
  readonly source: MetadataSource;
  /** Distribution name as written, e.g. `My-Service`. */
  readonly distributionName?: string;
  /** Top-level import package, e.g. `my_service`. */
  readonly moduleName?: string;
  /** Version, when a file states it as a literal. */
  readonly version?: string;
  /** File or tool that the version comes from, e.g. `analyzer/__init__.py` or `setuptools_scm`. */
  readonly versionSource?: string;
  readonly consoleScripts: readonly ConsoleScript[];
  /** `build-backend` of the pyproject.toml `[build-system]` table. */
  readonly buildBackend?: string;
  /** One sentence per field that could not be read without running Python. */
  readonly unresolved: readonly string[];
}

/** Error for a pyproject.toml or setup.cfg that is not valid TOML or INI. */
export class PackageMetadataError extends Error {
  constructor(
    message: string,
    /** Path of the invalid file. */
    readonly file: string,
    /** 1-based line of the error, when the parser reports one. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'PackageMetadataError';
  }
}

/**
 * Normalizes a distribution name as PEP 503 does: lowercase, with each run
 * of `-`, `_` and `.` replaced by one `-`.
 */
export function normalizeDistributionName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** Metadata field that an unresolved sentence is about. */
export type MetadataField =
  | 'name'
  | 'version'
  | 'consoleScripts'
  /** Entries of the console scripts that a file declares but that have no valid target. */
  | 'consoleScriptEntries'
  | 'packages'
  | 'dependencies'
  | 'optionalDependencies'
  | 'setup';

export interface UnresolvedField {
  readonly field: MetadataField;
  readonly message: string;
}

/** Fields that one metadata file provides. */
export interface SourceReading {
  readonly source: MetadataSource;
  /** Whether the file counts as a metadata source for readPackageMetadata. */
  readonly declaresMetadata: boolean;
  distributionName?: string;
  version?: string;
  versionSource?: string;
  consoleScripts?: ConsoleScript[];
  /** Top-level packages and modules that the file declares or finds. */
  packages?: string[];
  dependenciesDeclared?: boolean;
  buildBackend?: string;
  readonly unresolved: UnresolvedField[];
}

export function newReading(
  source: MetadataSource,
  declaresMetadata: boolean,
): SourceReading {
  return { source, declaresMetadata, unresolved: [] };
}
