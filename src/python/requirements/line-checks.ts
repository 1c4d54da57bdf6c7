// Checks one logical line of requirements.txt: its options, hashes,
// editable installs, -r and -c file references and requirement.

import {
  checkEnvironmentVariables,
  checkUrlCredentials,
  containsEnvironmentVariable,
} from './credentials';
import type { LogicalLine } from './logical-lines';
import type { OptionScope, ParsedOption } from './pip-options';
import {
  parseOptions,
  shellSplit,
  splitArgumentsAndOptions,
} from './pip-options';
import type { Report } from './report';
import {
  classifyRequirement,
  isSelfReference,
  isUrl,
  reportLocalPath,
  reportSelfReference,
  stripExtras,
  urlScheme,
  VCS_SCHEMES,
} from './requirement-kinds';

type RequirementKind =
  'name' | 'url' | 'vcs' | 'local-file' | 'local-directory' | 'editable';

/** A line that pip reads as a requirement. */
export interface RequirementLine {
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

export function checkLine(line: LogicalLine, report: Report): LineOutcome {
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
