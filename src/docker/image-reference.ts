/**
 * Validators for the parts of a Docker image reference, following the grammar
 * of the distribution/reference Go package that Docker uses to parse them:
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path
 *   domain     := host [ ":" port ]
 *   path       := path-component [ "/" path-component ]*
 *   path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*
 *   separator  := "." | "_" | "__" | "-"+
 *   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *
 * Two checks are stricter than that grammar: a port must be 1 to 65535, and a
 * host made of four numbers must be a valid IPv4 address. Digests must be
 * sha256, which is what registries report for images.
 */
import { isIPv6 } from 'node:net';
import { Problem } from '../validation/problem';

/** Maximum length of a repository name including its registry, as Docker enforces it. */
export const MAX_NAME_LENGTH = 255;

/** Maximum length of a tag. */
export const MAX_TAG_LENGTH = 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const HEX_IMAGE_ID = /^[a-f0-9]{64}$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

const PATH_GRAMMAR =
  'Each path component is lowercase letters and digits, separated by ' +
  "'.', '_', '__' or one or more '-', and components are joined by '/'.";

/** The registry and namespace that come before an image name in the full reference. */
export interface ImageNameContext {
  readonly registry?: string;
  readonly namespace?: string;
}

/**
 * Checks an image name: the repository path that follows the registry host
 * and namespace, such as 'analyzer-api' or 'team/analyzer-api'.
 *
 * The full name, with the registry and namespace from `context`, must be at
 * most 255 characters.
 */
export function checkImageName(
  option: string,
  value: string,
  context: ImageNameContext = {},
): Problem[] {
  if (value === '') {
    return [
      error(
        option,
        value,
        "The image name is empty. Set a lowercase name such as 'my-service'.",
      ),
    ];
  }
  const tagStart = value.search(/[:@]/);
  if (tagStart >= 0) {
    const name = value.slice(0, tagStart);
    const suggestion = validPathOrUndefined(name.toLowerCase());
    return [
      error(
        option,
        value,
        `An image name contains no tag or digest, so '${value[tagStart]}' is not allowed. ` +
          (suggestion
            ? `Use '${suggestion}' and set the tag separately.`
            : PATH_GRAMMAR),
      ),
    ];
  }
  const pathProblem = checkPath(option, value, 'Image names');
  if (pathProblem) {
    return [pathProblem];
  }
  if (HEX_IMAGE_ID.test(value)) {
    return [error(option, value, hexNameMessage())];
  }
  const fullName = [context.registry, context.namespace, value]
    .filter((part) => part !== undefined && part !== '')
    .join('/');
  if (fullName.length > MAX_NAME_LENGTH) {
    return [
      error(
        option,
        value,
        `The full image name '${fullName}' is ${fullName.length} characters, ` +
          `but Docker allows at most ${MAX_NAME_LENGTH}. Use a shorter name or namespace.`,
      ),
    ];
  }
  return [];
}

/**
 * Checks a namespace: the path between the registry and the image name, such
 * as 'acme' or 'acme/team'. An empty namespace means none.
 */
export function checkNamespace(option: string, value: string): Problem[] {
  if (value === '') {
    return [];
  }
  if (value.startsWith('/') || value.endsWith('/')) {
    const trimmed = value.replace(/^\/+|\/+$/g, '');
    const suggestion = validPathOrUndefined(trimmed.toLowerCase());
    return [
      error(
        option,
        value,
        "A namespace neither starts nor ends with '/'. " +
          (suggestion ? `Use '${suggestion}'.` : PATH_GRAMMAR),
      ),
    ];
  }
  const pathProblem = checkPath(option, value, 'Namespaces');
  return pathProblem ? [pathProblem] : [];
}

/**
 * Checks a registry: a host with an optional port, such as 'ghcr.io' or
 * 'localhost:5000'. The host is a domain name, an IPv4 address or an IPv6
 * address in brackets. An empty registry means Docker Hub.
 */
