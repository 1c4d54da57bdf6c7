// Finds and masks credentials in URL userinfo, and warns about environment
// variables that pip expands.

import type { LogicalLine } from './logical-lines';
import type { Report } from './report';

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
export function maskCredentials(text: string): string {
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

export function checkUrlCredentials(
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
export function containsEnvironmentVariable(text: string): boolean {
  return new RegExp(ENVIRONMENT_VARIABLE.source).test(
    text.replace(URL_USERINFO, '$1'),
  );
}

/**
 * Warns about ${NAME} references outside URL credentials: pip replaces them
 * when it reads the file, so this check cannot see the real values.
 */
export function checkEnvironmentVariables(
  line: LogicalLine,
  report: Report,
): void {
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
