import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import {
  adoptRepositories,
  AdoptOptions,
  RepositoryOutcome,
} from '../../src/adopt/adopt-repositories';
import type { CliLogger } from '../../src/cli/logger';

/** The adoption fixtures: one folder per repository. */
export const ADOPT_FIXTURES = path.join(__dirname, '..', 'fixtures', 'adopt');

/** A CLI logger that keeps each line, for checks on the output. */
export interface RecordingLogger extends CliLogger {
  readonly lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`warning: ${message}`),
    error: (message) => lines.push(`error: ${message}`),
  };
}

/**
 * The analyzer package (setup.py with the version in `__init__.py`, two
 * console scripts) that fixtures without their own package metadata share.
 */
const ANALYZER_PACKAGE = path.join(
  __dirname,
  '..',
  'fixtures',
  'python-packages',
  'analyzer-setup-py',
);

/**
 * The file in a fixture that names another fixture to copy first; it is
 * not copied itself.
 */
const BASE_FILE = 'fixture-base';

/**
 * Copies a fixture repository into `parent` and returns the copy's path.
 * A fixture without pyproject.toml or setup.py gets the analyzer package
 * first, then the fixture that its `fixture-base` file names, and its own
 * files are copied over them.
 */
export function copyFixture(name: string, parent: string): string {
  const dir = path.join(parent, name);
  copyLayers(name, dir);
  return dir;
}

function copyLayers(name: string, dir: string): void {
  const source = path.join(ADOPT_FIXTURES, name);
  const baseFile = path.join(source, BASE_FILE);
  if (fs.existsSync(baseFile)) {
    copyLayers(fs.readFileSync(baseFile, 'utf8').trim(), dir);
  } else if (
    !['pyproject.toml', 'setup.py'].some((file) =>
      fs.existsSync(path.join(source, file)),
    )
  ) {
    fs.cpSync(ANALYZER_PACKAGE, dir, { recursive: true });
  }
  fs.cpSync(source, dir, {
    recursive: true,
    filter: (file) => path.basename(file) !== BASE_FILE,
  });
}

/** Runs `pyservice adopt` in-process without npm install, recording the output. */
export function adopt(
  cwd: string,
  options: Partial<Omit<AdoptOptions, 'cwd' | 'logger'>> = {},
): { outcomes: RepositoryOutcome[]; output: string[] } {
  const logger = recordingLogger();
  const outcomes = adoptRepositories({
    cwd,
    install: false,
    logger,
    ...options,
  });
  return { outcomes, output: logger.lines };
}

/**
 * Lists a Dockerfile's instructions as `KEYWORD arguments`, flags included,
 * with line continuations and runs of white space collapsed to one space.
 * The stage keyword is written `AS`, and the recipe's link loop and a
 * `ln -s... <venv>/bin/... /usr/local/bin/` line both become `LINK`, the two
 * differences docs/design.md lists.
 */
export function instructionSequence(dockerfile: string): string[] {
  const lines = dockerfile.split('\n');
  return DockerfileParser.parse(dockerfile)
    .getInstructions()
    .map((instruction) => {
      const range = instruction.getRange();
      const text = lines
        .slice(range.start.line, range.end.line + 1)
        .join('\n')
        .replace(/\\\r?\n/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      return text
        .replace(/^(\S+)/, (keyword) => keyword.toUpperCase())
        .replace(/^(FROM \S+) as /i, '$1 AS ')
        .replace(/^RUN for script in .*$/, 'LINK')
        .replace(/^RUN ln -s\S* .*\/bin\/\S+ \/usr\/local\/bin\/?$/, 'LINK')
        .replace(
          /^(CMD|ENTRYPOINT) (\[.*\])$/,
          (_m, keyword: string, json: string) =>
            `${keyword} ${JSON.stringify(JSON.parse(json))}`,
        );
    });
}

/** Maps each file below `dir` to its SHA-256, `.git/` left out. */
export function treeHashes(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const absolute = path.join(current, entry.name);
      const relative = path.relative(dir, absolute);
      if (relative === '.git') {
        continue;
      }
      if (entry.isDirectory()) {
        hashes[`${relative}/`] = 'folder';
        walk(absolute);
      } else {
        hashes[relative] = createHash('sha256')
          .update(fs.readFileSync(absolute))
          .digest('hex');
      }
    }
  };
  walk(dir);
  return hashes;
}

/** Returns the one backup folder of an adopted repository, relative to it. */
export function onlyBackupFolder(dir: string): string {
  const folders = fs.readdirSync(path.join(dir, '.pyservice', 'backups'));
  if (folders.length !== 1) {
    throw new Error(
      `Expected one backup folder in ${dir}, found ${folders.join(', ')}`,
    );
  }
  return path.join('.pyservice', 'backups', folders[0]);
}