export function checkRegistry(option: string, value: string): Problem[] {
  if (value === '') {
    return [];
  }
  const scheme = SCHEME.exec(value);
  if (scheme) {
    const withoutScheme = value.slice(scheme[0].length).replace(/\/+$/, '');
    const fix =
      findDomainProblem(withoutScheme) === undefined
        ? `Use '${withoutScheme}'.`
        : 'Use only the host and optional port.';
    return [
      error(
        option,
        value,
        `A registry is a host without a scheme, so drop '${scheme[0]}'. ${fix}`,
      ),
    ];
  }
  if (value.endsWith('/')) {
    const trimmed = value.replace(/\/+$/, '');
    const fix =
      findDomainProblem(trimmed) === undefined
        ? `Use '${trimmed}'.`
        : 'Use only the host and optional port.';
    return [error(option, value, `A registry does not end with '/'. ${fix}`)];
  }
  const slash = value.indexOf('/');
  if (slash >= 0) {
    const host = value.slice(0, slash);
    return [
      error(
        option,
        value,
        `A registry is only a host and optional port. Use '${host}' and ` +
          `put '${value.slice(slash + 1)}' in the namespace.`,
      ),
    ];
  }
  const problem = findDomainProblem(value);
  return problem === undefined ? [] : [error(option, value, problem)];
}

/** Checks a tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'. */
export function checkTag(option: string, value: string): Problem[] {
  const problem = findTagProblem(value);
  return problem === undefined ? [] : [error(option, value, problem)];
}

/** Checks an image digest: 'sha256:' followed by 64 lowercase hex digits. */
export function checkDigest(option: string, value: string): Problem[] {
  const problem = findDigestProblem(value);
  return problem === undefined ? [] : [error(option, value, problem)];
}

/**
 * Checks a full image reference `[registry/]path[:tag][@digest]` such as
 * 'snakepacker/python:3.12' or '127.0.0.1:5000/x/y:1@sha256:<64 hex digits>'.
 *
 * As Docker does, the first path component is taken as the registry when it
 * contains '.' or ':', is 'localhost', or contains an uppercase letter.
 */
export function checkBaseImage(option: string, value: string): Problem[] {
  if (value === '') {
    return [
      error(
        option,
        value,
        "The image reference is empty. Set one such as 'python:3.12-slim'.",
      ),
    ];
  }
  const whitespace = /\s/.exec(value);
  if (whitespace) {
    return [
      error(
        option,
        value,
        'An image reference contains no whitespace. Remove the ' +
          `${describeCharacter(whitespace[0])}.`,
      ),
    ];
  }
  const scheme = SCHEME.exec(value);
  if (scheme) {
    return [
      error(
        option,
        value,
        `An image reference has no scheme, so drop '${scheme[0]}'. ` +
          `Use '${value.slice(scheme[0].length)}'.`,
      ),
    ];
  }

  const parts = splitReference(value);
  const problems: Problem[] = [];
  const add = (message: string | undefined): void => {
    if (message !== undefined) {
      problems.push(error(option, value, message));
    }
  };

  if (parts.domain !== undefined) {
    add(checkReferenceDomain(parts, value));
  }
  add(checkReferencePath(parts, value));
  if (parts.tag !== undefined) {
    const tagProblem = findTagProblem(parts.tag);
    add(tagProblem && `The tag '${parts.tag}' is invalid. ${tagProblem}`);
  }
  if (parts.digest !== undefined) {
    const digestProblem = findDigestProblem(parts.digest);
    add(
      digestProblem &&
        `The digest '${parts.digest}' is invalid. ${digestProblem}`,
    );
  }
  if (problems.length === 0) {
    const name =
      parts.domain === undefined ? parts.path : `${parts.domain}/${parts.path}`;
    if (name.length > MAX_NAME_LENGTH) {
      add(
        `The image name '${name}' is ${name.length} characters, but Docker ` +
          `allows at most ${MAX_NAME_LENGTH}. Use a shorter name.`,
      );
    }
  }
  return problems;
}

interface ReferenceParts {
  readonly domain?: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits a reference the way Docker does, without checking the parts. */
function splitReference(value: string): ReferenceParts {
  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (
      /[.:]/.test(first) ||
      first === 'localhost' ||
      first !== first.toLowerCase()
    ) {
      return { domain: first, path: rest.slice(slash + 1), tag, digest };
    }
  }
  return { path: rest, tag, digest };
}

function checkReferenceDomain(
  parts: ReferenceParts,
  value: string,
): string | undefined {
  const domain = parts.domain ?? '';
  const looksLikeHost = /[.:]/.test(domain) || domain === 'localhost';
  if (!looksLikeHost) {
    // Docker reads an uppercase first component as a registry host. A host
    // name without '.' or ':' is more likely a mistyped namespace.
    const suggestion = suggestLowercaseReference(
      { ...parts, domain: undefined, path: `${domain}/${parts.path}` },
      value,
    );
    return (
      `Docker reads '${domain}' as a registry host because it contains ` +
      'uppercase letters, but image paths must be lowercase.' +
      (suggestion ? ` Use '${suggestion}'.` : '')
    );
  }
  const problem = findDomainProblem(domain);
  return problem && `The registry '${domain}' is invalid. ${problem}`;
}

