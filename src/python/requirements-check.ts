/**
 * Checks a user's requirements.txt before synthesis builds an image from it.
 *
 * The generated Dockerfile copies only requirements.txt into the image and
 * runs `pip install -r requirements.txt` before it copies the project source.
 * This module reports what would make that step fail or leak secrets.
 *
 * It reads the file the way pip's req_file module does (checked against pip
 * 23.2.1). Lines break where str.splitlines() breaks them, a final '\' joins
 * the next line, and '#' after whitespace starts a comment. The options start
 * at the first space-separated token that starts with '-', and shlex and
 * optparse split and parse them.
 *
 * Requirement syntax follows current pip, which has rejected versions and
 * specifiers outside PEP 440 since pip 24.1. The checks were compared with
 * packaging 26.2, the parser that pip vendors a release of.
 *
 * pip-requirements-js checks project names, extras, URLs and environment
 * markers. Version specifiers are checked here, because pip-requirements-js
 * 1.0.3 accepts versions outside PEP 440 and rejects '==='. Markers are split
 * off before it parses a line, because it rejects a marker after a URL.
 */
import { posix } from 'node:path';
import { TextDecoder } from 'node:util';
import { parsePipRequirementsLine } from 'pip-requirements-js';
import { Problem } from '../validation/problem';

/** Outcome of checking requirements.txt. */
export interface RequirementsCheck {
  readonly problems: Problem[];
  /** True when there is at least one requirement and every requirement line has a --hash. */
  readonly allHashed: boolean;
  /** Number of lines that pip reads as a requirement, editable ones included. */
  readonly requirementCount: number;
}

/** Checks the content of a requirements file and counts its requirements. */
export function checkRequirements(
  content: Buffer,
  file = 'requirements.txt',
): RequirementsCheck {
  const report = new Report(file);
  const text = decodeRequirementsFile(content, report);
  if (text === undefined) {
    return { problems: report.problems, allHashed: false, requirementCount: 0 };
  }

  const requirements: RequirementLine[] = [];
  let requireHashesLine: number | undefined;
  for (const line of toLogicalLines(text)) {
    const checked = checkLine(line, report);
    if (checked.requirement) {
      requirements.push(checked.requirement);
    }
    if (checked.requiresHashes && requireHashesLine === undefined) {
      requireHashesLine = line.lineNumber;
    }
  }

  checkHashCheckingMode(requirements, requireHashesLine, report);
  const allHashed =
    requirements.length > 0 && requirements.every((r) => r.hashed);
  return {
    problems: report.problems,
    allHashed,
    requirementCount: requirements.length,
  };
}

// ---------------------------------------------------------------------------
// Problems

/** Collects problems, masking credentials in URL userinfo so that reports do not show them. */
class Report {
  readonly problems: Problem[] = [];

  constructor(readonly file: string) {}

  error(lineNumber: number | undefined, value: string, message: string): void {
    this.add('error', lineNumber, value, message);
  }

  warning(
    lineNumber: number | undefined,
    value: string,
    message: string,
  ): void {
    this.add('warning', lineNumber, value, message);
  }

  private add(
    severity: Problem['severity'],
    lineNumber: number | undefined,
    value: string,
    message: string,
  ): void {
    const where =
      lineNumber === undefined ? this.file : `${this.file}:${lineNumber}`;
    this.problems.push({
      severity,
      where,
      value: maskCredentials(value),
      message,
    });
  }
}

// ---------------------------------------------------------------------------
// Decoding

const RESAVE_AS_UTF8 = 'Re-save it as UTF-8 without a byte-order mark';

/**
 * Decodes the file and reports an encoding other than UTF-8 without BOM.
 * Returns undefined when the content cannot be decoded well enough to check
 * its lines.
 */
function decodeRequirementsFile(
  content: Buffer,
  report: Report,
): string | undefined {
  const startsWith = (...bytes: number[]): boolean =>
    bytes.every((byte, i) => content[i] === byte);

  let body = content;
  if (startsWith(0xef, 0xbb, 0xbf)) {
    body = content.subarray(3);
    report.error(
      undefined,
      '\ufeff' + firstLine(body.toString('utf8')),
      'The file starts with a UTF-8 byte-order mark, which pip skips but ' +
        'tools that read it as plain UTF-8, such as setuptools, take as part ' +
        `of the first requirement. ${RESAVE_AS_UTF8}, for example with ` +
        `sed -i '1s/^\\xEF\\xBB\\xBF//' ${report.file}.`,
    );
  } else if (
    startsWith(0xff, 0xfe, 0x00, 0x00) ||
    startsWith(0x00, 0x00, 0xfe, 0xff)
  ) {
    report.error(
      undefined,
      rawFirstLine(content),
      'The file is UTF-32, which setuptools fails on because it reads the ' +
        'file as UTF-8. ' +
        `${RESAVE_AS_UTF8}, for example with iconv -f UTF-32 -t UTF-8.`,
    );
    return undefined;
  } else if (startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff)) {
    report.error(
      undefined,
      rawFirstLine(content),
      'The file is UTF-16. pip decodes it by its byte-order mark, but ' +
        'setuptools and other tools that expect UTF-8 fail on it, and git ' +
        `diffs it as binary. ${RESAVE_AS_UTF8}, for example with ` +
        'iconv -f UTF-16 -t UTF-8.',
    );
    return decodeUtf16(content.subarray(2), content[0] === 0xff);
  } else if (content.includes(0x00)) {
    const littleEndian = countNulBytes(content, 1) >= countNulBytes(content, 0);
    const encoding = littleEndian ? 'UTF-16LE' : 'UTF-16BE';
    report.error(
      undefined,
      rawFirstLine(content),
      `The file contains NUL bytes, so it is probably ${encoding} without a ` +
        'byte-order mark, and pip rejects its first requirement. ' +
        `${RESAVE_AS_UTF8}, for example with iconv -f ${encoding} -t UTF-8.`,
    );
    return decodeUtf16(content, littleEndian);
  }

  const declared = findCodingDeclaration(body);
  if (declared !== undefined && !/^utf[-_]?8$/i.test(declared)) {
    return decodeDeclaredEncoding(body, declared, report);
  }
  const invalidLine = findInvalidUtf8Line(body);
  if (invalidLine !== undefined) {
    report.error(
      invalidLine.lineNumber,
      invalidLine.text,
      'This line is not valid UTF-8, so pip fails to decode the file under a ' +
        'UTF-8 locale. Re-save the file as UTF-8, or declare its encoding in ' +
        "a first line such as '# -*- coding: latin1 -*-'.",
    );
  }
  return body.toString('utf8');
}

