// Parses PEP 508 requirements and checks their PEP 440 version specifiers
// and environment markers.

import { parsePipRequirementsLine } from 'pip-requirements-js';
import type { LogicalLine } from './logical-lines';
import type { Report } from './report';

interface VersionSpecifier {
  readonly operator: string;
  readonly version: string;
}

interface Pep508Requirement {
  readonly name: string;
  readonly specifiers: VersionSpecifier[];
  readonly url?: string;
}

const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/**
 * Parses a PEP 508 requirement without its marker, or returns a problem
 * message that mostly repeats what pip would complain about.
 */
export function parsePep508(
  text: string,
): Pep508Requirement | { problem: string } {
  const rejected = (complaint: string): { problem: string } => ({
    problem: `pip rejects the requirement: ${complaint}`,
  });
  const name = /^[\p{L}\p{N}._-]*/u.exec(text)?.[0] ?? '';
  if (name === '') {
    return rejected(
      `'${text}' does not start with a project name. Start the line with ` +
        "the name, as in 'requests>=2.31'.",
    );
  }
  if (!PROJECT_NAME.test(name)) {
    // packaging, and so pip, accepts a trailing '_' because its name pattern
    // ends at a word boundary, but no valid project name ends that way.
    if (PROJECT_NAME.test(name.replace(/_+$/, ''))) {
      return {
        problem:
          `'${name}' is not a valid project name, because names end with a ` +
          "letter or digit. Remove the trailing '_'.",
      };
    }
    return rejected(
      `'${name}' is not a valid project name. Names contain ASCII letters, ` +
        "digits, '.', '_' and '-', and start and end with a letter or digit.",
    );
  }

  let rest = text.slice(name.length).trimStart();
  let extras = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) {
      return rejected("the '[' that starts the extras is not closed. Add ']'.");
    }
    extras = rest.slice(0, close + 1);
    rest = rest.slice(close + 1).trimStart();
  }

  if (rest.startsWith('@')) {
    const url = rest.slice(1).trim();
    if (url === '') {
      return rejected("no URL follows '@'. Add the URL or remove the '@'.");
    }
    if (/\s/.test(url)) {
      return rejected(
        `the URL '${url}' contains whitespace. Percent-encode it as %20.`,
      );
    }
    const libraryProblem = findLibraryParseProblem(`${name}${extras} @ ${url}`);
    if (libraryProblem !== undefined) {
      return rejected(`'${url}' is not a valid URL (${libraryProblem}).`);
    }
    return { name, specifiers: [], url };
  }

  const libraryProblem = findLibraryParseProblem(`${name}${extras}`);
  if (libraryProblem !== undefined) {
    return rejected(
      `the extras '${extras}' are invalid (${libraryProblem}). Write them ` +
        "as comma-separated names, as in 'requests[security,socks]'.",
    );
  }
  const specifiers = parseSpecifiers(rest);
  if ('complaint' in specifiers) {
    return rejected(specifiers.complaint);
  }
  return { name, specifiers };
}

const EPOCH = '(?:[0-9]+!)?';
const PRE_RELEASE =
  '(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?';
const POST_RELEASE = '(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?';
const DEV_RELEASE = '(?:[-_.]?dev[-_.]?[0-9]*)?';
const LOCAL_LABEL = '(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?';

/** PEP 440 versions that each operator accepts: only '==' and '!=' take '.*' or a local label. */
const VERSION_BY_OPERATOR: Record<string, RegExp> = {
  '==': new RegExp(
    `v?${EPOCH}[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|${PRE_RELEASE}${POST_RELEASE}${DEV_RELEASE}${LOCAL_LABEL})`,
    'iy',
  ),
  '~=': new RegExp(
    `v?${EPOCH}[0-9]+(?:\\.[0-9]+)+${PRE_RELEASE}${POST_RELEASE}${DEV_RELEASE}`,
    'iy',
  ),
  ordered: new RegExp(
    `v?${EPOCH}[0-9]+(?:\\.[0-9]+)*${PRE_RELEASE}${POST_RELEASE}${DEV_RELEASE}`,
    'iy',
  ),
  // '===' compares strings, so it takes anything up to whitespace, ';' or ')'.
  '===': /[^\s;)]*/y,
};
VERSION_BY_OPERATOR['!='] = VERSION_BY_OPERATOR['=='];

const OPERATOR = /===|~=|==|!=|<=|>=|<|>/y;

