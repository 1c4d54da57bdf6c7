// INI parser that follows the rules Python's configparser applies to
// setup.cfg, with setup.cfg list and dict value parsers.

import { PackageMetadataError } from './types';

/** Sections of an INI file, parsed the way Python's configparser reads setup.cfg. */
export class IniDocument {
  constructor(
    readonly file: string,
    readonly sections: ReadonlyMap<string, ReadonlyMap<string, IniValue>>,
    readonly defaults: ReadonlyMap<string, IniValue>,
  ) {}

  has(section: string): boolean {
    return this.sections.has(section);
  }

  /**
   * Returns the value of a key, matching setuptools' key handling: case and
   * `-` versus `_` are ignored. `%(name)s` and `%%` are interpolated as
   * configparser's BasicInterpolation does.
   */
  get(section: string, key: string): string | undefined {
    const entry = this.find(section, key);
    return entry === undefined
      ? undefined
      : this.interpolate(section, entry, 0);
  }

  private find(section: string, key: string): IniValue | undefined {
    const values = this.sections.get(section);
    if (values === undefined) {
      return undefined;
    }
    const normalizedKey = normalizeIniKey(key);
    for (const candidates of [values, this.defaults]) {
      for (const [name, value] of candidates) {
        if (normalizeIniKey(name) === normalizedKey) {
          return value;
        }
      }
    }
    return undefined;
  }

  private interpolate(section: string, entry: IniValue, depth: number): string {
    return entry.text.replace(/%(%|\(([^)]*)\)s|)/g, (match, marker, name) => {
      if (marker === '%') {
        return '%';
      }
      const referenced =
        name === undefined ? undefined : this.find(section, name);
      let problem: string | undefined;
      if (name === undefined) {
        problem = `'%' starts no %(name)s reference. Write a literal % as %%`;
      } else if (referenced === undefined) {
        problem = `'${match}' refers to no key of [${section}] or [DEFAULT]`;
      } else if (depth >= MAXIMUM_INTERPOLATION_DEPTH) {
        problem = `'${match}' is nested more than ${MAXIMUM_INTERPOLATION_DEPTH} levels deep`;
      }
      if (problem !== undefined || referenced === undefined) {
        throw new PackageMetadataError(
          `Invalid interpolation in ${this.file} at line ${entry.line}: ${problem}.`,
          this.file,
          entry.line,
        );
      }
      return this.interpolate(section, referenced, depth + 1);
    });
  }
}

/** configparser's limit on nested %(name)s references (MAX_INTERPOLATION_DEPTH). */
const MAXIMUM_INTERPOLATION_DEPTH = 10;

interface IniValue {
  readonly text: string;
  readonly line: number;
}

function normalizeIniKey(key: string): string {
  return key.toLowerCase().replace(/-/g, '_');
}

/**
 * Parses INI text with the defaults of Python's configparser that setuptools
 * uses: `=` or `:` delimiters, `#` and `;` comment lines, values continued
 * on more-indented lines, and errors for duplicate sections and keys.
 */
export function parseIni(text: string, file: string): IniDocument {
  const sections = new Map<string, Map<string, IniValue>>();
  const defaults = new Map<string, IniValue>();
  const pending = new Map<
    Map<string, IniValue>,
    Map<string, { lines: string[]; line: number }>
  >();
  let current: Map<string, IniValue> | undefined;
  let currentName = '';
  let key: string | undefined;
  let indentLevel = 0;

  const invalid = (lineNumber: number, reason: string) =>
    new PackageMetadataError(
      `Invalid INI syntax in ${file} at line ${lineNumber}: ${reason}.`,
      file,
      lineNumber,
    );

  const lines = text.split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index];
    const stripped = line.trim();
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    if (stripped === '' || isComment) {
      // configparser keeps blank lines inside a multi-line value, but drops
      // comment lines entirely.
      if (!isComment && current !== undefined && key !== undefined) {
        pending.get(current)?.get(key)?.lines.push('');
      }
      continue;
    }

    const indent = line.length - line.trimStart().length;
    if (current !== undefined && key !== undefined && indent > indentLevel) {
      pending.get(current)?.get(key)?.lines.push(stripped);
      continue;
    }
    indentLevel = indent;

    const header = /^\[(.+)\]/.exec(stripped);
    if (header !== null) {
      currentName = header[1];
      if (currentName === 'DEFAULT') {
        current = defaults;
      } else if (sections.has(currentName)) {
        throw invalid(lineNumber, `section [${currentName}] appears twice`);
      } else {
        current = new Map();
        sections.set(currentName, current);
      }
      if (!pending.has(current)) {
        pending.set(current, new Map());
      }
      key = undefined;
      continue;
    }
    if (current === undefined) {
      throw invalid(lineNumber, 'a key appears before any [section] header');
    }

    const option = /^(.*?)\s*[=:]\s*(.*)$/.exec(stripped);
    if (option === null || option[1] === '') {
      throw invalid(
        lineNumber,
        `'${stripped}' is neither a [section] header, a key = value ` +
          'pair nor an indented continuation line',
      );
    }
    key = option[1];
    const values = pending.get(current)!;
    if (values.has(key)) {
      throw invalid(
        lineNumber,
        `key '${key}' appears twice in [${currentName}]`,
      );
    }
    values.set(key, { lines: [option[2]], line: lineNumber });
  }

  for (const [section, values] of pending) {
    for (const [name, value] of values) {
      section.set(name, {
        text: value.lines.join('\n').trimEnd(),
        line: value.line,
      });
    }
  }
  return new IniDocument(file, sections, defaults);
}

/** Splits a setup.cfg list: one item a line when multi-line, else comma-separated. */
export function parseIniList(value: string): string[] {
  const items = value.includes('\n') ? value.split('\n') : value.split(',');
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** Parses a setup.cfg dict such as package_dir's `= src` lines. */
export function parseIniDict(value: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of parseIniList(value)) {
    const separator = item.indexOf('=');
    if (separator !== -1) {
      result[item.slice(0, separator).trim()] = item
        .slice(separator + 1)
        .trim();
    }
  }
  return result;
}