function decodeUtf16(bytes: Buffer, littleEndian: boolean): string {
  const evenLength = bytes.subarray(0, bytes.length - (bytes.length % 2));
  const copy = Buffer.from(evenLength);
  if (!littleEndian) {
    copy.swap16();
  }
  return copy.toString('utf16le');
}

function countNulBytes(content: Buffer, parity: 0 | 1): number {
  let count = 0;
  for (let i = parity; i < content.length; i += 2) {
    if (content[i] === 0) {
      count++;
    }
  }
  return count;
}

/**
 * Returns the encoding named by a PEP 263 comment in the first two lines,
 * which pip honours in requirements files.
 */
function findCodingDeclaration(content: Buffer): string | undefined {
  const lines = content.toString('latin1').split('\n').slice(0, 2);
  for (const line of lines) {
    const match = /coding[:=]\s*([-\w.]+)/.exec(line);
    if (line.startsWith('#') && match) {
      return match[1];
    }
  }
  return undefined;
}

function decodeDeclaredEncoding(
  content: Buffer,
  encoding: string,
  report: Report,
): string | undefined {
  // Python ignores case and treats '_' as '-' in encoding names. It also
  // accepts 'latin-1', which the WHATWG Encoding Standard does not define.
  const label = encoding.toLowerCase().replace(/_/g, '-');
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label === 'latin-1' ? 'latin1' : label, {
      fatal: true,
    });
  } catch {
    // NOTE: Python accepts encoding names that the WHATWG Encoding Standard
    // does not define, so pip may decode a file that this check skips.
    report.warning(
      undefined,
      `coding: ${encoding}`,
      `The file declares the encoding '${encoding}', which this check cannot ` +
        'decode, so it skipped the file. Re-save it as UTF-8 to have it checked.',
    );
    return undefined;
  }
  try {
    return decoder.decode(content);
  } catch {
    report.error(
      undefined,
      `coding: ${encoding}`,
      `The file declares the encoding '${encoding}' but is not valid in it, ` +
        'so pip fails to decode it. Re-save it as UTF-8 and remove the coding line.',
    );
    return undefined;
  }
}

function findInvalidUtf8Line(
  content: Buffer,
): { lineNumber: number; text: string } | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let lineNumber = 1;
  while (start <= content.length) {
    let end = content.indexOf(0x0a, start);
    if (end < 0) {
      end = content.length;
    }
    const line = content.subarray(start, end);
    try {
      decoder.decode(line);
    } catch {
      return { lineNumber, text: line.toString('utf8') };
    }
    start = end + 1;
    lineNumber++;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0].slice(0, 60);
}

/** Returns the first bytes as pip would see them without decoding, NUL bytes included. */
function rawFirstLine(content: Buffer): string {
  const end = content.indexOf(0x0a);
  const line = content.subarray(0, end < 0 ? content.length : end);
  return line.subarray(0, 60).toString('latin1');
}

// ---------------------------------------------------------------------------
// Logical lines

/** A line after pip's joining of continuations and removal of comments. */
interface LogicalLine {
  /** Number of the first physical line, as pip reports it. */
  readonly lineNumber: number;
  readonly text: string;
  /** Whether a physical line ends in '\' followed by whitespace, which pip does not join. */
  readonly spaceAfterBackslash: boolean;
}