function checkReferencePath(
  parts: ReferenceParts,
  value: string,
): string | undefined {
  if (parts.path === '') {
    return (
      'The image reference has no image name. Add one, as in ' +
      "'python:3.12' or 'ghcr.io/acme/python:3.12'."
    );
  }
  if (parts.path !== parts.path.toLowerCase()) {
    const suggestion = suggestLowercaseReference(parts, value);
    return (
      'Image names must be lowercase.' +
      (suggestion ? ` Use '${suggestion}'.` : ` ${PATH_GRAMMAR}`)
    );
  }
  const componentProblem = findPathProblem(parts.path);
  if (componentProblem !== undefined) {
    return `The image name '${parts.path}' is invalid. ${componentProblem}`;
  }
  if (parts.domain === undefined && HEX_IMAGE_ID.test(parts.path)) {
    return hexNameMessage();
  }
  return undefined;
}

/** Returns the reference with its path lowercased, when that makes it valid. */
function suggestLowercaseReference(
  parts: ReferenceParts,
  value: string,
): string | undefined {
  let suggestion = parts.path.toLowerCase();
  if (parts.domain !== undefined) {
    suggestion = `${parts.domain}/${suggestion}`;
  }
  if (parts.tag !== undefined) {
    suggestion += `:${parts.tag}`;
  }
  if (parts.digest !== undefined) {
    suggestion += `@${parts.digest}`;
  }
  if (suggestion === value) {
    return undefined;
  }
  return checkBaseImage('', suggestion).length === 0 ? suggestion : undefined;
}

/**
 * Returns an error for an invalid repository path, suggesting the lowercased
 * path when only uppercase letters make it invalid.
 */
function checkPath(
  option: string,
  value: string,
  subject: string,
): Problem | undefined {
  if (value !== value.toLowerCase()) {
    const suggestion = validPathOrUndefined(value.toLowerCase());
    return error(
      option,
      value,
      `${subject} must be lowercase.` +
        (suggestion ? ` Use '${suggestion}'.` : ` ${PATH_GRAMMAR}`),
    );
  }
  const problem = findPathProblem(value);
  return problem === undefined ? undefined : error(option, value, problem);
}

function validPathOrUndefined(path: string): string | undefined {
  return path !== '' && findPathProblem(path) === undefined ? path : undefined;
}

/** Describes what is wrong with a lowercase repository path, or returns undefined. */
function findPathProblem(path: string): string | undefined {
  for (const component of path.split('/')) {
    if (PATH_COMPONENT.test(component)) {
      continue;
    }
    if (component === '') {
      return (
        "The path has an empty component, from a leading, trailing or doubled '/'. " +
        'Remove the extra slash.'
      );
    }
    const invalid = /[^a-z0-9._-]/.exec(component);
    if (invalid) {
      return (
        `The ${describeCharacter(invalid[0])} in '${component}' is not ` +
        `allowed. ${PATH_GRAMMAR}`
      );
    }
    if (/^[._-]|[._-]$/.test(component)) {
      return (
        `The path component '${component}' starts or ends with a separator. ` +
        'Start and end it with a lowercase letter or digit.'
      );
    }
    const separator = /[._-]{2,}/.exec(component);
    return (
      `'${separator?.[0] ?? component}' in '${component}' is not a valid ` +
      "separator. Use a single '.', one or two '_', or one or more '-'."
    );
  }
  return undefined;
}

/** Describes what is wrong with a registry host and optional port, or returns undefined. */
function findDomainProblem(domain: string): string | undefined {
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close < 0) {
      return "The IPv6 address has no closing ']'. Write it as '[::1]:5000'.";
    }
    host = domain.slice(0, close + 1);
    const after = domain.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) {
        return `'${after}' after the IPv6 address is not a port. Write the port as ':5000'.`;
      }
      port = after.slice(1);
    }
    const address = host.slice(1, -1);
    if (!/^[0-9a-fA-F:]+$/.test(address) || !isIPv6(address)) {
      return `'${address}' is not a valid IPv6 address.`;
    }
  } else {
    const colons = domain.split(':').length - 1;
    if (colons > 1) {
      return "An IPv6 address in a registry goes in brackets, as in '[::1]:5000'.";
    }
    if (colons === 1) {
      [host, port] = domain.split(':');
    }
    const hostProblem = findHostProblem(host);
    if (hostProblem !== undefined) {
      return hostProblem;
    }
  }
  if (port !== undefined) {
    return findPortProblem(port);
  }
  return undefined;
}

