import { describe, expect, test } from 'vitest';
import {
  checkBaseImage,
  checkDigest,
  checkImageName,
  checkNamespace,
  checkRegistry,
  checkTag,
} from '../src/docker/image-reference';
import { Problem } from '../src/validation/problem';

const DIGEST =
  'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';
const HEX = DIGEST.slice('sha256:'.length);

type Check = (option: string, value: string) => Problem[];

interface RejectedCase {
  readonly name: string;
  readonly check: Check;
  readonly value: string;
  readonly message: string;
}

const rejected: RejectedCase[] = [
  // Image names.
  {
    name: 'uppercase image name',
    check: checkImageName,
    value: 'Analyzer-API',
    message: "Image names must be lowercase. Use 'analyzer-api'.",
  },
  {
    name: 'empty image name',
    check: checkImageName,
    value: '',
    message:
      "The image name is empty. Set a lowercase name such as 'my-service'.",
  },
  {
    name: 'image name with tag',
    check: checkImageName,
    value: 'analyzer-api:1.0',
    message:
      "An image name contains no tag or digest, so ':' is not allowed. Use " +
      "'analyzer-api' and set the tag separately.",
  },
  {
    name: 'image name with space',
    check: checkImageName,
    value: 'analyzer api',
    message: "The space in 'analyzer api' is not allowed.",
  },
  {
    name: 'image name trailing separator',
    check: checkImageName,
    value: 'analyzer-',
    message:
      "The path component 'analyzer-' starts or ends with a separator. Start " +
      'and end it with a lowercase letter or digit.',
  },
  {
    name: 'image name double dot',
    check: checkImageName,
    value: 'analyzer..api',
    message: "'..' in 'analyzer..api' is not a valid separator.",
  },
  {
    name: 'image name triple underscore',
    check: checkImageName,
    value: 'analyzer___api',
    message: "'___' in 'analyzer___api' is not a valid separator.",
  },
  {
    name: 'image name mixed separators',
    check: checkImageName,
    value: 'analyzer._api',
    message: "'._' in 'analyzer._api' is not a valid separator.",
  },
  {
    name: 'image name doubled slash',
    check: checkImageName,
    value: 'team//api',
    message:
      "The path has an empty component, from a leading, trailing or doubled '/'.",
  },
  {
    name: 'uppercase name with invalid character',
    check: checkImageName,
    value: 'Analyzer API',
    message: 'Image names must be lowercase. Each path component is lowercase',
  },
  {
    name: 'image name looks like ID',
    check: checkImageName,
    value: HEX,
    message:
      'Docker rejects a name of 64 hex digits because it reads as an image ID.',
  },
  {
    name: 'image name with control character',
    check: checkImageName,
    value: 'api\u0007',
    message: "The character U+0007 in 'api\u0007' is not allowed.",
  },

  // Namespaces.
  {
    name: 'uppercase namespace',
    check: checkNamespace,
    value: 'Acme/Team',
    message: "Namespaces must be lowercase. Use 'acme/team'.",
  },
  {
    name: 'namespace with trailing slash',
    check: checkNamespace,
    value: 'acme/',
    message: "A namespace neither starts nor ends with '/'. Use 'acme'.",
  },
  {
    name: 'namespace with leading slash',
    check: checkNamespace,
    value: '/acme/team',
    message: "Use 'acme/team'.",
  },
  {
    name: 'namespace with underscore start',
    check: checkNamespace,
    value: '_acme',
    message: "The path component '_acme' starts or ends with a separator.",
  },

  // Registries.
  {
    name: 'registry with scheme',
    check: checkRegistry,
    value: 'https://ghcr.io',
    message:
      "A registry is a host without a scheme, so drop 'https://'. Use 'ghcr.io'.",
  },
  {
    name: 'registry with scheme and slash',
    check: checkRegistry,
    value: 'https://registry.example.com:5000/',
    message: "drop 'https://'. Use 'registry.example.com:5000'.",
  },
  {
    name: 'registry with trailing slash',
    check: checkRegistry,
    value: 'ghcr.io/',
    message: "A registry does not end with '/'. Use 'ghcr.io'.",
  },
  {
    name: 'registry with a path',
    check: checkRegistry,
    value: 'ghcr.io/acme',
    message:
      "A registry is only a host and optional port. Use 'ghcr.io' and put " +
      "'acme' in the namespace.",
  },
  {
    name: 'registry port zero',
    check: checkRegistry,
    value: 'localhost:0',
    message: "The port '0' is invalid. Use a number from 1 to 65535.",
  },
  {
    name: 'registry port too large',
    check: checkRegistry,
    value: 'localhost:65536',
    message: "The port '65536' is invalid.",
  },
  {
    name: 'registry port not numeric',
    check: checkRegistry,
    value: 'localhost:http',
    message: "The port 'http' is invalid.",
  },
  {
    name: 'registry empty port',
    check: checkRegistry,
    value: 'localhost:',
    message: "The port '' is invalid.",
  },
  {
    name: 'registry host with underscore',
    check: checkRegistry,
    value: 'my_registry.example.com',
    message:
      "The character '_' in the host 'my_registry.example.com' is not allowed.",
  },
  {
    name: 'registry label ends hyphen',
    check: checkRegistry,
    value: 'registry-.example.com',
    message: "The host label 'registry-' starts or ends with '-'.",
  },
  {
    name: 'registry with doubled dot',
    check: checkRegistry,
    value: 'registry..example.com',
    message: "has an empty label, from a leading, trailing or doubled '.'",
  },
  {
    name: 'registry IPv4 out of range',
    check: checkRegistry,
    value: '10.0.0.256:5000',
    message: "'10.0.0.256' is not a valid IPv4 address",
  },
  {
    name: 'registry IPv6 without brackets',
    check: checkRegistry,
    value: '::1:5000',
    message:
      "An IPv6 address in a registry goes in brackets, as in '[::1]:5000'.",
  },
  {
    name: 'registry IPv6 unclosed bracket',
    check: checkRegistry,
    value: '[::1:5000',
    message: "The IPv6 address has no closing ']'.",
  },
  {
    name: 'registry invalid IPv6 address',
    check: checkRegistry,
    value: '[::g1]:5000',
    message: "'::g1' is not a valid IPv6 address.",
  },
  {
    name: 'registry IPv6 zone index',
    check: checkRegistry,
    value: '[fe80::1%eth0]',
    message: "'fe80::1%eth0' is not a valid IPv6 address.",
  },

  // Tags.
  {
    name: 'empty tag',
    check: checkTag,
    value: '',
    message: "The tag is empty. Set one such as 'latest' or '1.0.0'.",
  },
  {
    name: 'tag with plus sign',
    check: checkTag,
    value: '1.0.0+build.5',
    message:
      "The character '+' is not allowed in a tag, which contains only " +
      "letters, digits, '_', '.' and '-'. Use '1.0.0-build.5'.",
  },
  {
    name: 'tag starting with dot',
    check: checkTag,
    value: '.hidden',
    message: "A tag starts with a letter, digit or '_', not '.'. Use 'hidden'.",
  },
  {
    name: 'tag starting with hyphen',
    check: checkTag,
    value: '-rc1',
    message: "not '-'. Use 'rc1'.",
  },
  {
    name: 'tag too long',
    check: checkTag,
    value: 'a'.repeat(129),
    message: 'The tag is 129 characters, but Docker allows at most 128.',
  },
  {
    name: 'tag with slash',
    check: checkTag,
    value: 'feature/login',
    message: "The character '/' is not allowed in a tag",
  },

  // Digests.
  {
    name: 'digest without algorithm',
    check: checkDigest,
    value: HEX,
    message: `The digest has no algorithm. Use '${DIGEST}'.`,
  },
  {
    name: 'uppercase digest',
    check: checkDigest,
    value: `sha256:${HEX.toUpperCase()}`,
    message: `A digest is lowercase. Use '${DIGEST}'.`,
  },
  {
    name: 'truncated digest',
    check: checkDigest,
    value: 'sha256:4f53cda18c2b',
    message: 'The digest has 12 hex digits, but a sha256 digest has 64.',
  },
  {
    name: 'digest with other algorithm',
    check: checkDigest,
    value: `sha512:${HEX}${HEX}`,
    message: "The algorithm 'sha512' is not supported.",
  },
  {
    name: 'digest that is a tag',
    check: checkDigest,
    value: 'latest',
    message: "A digest is 'sha256:' followed by 64 lowercase hex digits",
  },

  // Full references.
  {
    name: 'empty base image',
    check: checkBaseImage,
    value: '',
    message:
      "The image reference is empty. Set one such as 'python:3.12-slim'.",
  },
  {
    name: 'base image uppercase namespace',
    check: checkBaseImage,
    value: 'Snakepacker/python:3.12',
    message:
      "Docker reads 'Snakepacker' as a registry host because it contains " +
      'uppercase letters, but image paths must be lowercase. Use ' +
      "'snakepacker/python:3.12'.",
  },
  {
    name: 'base image uppercase name',
    check: checkBaseImage,
    value: 'ghcr.io/acme/Python:3.12-SLIM',
    message:
      "Image names must be lowercase. Use 'ghcr.io/acme/python:3.12-SLIM'.",
  },
  {
    name: 'base image with scheme',
    check: checkBaseImage,
    value: 'https://ghcr.io/acme/python:3.12',
    message: "drop 'https://'. Use 'ghcr.io/acme/python:3.12'.",
  },
  {
    name: 'base image with space',
    check: checkBaseImage,
    value: 'python: 3.12',
    message: 'An image reference contains no whitespace. Remove the space.',
  },
  {
    name: 'base image bad tag',
    check: checkBaseImage,
    value: 'python:3.12+1',
    message: "The tag '3.12+1' is invalid. The character '+' is not allowed",
  },
  {
    name: 'base image empty tag',
    check: checkBaseImage,
    value: 'python:',
    message: "The tag '' is invalid. The tag is empty.",
  },
  {
    name: 'base image short digest',
    check: checkBaseImage,
    value: 'python:3.12@sha256:4f53cda1',
    message:
      "The digest 'sha256:4f53cda1' is invalid. The digest has 8 hex digits",
  },
  {
    name: 'base image registry bad port',
    check: checkBaseImage,
    value: 'localhost:99999/python:3.12',
    message:
      "The registry 'localhost:99999' is invalid. The port '99999' is invalid.",
  },
  {
    name: 'base image without name',
    check: checkBaseImage,
    value: 'ghcr.io/',
    message: 'The image reference has no image name.',
  },
  {
    name: 'base image bad separator',
    check: checkBaseImage,
    value: 'acme/python--:3.12',
    message: "The image name 'acme/python--' is invalid.",
  },
  {
    name: 'base image that is an ID',
    check: checkBaseImage,
    value: HEX,
    message: 'Docker rejects a name of 64 hex digits',
  },
];