/** The line breaks of Python's str.splitlines(), which pip uses. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const COMMENT_LINE = /^\s*#/;
const COMMENT = /(^|\s+)#.*$/;

/** Splits text into logical lines the way pip's join_lines and ignore_comments do. */
function toLogicalLines(text: string): LogicalLine[] {
  const physicalLines = text.split(LINE_BREAK);
  if (physicalLines[physicalLines.length - 1] === '') {
    physicalLines.pop();
  }

  const logicalLines: LogicalLine[] = [];
  const emit = (
    lineNumber: number,
    joined: string,
    spaceAfterBackslash: boolean,
  ): void => {
    const withoutComment = joined.replace(COMMENT, '').trim();
    if (withoutComment !== '') {
      logicalLines.push({
        lineNumber,
        text: withoutComment,
        spaceAfterBackslash,
      });
    }
  };

  let pending: string[] = [];
  let pendingLineNumber = 0;
  physicalLines.forEach((line, index) => {
    const lineNumber = index + 1;
    const isComment = COMMENT_LINE.test(line);
    if (line.endsWith('\\') && !isComment) {
      if (pending.length === 0) {
        pendingLineNumber = lineNumber;
      }
      pending.push(line.replace(/^\\+|\\+$/g, ''));
      return;
    }
    // A comment line ends a continuation, and pip prefixes it with a space so
    // that the comment is removed from the joined line.
    const part = isComment ? ' ' + line : line;
    const spaceAfterBackslash = !isComment && /\\[ \t]+$/.test(line);
    if (pending.length > 0) {
      pending.push(part);
      emit(pendingLineNumber, pending.join(''), spaceAfterBackslash);
      pending = [];
    } else {
      emit(lineNumber, part, spaceAfterBackslash);
    }
  });
  if (pending.length > 0) {
    emit(pendingLineNumber, pending.join(''), false);
  }
  return logicalLines;
}

// ---------------------------------------------------------------------------
// Options

type OptionScope = 'file' | 'requirement';

interface OptionSpec {
  /** Canonical long name, such as '--index-url'. */
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly short?: string;
  readonly takesValue: boolean;
  /** 'file' options apply to the whole file, 'requirement' options to the requirement on their line. */
  readonly scope: OptionScope;
}

/**
 * The options that pip 23.2.1 accepts in a requirements file. Later releases
 * may differ: pip 25.3 removed --global-option.
 */
const OPTION_SPECS: readonly OptionSpec[] = [
  {
    name: '--index-url',
    aliases: ['--pypi-url'],
    short: '-i',
    takesValue: true,
    scope: 'file',
  },
  { name: '--extra-index-url', takesValue: true, scope: 'file' },
  { name: '--no-index', takesValue: false, scope: 'file' },
  { name: '--constraint', short: '-c', takesValue: true, scope: 'file' },
  { name: '--requirement', short: '-r', takesValue: true, scope: 'file' },
  { name: '--editable', short: '-e', takesValue: true, scope: 'file' },
  { name: '--find-links', short: '-f', takesValue: true, scope: 'file' },
  { name: '--no-binary', takesValue: true, scope: 'file' },
  { name: '--only-binary', takesValue: true, scope: 'file' },
  { name: '--prefer-binary', takesValue: false, scope: 'file' },
  { name: '--require-hashes', takesValue: false, scope: 'file' },
  { name: '--pre', takesValue: false, scope: 'file' },
  { name: '--trusted-host', takesValue: true, scope: 'file' },
  { name: '--use-feature', takesValue: true, scope: 'file' },
  { name: '--global-option', takesValue: true, scope: 'requirement' },
  { name: '--hash', takesValue: true, scope: 'requirement' },
  {
    name: '--config-settings',
    short: '-C',
    takesValue: true,
    scope: 'requirement',
  },
];

const ACCEPTED_OPTIONS =
  'A requirements file accepts -i/--index-url, --extra-index-url, ' +
  '--no-index, -f/--find-links, -r/--requirement, -c/--constraint, ' +
  '-e/--editable, --pre, --prefer-binary, --only-binary, --no-binary, ' +
  '--require-hashes, --trusted-host and --use-feature, and after a ' +
  'requirement --hash, -C/--config-settings and --global-option.';

interface ParsedOption {
  readonly spec: OptionSpec;
  /** The option as written, such as '-r' or '--req'. */
  readonly written: string;
  readonly value?: string;
  /** The option and its value as written, after shlex removed quotes. */
  readonly text: string;
}

/** An optparse error message and what to do about it. */
interface OptionError {
  readonly error: string;
  readonly fix: string;
}

interface ParsedOptions {
  readonly options: ParsedOption[];
  /** Arguments that are not options, which pip drops without a message. */
  readonly positionals: string[];
}

/**
 * Splits a line into the requirement and the options as pip's
 * break_args_options does: the options start at the first space-separated
 * token that starts with '-'.
 */
function splitArgumentsAndOptions(line: string): {
  args: string;
  options: string;
} {
  const tokens = line.split(' ');
  const optionStart = tokens.findIndex((token) => token.startsWith('-'));
  if (optionStart < 0) {
    return { args: line, options: '' };
  }
  return {
    args: tokens.slice(0, optionStart).join(' '),
    options: tokens.slice(optionStart).join(' '),
  };
}

/** Splits options as Python's shlex.split does, or returns the reason it fails. */
function shellSplit(text: string): string[] | { error: string } {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (quote === "'") {
      if (character === "'") {
        quote = '';
      } else {
        token += character;
      }
    } else if (quote === '"') {
      const next = text[i + 1];
      if (character === '"') {
        quote = '';
      } else if (character === '\\' && (next === '"' || next === '\\')) {
        token += next;
        i++;
      } else {
        token += character;
      }
    } else if (' \t\r\n'.includes(character)) {
      if (inToken) {
        tokens.push(token);
      }
      token = '';
      inToken = false;
    } else if (character === "'" || character === '"') {
      quote = character;
      inToken = true;
    } else if (character === '\\') {
      if (i + 1 >= text.length) {
        return { error: "nothing follows the last '\\'" };
      }
      token += text[++i];
      inToken = true;
    } else {
      token += character;
      inToken = true;
    }
  }
  if (quote !== '') {
    return { error: `the ${quote} quote is not closed` };
  }
  if (inToken) {
    tokens.push(token);
  }
  return tokens;
}