function findHostProblem(host: string): string | undefined {
  if (host === '') {
    return (
      'The registry has no host name. Write it as a host such as ' +
      "'ghcr.io' or 'localhost:5000'."
    );
  }
  const components = host.split('.');
  for (const component of components) {
    if (DOMAIN_COMPONENT.test(component)) {
      continue;
    }
    if (component === '') {
      return `The host '${host}' has an empty label, from a leading, trailing or doubled '.'. Remove the extra dot.`;
    }
    const invalid = /[^a-zA-Z0-9-]/.exec(component);
    if (invalid) {
      return (
        `The ${describeCharacter(invalid[0])} in the host '${host}' is not ` +
        "allowed. Host names contain only letters, digits, '-' and '.'."
      );
    }
    return `The host label '${component}' starts or ends with '-'. Start and end it with a letter or digit.`;
  }
  if (components.length === 4 && components.every((c) => /^\d+$/.test(c))) {
    if (components.some((c) => Number(c) > 255)) {
      return `'${host}' is not a valid IPv4 address, because each of its four numbers must be 0 to 255.`;
    }
  }
  return undefined;
}

function findPortProblem(port: string): string | undefined {
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return `The port '${port}' is invalid. Use a number from 1 to 65535.`;
  }
  return undefined;
}

function findTagProblem(tag: string): string | undefined {
  if (TAG.test(tag)) {
    return undefined;
  }
  if (tag === '') {
    return "The tag is empty. Set one such as 'latest' or '1.0.0'.";
  }
  if (tag.length > MAX_TAG_LENGTH) {
    return `The tag is ${tag.length} characters, but Docker allows at most ${MAX_TAG_LENGTH}. Use a shorter tag.`;
  }
  const replaced = tag.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[.-]+/, '');
  const suggestion = TAG.test(replaced) ? ` Use '${replaced}'.` : '';
  const invalid = /[^A-Za-z0-9_.-]/.exec(tag);
  if (invalid) {
    return (
      `The ${describeCharacter(invalid[0])} is not allowed in a tag, which ` +
      "contains only letters, digits, '_', '.' and '-'." +
      suggestion
    );
  }
  return (
    `A tag starts with a letter, digit or '_', not '${tag[0]}'.` + suggestion
  );
}

function findDigestProblem(digest: string): string | undefined {
  if (SHA256_DIGEST.test(digest)) {
    return undefined;
  }
  const expected =
    "A digest is 'sha256:' followed by 64 lowercase hex digits, as " +
    "'docker buildx imagetools inspect IMAGE' shows it.";
  if (/^[a-fA-F0-9]{64}$/.test(digest)) {
    return `The digest has no algorithm. Use 'sha256:${digest.toLowerCase()}'.`;
  }
  const colon = digest.indexOf(':');
  if (colon < 0) {
    return expected;
  }
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (algorithm.toLowerCase() !== 'sha256') {
    return `The algorithm '${algorithm}' is not supported. ${expected}`;
  }
  if (/^[a-fA-F0-9]{64}$/.test(hex)) {
    return `A digest is lowercase. Use 'sha256:${hex.toLowerCase()}'.`;
  }
  if (/^[a-fA-F0-9]*$/.test(hex)) {
    return `The digest has ${hex.length} hex digits, but a sha256 digest has 64. Copy the whole digest.`;
  }
  return expected;
}

function hexNameMessage(): string {
  return (
    'Docker rejects a name of 64 hex digits because it reads as an image ID. ' +
    'Choose another name.'
  );
}

/** Names a character so that whitespace and control characters are visible in a message. */
function describeCharacter(character: string): string {
  if (character === ' ') {
    return 'space';
  }
  if (/[\s\p{Cc}\p{Cf}]/u.test(character)) {
    const code = character.codePointAt(0) ?? 0;
    return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `character '${character}'`;
}

function error(option: string, value: string, message: string): Problem {
  return { severity: 'error', where: option, value, message };
}