/** Parses a comma-separated list of version specifiers, optionally in parentheses. */
function parseSpecifiers(
  text: string,
): VersionSpecifier[] | { complaint: string } {
  let list = text.trim();
  if (list.startsWith('(')) {
    if (!list.endsWith(')')) {
      return {
        complaint:
          "the '(' before the version specifiers is not closed. Add ')'.",
      };
    }
    list = list.slice(1, -1);
  }

  const specifiers: VersionSpecifier[] = [];
  let i = skipWhitespace(list, 0);
  while (i < list.length) {
    OPERATOR.lastIndex = i;
    const operator = OPERATOR.exec(list)?.[0];
    if (operator === undefined) {
      return {
        complaint: describeMissingOperator(
          list.slice(i),
          specifiers.length > 0,
        ),
      };
    }
    i = skipWhitespace(list, i + operator.length);

    const pattern =
      VERSION_BY_OPERATOR[operator] ?? VERSION_BY_OPERATOR.ordered;
    pattern.lastIndex = i;
    const version = pattern.exec(list)?.[0] ?? '';
    const end = i + version.length;
    const written = /^[^\s,)]*/.exec(list.slice(i))?.[0] ?? '';
    if (version === '' && operator !== '===') {
      return { complaint: describeInvalidVersion(operator, written) };
    }
    if (list.startsWith('.*', end)) {
      return {
        complaint:
          `'${operator}${written}' is invalid because only '==' and '!=' ` +
          "take a '.*' suffix.",
      };
    }
    if (list[end] === '+') {
      return {
        complaint:
          `'${operator}${written}' is invalid because only '==' and '!=' ` +
          'take a local version label (+...).',
      };
    }
    specifiers.push({ operator, version });

    const next = skipWhitespace(list, end);
    if (next >= list.length) {
      break;
    }
    if (list[next] === ',') {
      i = skipWhitespace(list, next + 1);
      continue;
    }
    if (list[next] === '[') {
      return { complaint: describeMissingOperator(list.slice(next), true) };
    }
    if (next === end) {
      return { complaint: describeInvalidVersion(operator, written) };
    }
    OPERATOR.lastIndex = next;
    if (OPERATOR.test(list)) {
      return {
        complaint:
          'version specifiers are separated by commas. Write them as ' +
          "'>=1.0,<2.0'.",
      };
    }
    return { complaint: describeMissingOperator(list.slice(next), true) };
  }
  return specifiers;
}

function describeMissingOperator(
  rest: string,
  afterSpecifier: boolean,
): string {
  if (rest.startsWith('=')) {
    return "'=' is not a version operator. Use '==' to pin a version.";
  }
  if (rest.startsWith('[') && afterSpecifier) {
    return (
      'extras go right after the project name, as in ' +
      "'requests[security]>=2.31'."
    );
  }
  return (
    `'${rest}' is not a version specifier. Use an operator and a version, ` +
    "such as '>=2.31' or '==2.31.0'."
  );
}

function describeInvalidVersion(operator: string, written: string): string {
  if (written === '') {
    return (
      `'${operator}' has no version after it. Add one, as in ` +
      `'${operator}1.0'.`
    );
  }
  if (operator === '~=' && /^v?[0-9]+$/i.test(written)) {
    return (
      `'~=${written}' needs at least two release numbers, as in ` +
      `'~=${written}.0'.`
    );
  }
  return (
    `'${written}' is not a valid PEP 440 version, and pip 24.1 and later ` +
    "reject such versions. Use a version such as '1.2.3', or '===' to " +
    'match the exact string.'
  );
}

function skipWhitespace(text: string, index: number): number {
  let i = index;
  while (i < text.length && /\s/.test(text[i])) {
    i++;
  }
  return i;
}

/**
 * Marker variable names that packaging accepts but pip-requirements-js
 * rejects, mapped to names it accepts. Most are legacy aliases, while 'extras'
 * and 'dependency_groups' are newer variables.
 */
const MARKER_ALIASES: Record<string, string> = {
  'os.name': 'os_name',
  'sys.platform': 'sys_platform',
  'platform.version': 'platform_version',
  'platform.machine': 'platform_machine',
  'platform.python_implementation': 'platform_python_implementation',
  python_implementation: 'platform_python_implementation',
  extras: 'extra',
  dependency_groups: 'extra',
};

export function checkMarker(
  line: LogicalLine,
  text: string,
  marker: string | undefined,
  report: Report,
): void {
  // pip ignores an empty marker after ';'.
  if (marker === undefined || marker.trim() === '') {
    return;
  }
  const normalized = replaceOutsideQuotes(
    marker,
    /[A-Za-z_][\w.]*/g,
    (word) => MARKER_ALIASES[word] ?? word,
  );
  const problem = findLibraryParseProblem(`x; ${normalized}`);
  if (problem !== undefined) {
    report.error(
      line.lineNumber,
      text,
      `pip rejects the environment marker '${marker.trim()}' (${problem}). ` +
        'Write it as in \'python_version < "3.11"\'.',
    );
  }
}

/** Replaces the matches of `pattern` that are not inside a quoted string. */
function replaceOutsideQuotes(
  text: string,
  pattern: RegExp,
  replace: (match: string) => string,
): string {
  return text
    .split(/("[^"]*"|'[^']*')/)
    .map((part, index) =>
      index % 2 === 1 ? part : part.replace(pattern, replace),
    )
    .join('');
}

/** Parses a line with pip-requirements-js and returns its complaint, if any. */
function findLibraryParseProblem(text: string): string | undefined {
  try {
    parsePipRequirementsLine(text);
    return undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // The message ends with what the parser expected, after a column number
    // that refers to the text built here rather than to the user's line.
    const expected = /expected .*$/m.exec(message);
    return expected ? expected[0] : message;
  }
}