/** Parses option tokens as optparse does for pip, or returns optparse's error. */
function parseOptions(tokens: readonly string[]): ParsedOptions | OptionError {
  const options: ParsedOption[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '--') {
      positionals.push(...tokens.slice(i + 1));
      break;
    }
    if (token.startsWith('--')) {
      const equals = token.indexOf('=');
      const written = equals < 0 ? token : token.slice(0, equals);
      const spec = resolveLongOption(written);
      if ('error' in spec) {
        return spec;
      }
      if (!spec.takesValue) {
        if (equals >= 0) {
          return {
            error: `${spec.name} option does not take a value`,
            fix: `Write ${written} without '${token.slice(equals)}'.`,
          };
        }
        options.push({ spec, written, text: token });
      } else if (equals >= 0) {
        const value = token.slice(equals + 1);
        options.push({ spec, written, value, text: token });
      } else if (i + 1 < tokens.length) {
        const value = tokens[++i];
        options.push({ spec, written, value, text: `${token} ${value}` });
      } else {
        return missingValue(spec.name);
      }
    } else if (token.startsWith('-') && token !== '-') {
      const written = token.slice(0, 2);
      const spec = OPTION_SPECS.find((s) => s.short === written);
      if (spec === undefined) {
        return { error: `no such option: ${written}`, fix: ACCEPTED_OPTIONS };
      }
      // Every short option that pip accepts here takes a value, which is
      // either the rest of the token ('-rdev.txt') or the next token.
      if (token.length > 2) {
        options.push({ spec, written, value: token.slice(2), text: token });
      } else if (i + 1 < tokens.length) {
        const value = tokens[++i];
        options.push({ spec, written, value, text: `${token} ${value}` });
      } else {
        return missingValue(written);
      }
    } else {
      positionals.push(token);
    }
  }
  return { options, positionals };
}

function missingValue(option: string): OptionError {
  return {
    error: `${option} option requires 1 argument`,
    fix: `Write the value after ${option}.`,
  };
}

/** Resolves a long option or a unique abbreviation of one, as optparse does. */
function resolveLongOption(written: string): OptionSpec | OptionError {
  const names = OPTION_SPECS.flatMap((spec) =>
    [spec.name, ...(spec.aliases ?? [])].map((name) => ({ name, spec })),
  );
  const exact = names.find((n) => n.name === written);
  if (exact) {
    return exact.spec;
  }
  const matches = names.filter((n) => n.name.startsWith(written));
  if (matches.length === 1) {
    return matches[0].spec;
  }
  if (matches.length === 0) {
    return { error: `no such option: ${written}`, fix: ACCEPTED_OPTIONS };
  }
  const candidates = matches.map((m) => m.name).join(', ');
  return {
    error: `ambiguous option: ${written} (${candidates}?)`,
    fix: 'Write the option in full.',
  };
}

// ---------------------------------------------------------------------------
// Lines

type RequirementKind =
  'name' | 'url' | 'vcs' | 'local-file' | 'local-directory' | 'editable';

/** A line that pip reads as a requirement. */
interface RequirementLine {
  readonly lineNumber: number;
  /** The requirement as written, without its options. */
  readonly text: string;
  readonly kind: RequirementKind;
  /** Project name, when the line names one. */
  readonly name?: string;
  readonly hashed: boolean;
  /**
   * Whether a single '==' or '===' specifier pins the version, as pip's
   * hash-checking mode requires. Undefined unless the line is a project name
   * requirement that this check could parse.
   */
  readonly pinned?: boolean;
}

interface LineOutcome {
  readonly requirement?: RequirementLine;
  readonly requiresHashes?: boolean;
}

function checkLine(line: LogicalLine, report: Report): LineOutcome {
  if (line.spaceAfterBackslash) {
    report.error(
      line.lineNumber,
      line.text,
      "The line ends with '\\' followed by whitespace, and pip joins the " +
        "next line only when '\\' is the last character. Remove the " +
        'whitespace after the backslash.',
    );
    return {};
  }
  const { args, options: optionText } = splitArgumentsAndOptions(line.text);
  checkEnvironmentVariables(line, report);

  const tokens = shellSplit(optionText);
  if ('error' in tokens) {
    report.error(
      line.lineNumber,
      optionText,
      `pip cannot split the options because ${tokens.error}. Close the quote or ` +
        "escape the character with '\\'.",
    );
    return {};
  }
  const parsed = parseOptions(tokens);
  if ('error' in parsed) {
    report.error(
      line.lineNumber,
      line.text,
      `pip rejects the line with "${parsed.error}". ${parsed.fix}`,
    );
    return {};
  }
  for (const positional of parsed.positionals) {
    report.error(
      line.lineNumber,
      positional,
      `pip ignores '${positional}' because it follows an option on the same ` +
        'line. Put each requirement and option on a line of its own.',
    );
  }

  const editables = parsed.options.filter((o) => o.spec.name === '--editable');
  if (args !== '') {
    reportIgnoredOptions(
      line,
      parsed.options,
      'file',
      'on a requirement line',
      report,
    );
    return checkRequirementLine(line, args, parsed.options, report);
  }
  if (editables.length > 0) {
    reportIgnoredOptions(
      line,
      parsed.options.filter((o) => o !== editables[0]),
      undefined,
      'on an editable requirement line',
      report,
    );
    return {
      requirement: checkEditable(line, editables[0].value ?? '', report),
    };
  }
  const fileReferences = parsed.options.filter(
    (o) => o.spec.name === '--requirement' || o.spec.name === '--constraint',
  );
  if (fileReferences.length > 0) {
    // pip reads the -r file if there is one, else the -c file, and drops the
    // rest of the line.
    const used =
      fileReferences.find((o) => o.spec.name === '--requirement') ??
      fileReferences[0];
    reportIgnoredOptions(
      line,
      parsed.options.filter((o) => o !== used),
      undefined,
      `on a line with ${used.written}`,
      report,
    );
    checkFileReference(line, used, report);
    return {};
  }
  return checkOptionLine(line, parsed.options, report);
}

