// Reads setup.cfg: the `[metadata]` and `[options]` sections, versions and
// package lists.

import * as path from 'path';
import { applyEntryPointLines } from './entry-points';
import { readTextFile, readVersionFiles, succeed } from './files';
import { IniDocument, parseIni, parseIniDict, parseIniList } from './ini';
import { applyVersionResult, readAttributeVersion } from './module-version';
import { findTopLevelPackages, topLevelNames } from './package-folders';
import type { SourceReading } from './types';
import { newReading } from './types';

export function readSetupCfg(dir: string): SourceReading | undefined {
  const file = path.join(dir, 'setup.cfg');
  const text = readTextFile(file);
  if (text === undefined) {
    return undefined;
  }
  const ini = parseIni(text, file);
  const relevant = ['metadata', 'options', 'options.entry_points'];
  if (!relevant.some((section) => ini.has(section))) {
    return undefined;
  }
  const reading = newReading('setup.cfg', ini.has('metadata'));
  reading.distributionName = ini.get('metadata', 'name');

  const packageDir = parseIniDict(ini.get('options', 'package_dir') ?? '');
  readSetupCfgVersion(dir, ini, packageDir, reading);
  readSetupCfgPackages(dir, ini, packageDir, reading);

  const consoleScripts = ini.get('options.entry_points', 'console_scripts');
  if (consoleScripts !== undefined) {
    applyEntryPointLines(
      reading,
      consoleScripts.split('\n'),
      'setup.cfg [options.entry_points]',
    );
  }
  reading.dependenciesDeclared =
    ini.get('options', 'install_requires') !== undefined;
  return reading;
}

function readSetupCfgVersion(
  dir: string,
  ini: IniDocument,
  packageDir: Record<string, string>,
  reading: SourceReading,
): void {
  const value = ini.get('metadata', 'version');
  if (value === undefined) {
    return;
  }
  const directive = /^(attr|file):\s*(.*)$/s.exec(value);
  if (directive === null) {
    reading.version = value;
    reading.versionSource = 'setup.cfg';
    return;
  }
  const [, kind, argument] = directive;
  if (kind === 'attr') {
    const result = readAttributeVersion(dir, argument.trim(), packageDir);
    applyVersionResult(
      reading,
      result,
      'setup.cfg',
      `attr: ${argument.trim()}`,
    );
    return;
  }
  const files = argument
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const result = readVersionFiles(dir, files);
  applyVersionResult(
    reading,
    result.ok ? succeed({ version: result.value, file: files[0] }) : result,
    'setup.cfg',
    `file: ${files.join(', ')}`,
  );
}

function readSetupCfgPackages(
  dir: string,
  ini: IniDocument,
  packageDir: Record<string, string>,
  reading: SourceReading,
): void {
  const packages = ini.get('options', 'packages');
  if (packages !== undefined) {
    const trimmed = packages.trim();
    if (trimmed === 'find:' || trimmed === 'find_namespace:') {
      const section = 'options.packages.find';
      const where = ini.get(section, 'where') ?? packageDir[''] ?? '.';
      reading.packages = findTopLevelPackages(
        dir,
        where.trim(),
        parseIniList(ini.get(section, 'include') ?? ''),
        parseIniList(ini.get(section, 'exclude') ?? ''),
      );
    } else {
      reading.packages = topLevelNames(parseIniList(trimmed));
    }
  }
  const modules = ini.get('options', 'py_modules');
  if (modules !== undefined && reading.packages === undefined) {
    reading.packages = parseIniList(modules);
  }
}
