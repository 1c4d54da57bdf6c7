// Options that pip accepts in a requirements file, and the shlex and
// optparse rules that split and parse them.

export type OptionScope = 'file' | 'requirement';

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

export interface ParsedOption {
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
export function splitArgumentsAndOptions(line: string): {
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
export function shellSplit(text: string): string[] | { error: string } {
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
export function parseOptions(
  tokens: readonly string[],
): ParsedOptions | OptionError {
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