/** Warns about options that pip parses but ignores where they are. */
function reportIgnoredOptions(
  line: LogicalLine,
  options: readonly ParsedOption[],
  scope: OptionScope | undefined,
  place: string,
  report: Report,
): void {
  for (const option of options) {
    if (scope !== undefined && option.spec.scope !== scope) {
      continue;
    }
    const fix =
      option.spec.scope === 'file'
        ? 'Put it on a line of its own.'
        : 'Remove it.';
    report.warning(
      line.lineNumber,
      option.text,
      `pip ignores ${option.written} ${place}. ${fix}`,
    );
  }
}

function checkRequirementLine(
  line: LogicalLine,
  args: string,
  options: readonly ParsedOption[],
  report: Report,
): LineOutcome {
  let hashed = false;
  for (const option of options) {
    if (option.spec.name === '--hash') {
      hashed = checkHashOption(line, option, report) || hashed;
    } else if (option.spec.name === '--config-settings') {
      if (!(option.value ?? '').includes('=')) {
        report.error(
          line.lineNumber,
          option.text,
          `pip rejects ${option.written} '${option.value}' because settings ` +
            'are written as KEY=VALUE.',
        );
      }
    } else if (option.spec.name === '--global-option') {
      report.warning(
        line.lineNumber,
        option.text,
        'pip deprecated --global-option in 23.1 and removed it in 25.3. ' +
          'Pass build settings with -C/--config-settings instead.',
      );
    }
  }
  const classified = containsEnvironmentVariable(args)
    ? // pip replaces the references before it parses the requirement, so
      // the real requirement is unknown here.
      { kind: 'name' as const }
    : classifyRequirement(line, args.trim(), report);
  return {
    requirement: {
      ...classified,
      lineNumber: line.lineNumber,
      text: args.trim(),
      hashed,
    },
  };
}

/** Returns whether the --hash option is one pip accepts and that can match. */
function checkHashOption(
  line: LogicalLine,
  option: ParsedOption,
  report: Report,
): boolean {
  const value = option.value ?? '';
  const colon = value.indexOf(':');
  if (colon < 0) {
    report.error(
      line.lineNumber,
      option.text,
      'pip rejects the hash because it has no algorithm. Write it as ' +
        '--hash=sha256:<64 hex digits>.',
    );
    return false;
  }
  const algorithm = value.slice(0, colon);
  const digest = value.slice(colon + 1);
  const hexLength: Record<string, number> = {
    sha256: 64,
    sha384: 96,
    sha512: 128,
  };
  const expectedLength = hexLength[algorithm];
  if (expectedLength === undefined) {
    report.error(
      line.lineNumber,
      option.text,
      `pip accepts only sha256, sha384 and sha512 hashes, not '${algorithm}'. ` +
        'Regenerate the hashes, for example with pip-compile --generate-hashes.',
    );
    return false;
  }
  if (!new RegExp(`^[0-9a-f]{${expectedLength}}$`).test(digest)) {
    report.error(
      line.lineNumber,
      option.text,
      `A ${algorithm} hash is ${expectedLength} lowercase hex digits, so pip ` +
        'can never match this one. Copy the hash again or regenerate it.',
    );
    return false;
  }
  return true;
}

function checkEditable(
  line: LogicalLine,
  value: string,
  report: Report,
): RequirementLine {
  const base = {
    lineNumber: line.lineNumber,
    text: `-e ${value}`,
    kind: 'editable' as const,
    hashed: false,
  };
  const target = stripExtras(value).path;
  if (isSelfReference(value)) {
    reportSelfReference(line, `-e ${value}`, report);
    return base;
  }
  const named =
    /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*@\s*(\S+)$/.exec(value);
  if (named) {
    checkUrlCredentials(line, named[2], report);
    return { ...base, name: named[1] };
  }
  const scheme = urlScheme(target);
  const vcsPrefix = /^(git|hg|svn|bzr):/i.test(target);
  if (scheme !== undefined && (VCS_SCHEMES.includes(scheme) || vcsPrefix)) {
    checkUrlCredentials(line, target, report);
    const egg = /#(?:.*&)?egg=([^&]+)/.exec(target);
    if (!egg) {
      report.error(
        line.lineNumber,
        `-e ${value}`,
        'pip cannot tell the project name of this editable requirement. Add ' +
          "'#egg=NAME' to the URL.",
      );
    }
    return { ...base, name: egg?.[1] };
  }
  if (scheme !== undefined && scheme !== 'file') {
    report.error(
      line.lineNumber,
      `-e ${value}`,
      'pip rejects this editable requirement: it must be a local project ' +
        'directory or a version control URL such as ' +
        'git+https://host/repo.git#egg=NAME.',
    );
    return base;
  }
  reportLocalPath(line, value, report);
  return base;
}

