// Parses console_scripts entry point lines into ConsoleScript values.

import type { ConsoleScript, SourceReading } from './types';

/** Object reference of an entry point: `module.sub:attribute.sub`. */
const OBJECT_REFERENCE =
  /^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*(:[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*)?$/u;

/**
 * Parses `name = module:function [extra]` lines into console scripts.
 * Lines that do not have that form are returned in `invalid`.
 */
function parseEntryPointLines(lines: readonly string[]): {
  scripts: ConsoleScript[];
  invalid: string[];
} {
  const scripts: ConsoleScript[] = [];
  const invalid: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) {
      continue;
    }
    const match = /^([^=]+?)\s*=\s*(.+?)\s*(\[[^\]]*\])?$/.exec(line);
    const target = match?.[2].replace(/\s*:\s*/, ':');
    if (
      match === null ||
      target === undefined ||
      !OBJECT_REFERENCE.test(target)
    ) {
      invalid.push(line);
      continue;
    }
    scripts.push({ name: match[1], target });
  }
  return { scripts, invalid };
}

function invalidScriptsMessage(label: string, invalid: readonly string[]) {
  const quoted = invalid.map((line) => `'${line}'`).join(', ');
  return (
    `console_scripts: ${label} has entries that are not of the form ` +
    `name = module:function (${quoted})`
  );
}

export function applyEntryPointLines(
  reading: SourceReading,
  lines: readonly string[],
  label: string,
): void {
  const { scripts, invalid } = parseEntryPointLines(lines);
  reading.consoleScripts = scripts;
  if (invalid.length > 0) {
    reading.unresolved.push({
      field: 'consoleScriptEntries',
      message: invalidScriptsMessage(label, invalid),
    });
  }
}
