// Classifies a requirement as pip does (project name, URL, VCS URL or local
// path) and reports local paths, which do not exist in the image yet.

import { posix } from 'node:path';
import { checkUrlCredentials } from './credentials';
import type { RequirementLine } from './line-checks';
import type { LogicalLine } from './logical-lines';
import { checkMarker, parsePep508 } from './pep508';
import type { Report } from './report';

/** Schemes that make pip treat a requirement as a URL (pip's is_url). */
export const VCS_SCHEMES: readonly string[] = [
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
export function classifyRequirement(
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

export function reportSelfReference(
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

export function reportLocalPath(
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
export function isSelfReference(target: string): boolean {
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
export function stripExtras(text: string): { path: string; extras?: string } {
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
export function urlScheme(text: string): string | undefined {
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : text.slice(0, colon).toLowerCase();
}

export function isUrl(text: string): boolean {
  const scheme = urlScheme(text);
  return scheme !== undefined && URL_SCHEMES.includes(scheme);
}