function checkFileReference(
  line: LogicalLine,
  option: ParsedOption,
  report: Report,
): void {
  const path = option.value ?? '';
  if (isUrl(path)) {
    checkUrlCredentials(line, path, report);
    return;
  }
  report.warning(
    line.lineNumber,
    option.text,
    `pip also reads '${path}', but only ${report.file} is copied into the ` +
      'image before the dependencies are installed. Copy that file in as ' +
      `well, or move its lines into ${report.file}.`,
  );
}

/** Checks a line of options that apply to the whole file. */
function checkOptionLine(
  line: LogicalLine,
  options: readonly ParsedOption[],
  report: Report,
): LineOutcome {
  let requiresHashes = false;
  for (const option of options) {
    const value = option.value ?? '';
    switch (option.spec.name) {
      case '--index-url':
      case '--extra-index-url':
        if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
          report.error(
            line.lineNumber,
            option.text,
            `'${value}' is not a URL, so pip cannot use it as an index. Write ` +
              "the full URL, such as 'https://pypi.example.com/simple'.",
          );
        } else {
          checkUrlCredentials(line, value, report);
        }
        break;
      case '--find-links':
        if (isUrl(value)) {
          checkUrlCredentials(line, value, report);
        } else {
          report.warning(
            line.lineNumber,
            option.text,
            `pip looks for packages in '${value}', but only ${report.file} is ` +
              'copied into the image before the dependencies are installed. ' +
              'Copy that directory in as well, or use an index URL.',
          );
        }
        break;
      case '--no-binary':
      case '--only-binary':
        if (value.startsWith('-')) {
          report.error(
            line.lineNumber,
            option.text,
            `pip rejects ${option.written} without a value. Give it ':all:', ` +
              "':none:' or comma-separated project names.",
          );
        }
        break;
      case '--require-hashes':
        requiresHashes = true;
        break;
      case '--hash':
      case '--config-settings':
      case '--global-option':
        report.warning(
          line.lineNumber,
          option.text,
          `pip ignores ${option.written} on a line without a requirement. ` +
            "Put it after the requirement it belongs to, on that requirement's line.",
        );
        break;
      default:
        // --no-index, --pre, --prefer-binary, --trusted-host and --use-feature
        // need no check. NOTE: pip rejects --use-feature values it does not
        // know, and the known values differ between pip releases.
        break;
    }
  }
  return { requiresHashes };
}

// ---------------------------------------------------------------------------
// Requirements

/** Schemes that make pip treat a requirement as a URL (pip's is_url). */
const VCS_SCHEMES: readonly string[] = [
  ...['bzr+http', 'bzr+https', 'bzr+ssh', 'bzr+sftp', 'bzr+ftp', 'bzr+lp'],
  ...['bzr+file', 'git+http', 'git+https', 'git+ssh', 'git+git', 'git+file'],
  ...['hg+file', 'hg+http', 'hg+https', 'hg+ssh', 'hg+static-http'],
  ...['svn+ssh', 'svn+http', 'svn+https', 'svn+svn', 'svn+file'],
];
const URL_SCHEMES: readonly string[] = [
  ...['http', 'https', 'file', 'ftp'],
  ...VCS_SCHEMES,
];

/** File name endings that pip treats as a package archive (pip's is_archive_file). */
const ARCHIVE_ENDINGS: readonly string[] = [
  ...['.zip', '.whl', '.tar.bz2', '.tbz', '.tar.gz', '.tgz', '.tar'],
  ...['.tar.xz', '.txz', '.tlz', '.tar.lz', '.tar.lzma'],
];

/**
 * Classifies a requirement as pip's parse_req_from_line does, and checks it.
 * In the image, no local path exists yet when the dependencies are installed.
 */