describe('image reference checks', () => {
  test.each(rejected)('$name', ({ check, value, message }) => {
    const problems = check('baseImage', value);

    expect(problems).toContainEqual({
      severity: 'error',
      where: 'baseImage',
      value,
      message: expect.stringContaining(message),
    });
  });

  const valid: { name: string; check: Check; value: string }[] = [
    { name: 'simple image name', check: checkImageName, value: 'analyzer-api' },
    {
      name: 'image name with path',
      check: checkImageName,
      value: 'team/analyzer-api',
    },
    {
      name: 'image name separators',
      check: checkImageName,
      value: 'a.b_c__d---e',
    },
    { name: 'image name digits only', check: checkImageName, value: '2048' },
    { name: 'empty namespace', check: checkNamespace, value: '' },
    {
      name: 'nested namespace',
      check: checkNamespace,
      value: 'acme/platform-team',
    },
    { name: 'empty registry', check: checkRegistry, value: '' },
    { name: 'registry domain', check: checkRegistry, value: 'ghcr.io' },
    {
      name: 'registry with port',
      check: checkRegistry,
      value: 'registry.example.com:5000',
    },
    { name: 'localhost registry', check: checkRegistry, value: 'localhost' },
    {
      name: 'localhost with port',
      check: checkRegistry,
      value: 'localhost:5000',
    },
    { name: 'IPv4 registry', check: checkRegistry, value: '127.0.0.1:5000' },
    { name: 'IPv6 registry', check: checkRegistry, value: '[::1]:5000' },
    {
      name: 'full IPv6 registry',
      check: checkRegistry,
      value: '[2001:db8::8a2e:370:7334]',
    },
    {
      name: 'uppercase registry host',
      check: checkRegistry,
      value: 'Registry.Example.com',
    },
    { name: 'highest port', check: checkRegistry, value: 'localhost:65535' },
    { name: 'plain tag', check: checkTag, value: 'latest' },
    { name: 'version tag', check: checkTag, value: '3.12.4-slim-bookworm' },
    { name: 'tag with underscore start', check: checkTag, value: '_build_5' },
    { name: 'uppercase tag', check: checkTag, value: 'RC1' },
    { name: 'longest tag', check: checkTag, value: 'a'.repeat(128) },
    { name: 'sha256 digest', check: checkDigest, value: DIGEST },
    {
      name: 'Docker Hub image',
      check: checkBaseImage,
      value: 'python:3.12-slim',
    },
    { name: 'image without tag', check: checkBaseImage, value: 'python' },
    {
      name: 'namespaced Hub image',
      check: checkBaseImage,
      value: 'snakepacker/python:3.12',
    },
    {
      name: 'localhost registry image',
      check: checkBaseImage,
      value: 'localhost/pyservice-test/python:bookworm',
    },
    {
      name: 'IPv4 registry with digest',
      check: checkBaseImage,
      value: `127.0.0.1:5000/x/y:1@${DIGEST}`,
    },
    {
      name: 'digest without tag',
      check: checkBaseImage,
      value: `python@${DIGEST}`,
    },
    {
      name: 'IPv6 registry image',
      check: checkBaseImage,
      value: '[::1]:5000/python:3.12',
    },
    {
      name: 'registry with uppercase host',
      check: checkBaseImage,
      value: 'GHCR.io/acme/python:3.12',
    },
    {
      name: 'docker.io library path',
      check: checkBaseImage,
      value: 'docker.io/library/python:3.12-alpine',
    },
  ];

  test.each(valid)('accepts $name', ({ check, value }) => {
    expect(check('option', value)).toEqual([]);
  });

  test('names the option and value', () => {
    const problems = checkImageName('imageName', 'Analyzer-API');

    expect(problems).toEqual([
      {
        severity: 'error',
        where: 'imageName',
        value: 'Analyzer-API',
        message: "Image names must be lowercase. Use 'analyzer-api'.",
      },
    ]);
  });

  test('full name length counts registry', () => {
    const name = 'a'.repeat(200);
    const registry = 'registry.example.com:5000';
    const namespace = 'b'.repeat(40);

    const tooLong = checkImageName('imageName', name, { registry, namespace });
    const fits = checkImageName('imageName', name, { namespace });

    expect(tooLong).toHaveLength(1);
    expect(tooLong[0].message).toContain(
      'is 267 characters, but Docker allows at most 255.',
    );
    expect(fits).toEqual([]);
  });

  test('base image name length limit', () => {
    const longest = `registry.example.com/${'a'.repeat(234)}`;
    const tooLong = `registry.example.com/${'a'.repeat(235)}:1`;

    expect(checkBaseImage('baseImage', longest)).toEqual([]);
    expect(checkBaseImage('baseImage', tooLong)[0].message).toContain(
      'is 256 characters, but Docker allows at most 255.',
    );
  });

  test('reports tag and digest separately', () => {
    const problems = checkBaseImage('baseImage', 'python:3.12+1@sha256:abc');

    expect(problems).toHaveLength(2);
    expect(problems[0].message).toContain("The tag '3.12+1' is invalid.");
    expect(problems[1].message).toContain(
      "The digest 'sha256:abc' is invalid.",
    );
  });

  test('omits suggestion when lowercase invalid', () => {
    const problems = checkImageName('imageName', 'My App');

    expect(problems).toHaveLength(1);
    expect(problems[0].message).not.toContain('Use ');
  });
});