function classifyRequirement(
  line: LogicalLine,
  text: string,
  report: Report,
): Pick<RequirementLine, 'kind' | 'name' | 'pinned'> {
  const scheme = urlScheme(text);
  if (scheme !== undefined && URL_SCHEMES.includes(scheme)) {
    return classifyUrlRequirement(line, text, scheme, report);
  }

  // pip splits the marker off at the first ';' unless the line starts with a URL.
  const semicolon = text.indexOf(';');
  const target = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
  const marker = semicolon < 0 ? undefined : text.slice(semicolon + 1);
  const at = target.indexOf('@');
  const isPep508Url = at >= 0 && !looksLikePath(target.slice(0, at));
  if (
    !isPep508Url &&
    (looksLikePath(target) || isArchive(stripExtras(target).path))
  ) {
    if (isSelfReference(target)) {
      reportSelfReference(line, text, report);
    } else {
      reportLocalPath(line, target, report);
    }
    checkMarker(line, text, marker, report);
    return {
      kind: isArchive(stripExtras(target).path)
        ? 'local-file'
        : 'local-directory',
    };
  }

  const parsed = parsePep508(target);
  if ('problem' in parsed) {
    report.error(line.lineNumber, text, parsed.problem);
    return { kind: 'name' };
  }
  checkMarker(line, text, marker, report);
  if (parsed.url !== undefined) {
    const urlSchemeName = urlScheme(parsed.url);
    if (isSelfReference(parsed.url)) {
      reportSelfReference(line, text, report);
    } else if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(parsed.url)) {
      report.error(
        line.lineNumber,
        text,
        `pip rejects the requirement because '${parsed.url}' is not an ` +
          "absolute URL. Write it as 'https://...' or 'file:///...'.",
      );
    } else if (urlSchemeName === 'file') {
      reportLocalPath(line, parsed.url, report);
      const kind = isArchive(parsed.url) ? 'local-file' : 'local-directory';
      return { kind, name: parsed.name };
    } else {
      checkUrlCredentials(line, parsed.url, report);
    }
    const urlKind = VCS_SCHEMES.includes(urlSchemeName ?? '') ? 'vcs' : 'url';
    return { kind: urlKind, name: parsed.name };
  }
  const pinned =
    parsed.specifiers.length === 1 &&
    (parsed.specifiers[0].operator === '==' ||
      parsed.specifiers[0].operator === '===');
  return { kind: 'name', name: parsed.name, pinned };
}

function classifyUrlRequirement(
  line: LogicalLine,
  text: string,
  scheme: string,
  report: Report,
): Pick<RequirementLine, 'kind' | 'name' | 'pinned'> {
  // For a line that starts with a URL, pip splits the marker off only at '; '.
  const separator = text.indexOf('; ');
  const url = separator < 0 ? text : text.slice(0, separator).trim();
  const marker = separator < 0 ? undefined : text.slice(separator + 2);
  if (separator < 0 && text.includes(';')) {
    report.warning(
      line.lineNumber,
      text,
      "pip separates an environment marker from a URL only at '; ' with a " +
        "space, so it reads the whole line as the URL. Put a space after ';'.",
    );
  }
  checkMarker(line, text, marker, report);
  const name = /#(?:.*&)?egg=([^&]+)/.exec(url)?.[1];
  if (scheme === 'file') {
    const path = url.replace(/^file:(\/\/[^/]*)?/i, '');
    if (isSelfReference(url)) {
      reportSelfReference(line, text, report);
    } else {
      reportLocalPath(line, url, report);
    }
    return {
      kind: isArchive(path) ? 'local-file' : 'local-directory',
      name,
    };
  }
  checkUrlCredentials(line, url, report);
  return {
    kind: VCS_SCHEMES.includes(scheme) ? 'vcs' : 'url',
    name,
  };
}

function reportSelfReference(
  line: LogicalLine,
  value: string,
  report: Report,
): void {
  report.error(
    line.lineNumber,
    value,
    'The image installs the dependencies before it copies the project ' +
      `source, so pip cannot install '${value}' there. Remove the line: the ` +
      'project itself is installed from its sdist.',
  );
}

function reportLocalPath(
  line: LogicalLine,
  path: string,
  report: Report,
): void {
  report.warning(
    line.lineNumber,
    path,
    `pip installs '${path}' from the image's file system, but only ` +
      `${report.file} is copied in before the dependencies are installed. ` +
      'Copy that path into the image as well, or publish the package to an index.',
  );
}

/** Returns whether a path or file: URL names the directory that contains the requirements file. */
function isSelfReference(target: string): boolean {
  let path = stripExtras(target.trim()).path.replace(/#.*$/, '');
  if (/^file:/i.test(path) && !/^file:\/\//i.test(path)) {
    path = path.slice('file:'.length);
  }
  if (path === '') {
    return false;
  }
  const normalized = posix.normalize(path);
  return normalized === '.' || normalized === './';
}

/** Splits '[extras]' off the end of a path, as pip's _strip_extras does. */
function stripExtras(text: string): { path: string; extras?: string } {
  const match = /^(.+)(\[[^\]]+\])$/.exec(text);
  return match ? { path: match[1], extras: match[2] } : { path: text };
}

function looksLikePath(text: string): boolean {
  return text.includes('/') || text.startsWith('.');
}

function isArchive(path: string): boolean {
  const lower = path.toLowerCase();
  return ARCHIVE_ENDINGS.some((ending) => lower.endsWith(ending));
}

/** Returns the lowercased text before the first ':', as pip's get_url_scheme does. */
function urlScheme(text: string): string | undefined {
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : text.slice(0, colon).toLowerCase();
}

function isUrl(text: string): boolean {
  const scheme = urlScheme(text);
  return scheme !== undefined && URL_SCHEMES.includes(scheme);
}

// ---------------------------------------------------------------------------
// PEP 508 and PEP 440

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
function parsePep508(text: string): Pep508Requirement | { problem: string } {
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

function checkMarker(
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

// ---------------------------------------------------------------------------
// Credentials and environment variables

const ENVIRONMENT_VARIABLE = /\$\{[A-Z0-9_]+\}/g;
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#\s]*)@/g;

/**
 * Returns whether userinfo in a URL contains a secret: a password, or a user
 * name in an http(s) URL, where tokens are often passed as the user name.
 * References to environment variables are not secrets.
 */
function isSecretUserinfo(scheme: string, userinfo: string): boolean {
  const literal = userinfo.replace(ENVIRONMENT_VARIABLE, '');
  if (literal.replace(/:/g, '') === '') {
    return false;
  }
  const colon = userinfo.indexOf(':');
  if (
    colon >= 0 &&
    userinfo.slice(colon + 1).replace(ENVIRONMENT_VARIABLE, '') !== ''
  ) {
    return true;
  }
  return /^(?:[a-z]+\+)?https?:\/\/$/i.test(scheme);
}

/** Masks the secret part of userinfo in every URL in `text`. */
function maskCredentials(text: string): string {
  return text.replace(
    URL_USERINFO,
    (whole, scheme: string, userinfo: string) => {
      if (!isSecretUserinfo(scheme, userinfo)) {
        return whole;
      }
      const colon = userinfo.indexOf(':');
      const masked = colon >= 0 ? `${userinfo.slice(0, colon)}:****` : '****';
      return `${scheme}${masked}@`;
    },
  );
}

function checkUrlCredentials(
  line: LogicalLine,
  url: string,
  report: Report,
): void {
  const match = new RegExp(URL_USERINFO.source).exec(url);
  if (match && isSecretUserinfo(match[1], match[2])) {
    report.warning(
      line.lineNumber,
      url,
      `The URL contains credentials, and ${report.file} is copied into the ` +
        'image, so anyone who can pull the image can read them. Write a ' +
        'reference such as ${PIP_INDEX_TOKEN} instead, which pip replaces ' +
        'from the environment when it reads the file.',
    );
  }
}

/** Returns whether text has a ${NAME} reference outside the credentials of a URL. */
function containsEnvironmentVariable(text: string): boolean {
  return new RegExp(ENVIRONMENT_VARIABLE.source).test(
    text.replace(URL_USERINFO, '$1'),
  );
}

/**
 * Warns about ${NAME} references outside URL credentials: pip replaces them
 * when it reads the file, so this check cannot see the real values.
 */
function checkEnvironmentVariables(line: LogicalLine, report: Report): void {
  const names = line.text
    .replace(URL_USERINFO, '$1')
    .match(ENVIRONMENT_VARIABLE);
  if (!names) {
    return;
  }
  const list = [...new Set(names)].join(', ');
  report.warning(
    line.lineNumber,
    line.text,
    `pip replaces ${list} from the environment of the pip install step and ` +
      'keeps the text as written when a variable is unset, so this check ' +
      'cannot verify the line. Make sure the image build sets the variables.',
  );
}

// ---------------------------------------------------------------------------
// Hash-checking mode

/**
 * Reports what pip's hash-checking mode rejects. pip enters that mode when
 * any requirement has a --hash or the file has --require-hashes, and then
 * every requirement needs a hash.
 */
function checkHashCheckingMode(
  requirements: readonly RequirementLine[],
  requireHashesLine: number | undefined,
  report: Report,
): void {
  const hashed = requirements.filter((r) => r.hashed);
  if (hashed.length === 0 && requireHashesLine === undefined) {
    return;
  }

  const missingHash =
    hashed.length > 0
      ? 'This requirement has no --hash, but ' +
        `${describeCount(hashed.length, 'other requirement')} ` +
        `${hashed.length === 1 ? 'has' : 'have'} one (first on line ` +
        `${hashed[0].lineNumber}), and pip's hash-checking mode is all or ` +
        'nothing. Add --hash to every requirement, for example with ' +
        'pip-compile --generate-hashes, or remove all of them.'
      : `This requirement has no --hash, but --require-hashes on line ` +
        `${requireHashesLine} makes pip demand one on every requirement. Add ` +
        '--hash to every requirement, for example with pip-compile ' +
        '--generate-hashes, or remove --require-hashes.';
  for (const requirement of requirements) {
    if (requirement.kind === 'editable') {
      report.error(
        requirement.lineNumber,
        requirement.text,
        'pip cannot check hashes of an editable install, so hash-checking ' +
          'mode rejects it. Install the project without -e from a pinned, ' +
          'hashed requirement.',
      );
    } else if (requirement.kind === 'vcs') {
      report.error(
        requirement.lineNumber,
        requirement.text,
        'pip cannot hash a version control checkout, so hash-checking mode ' +
          'rejects it. Require a built archive URL with a --hash instead.',
      );
    } else if (requirement.kind === 'local-directory') {
      report.error(
        requirement.lineNumber,
        requirement.text,
        'pip cannot hash a directory, so hash-checking mode rejects it. ' +
          'Build a wheel and require that with a --hash instead.',
      );
    } else if (!requirement.hashed) {
      report.error(requirement.lineNumber, requirement.text, missingHash);
    } else if (requirement.kind === 'name' && requirement.pinned === false) {
      const name = requirement.name ?? 'name';
      report.error(
        requirement.lineNumber,
        requirement.text,
        "pip's hash-checking mode needs an exact version, but this " +
          "requirement is not pinned with a single '==' or '==='. Pin it, " +
          `as in '${name}==1.2.3'.`,
      );
    }
  }
}

function describeCount(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
