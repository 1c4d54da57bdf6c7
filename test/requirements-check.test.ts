import { describe, expect, test } from 'vitest';
import { checkRequirements } from '../src/python/requirements-check';
import { formatProblems, Problem } from '../src/validation/problem';

const SHA256_A =
  '2d4c8b3e1f0a9c7b6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f';
const SHA256_B =
  'f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4';

function check(text: string) {
  return checkRequirements(Buffer.from(text, 'utf8'));
}

interface RejectedCase {
  readonly name: string;
  readonly content: string;
  readonly severity: Problem['severity'];
  readonly where: string;
  readonly message: string;
}

const rejected: RejectedCase[] = [
  // Self-references: the source is not in the image when pip installs.
  {
    name: 'self reference as dot',
    content: '.\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'the project itself is installed from its sdist',
  },
  {
    name: 'editable self reference',
    content: 'requests==2.32.3\n-e .\n',
    severity: 'error',
    where: 'requirements.txt:2',
    message: "pip cannot install '-e .' there. Remove the line",
  },
  {
    name: 'editable file URL self reference',
    content: '-e file:.\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "pip cannot install '-e file:.' there",
  },
  {
    name: 'dot slash self reference',
    content: './\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "pip cannot install './' there",
  },
  {
    name: 'file URL self reference',
    content: 'file:.\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "pip cannot install 'file:.' there",
  },
  {
    name: 'editable dot slash self reference',
    content: '-e ./\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "pip cannot install '-e ./' there",
  },
  {
    name: 'self reference with extras',
    content: '-e .[dev]\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "pip cannot install '-e .[dev]' there",
  },
  {
    name: 'named file URL self reference',
    content: 'myservice @ file:.\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "pip cannot install 'myservice @ file:.' there",
  },

  // Hash-checking mode.
  {
    name: 'unhashed line among hashed',
    content: `requests==2.32.3 --hash=sha256:${SHA256_A}\nurllib3==2.2.2\n`,
    severity: 'error',
    where: 'requirements.txt:2',
    message:
      'This requirement has no --hash, but 1 other requirement has one ' +
      "(first on line 1), and pip's hash-checking mode is all or nothing.",
  },
  {
    name: 'hashed requirement not pinned',
    content: `requests>=2.32 --hash=sha256:${SHA256_A}\n`,
    severity: 'error',
    where: 'requirements.txt:1',
    message:
      "is not pinned with a single '==' or '==='. Pin it, as in 'requests==1.2.3'.",
  },
  {
    name: 'hashed requirement with range',
    content: `requests>=2.32,==2.32.3 --hash=sha256:${SHA256_A}\n`,
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'hash-checking mode needs an exact version',
  },
  {
    name: 'require hashes without hashes',
    content: '--require-hashes\nrequests==2.32.3\n',
    severity: 'error',
    where: 'requirements.txt:2',
    message:
      'but --require-hashes on line 1 makes pip demand one on every requirement',
  },
  {
    name: 'editable in hash mode',
    content: `requests==2.32.3 --hash=sha256:${SHA256_A}\n-e git+https://example.invalid/lib.git#egg=lib\n`,
    severity: 'error',
    where: 'requirements.txt:2',
    message: 'pip cannot check hashes of an editable install',
  },
  {
    name: 'version control in hash mode',
    content: `lib @ git+https://example.invalid/lib.git --hash=sha256:${SHA256_A}\n`,
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'pip cannot hash a version control checkout',
  },
  {
    name: 'hash with weak algorithm',
    content: 'requests==2.32.3 --hash=md5:0cc175b9c0f1b6a831c399e269772661\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "pip accepts only sha256, sha384 and sha512 hashes, not 'md5'",
  },
  {
    name: 'hash without algorithm',
    content: `requests==2.32.3 --hash=${SHA256_A}\n`,
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'pip rejects the hash because it has no algorithm',
  },
  {
    name: 'truncated hash digest',
    content: 'requests==2.32.3 --hash=sha256:2d4c8b3e\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message:
      'A sha256 hash is 64 lowercase hex digits, so pip can never match this one',
  },
  {
    name: 'hash on option line',
    content: `requests==2.32.3\n--hash=sha256:${SHA256_A}\n`,
    severity: 'warning',
    where: 'requirements.txt:2',
    message: 'pip ignores --hash on a line without a requirement',
  },

  // Lines pip rejects.
  {
    name: 'single equals operator',
    content: 'requests = 2.32.3\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "'=' is not a version operator. Use '==' to pin a version.",
  },
  {
    name: 'non PEP 440 version',
    content: 'pytz==2011k\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "'2011k' is not a valid PEP 440 version",
  },
  {
    name: 'wildcard with ordered operator',
    content: 'requests>=2.8.*\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "only '==' and '!=' take a '.*' suffix",
  },
  {
    name: 'local label with ordered operator',
    content: 'torch>=2.3.0+cpu\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "only '==' and '!=' take a local version label",
  },
  {
    name: 'compatible release one number',
    content: 'requests~=2\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "'~=2' needs at least two release numbers, as in '~=2.0'",
  },
  {
    name: 'specifiers without comma',
    content: 'requests>=2.0 <3.0\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'version specifiers are separated by commas',
  },
  {
    name: 'extras after version',
    content: 'requests>=2.0[security]\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'extras go right after the project name',
  },
  {
    name: 'trailing comma in extras',
    content: 'requests[security,]\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "the extras '[security,]' are invalid",
  },
  {
    name: 'unclosed extras bracket',
    content: 'requests[security\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "the '[' that starts the extras is not closed",
  },
  {
    name: 'project name starts with underscore',
    content: '_requests==1.0\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "'_requests' is not a valid project name",
  },
  {
    name: 'project name ends with underscore',
    content: 'requests_==1.0\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "Remove the trailing '_'.",
  },
  {
    name: 'non ASCII project name',
    content: 'café==1.0\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "'café' is not a valid project name. Names contain ASCII letters",
  },
  {
    name: 'unknown marker variable',
    content: 'requests; python_versoin < "3.11"\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: `pip rejects the environment marker 'python_versoin < "3.11"'`,
  },
  {
    name: 'unquoted marker value',
    content: 'requests; python_version < 3.11\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'pip rejects the environment marker',
  },
  {
    name: 'URL requirement without URL',
    content: 'lib @\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "no URL follows '@'",
  },
  {
    name: 'URL requirement relative path',
    content: 'lib @ ./dist/lib-1.0-py3-none-any.whl\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "'./dist/lib-1.0-py3-none-any.whl' is not an absolute URL",
  },
  {
    name: 'unknown option',
    content: '--upgrade\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message:
      'pip rejects the line with "no such option: --upgrade". A requirements file accepts',
  },
  {
    name: 'unknown short option',
    content: '-U requests\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'pip rejects the line with "no such option: -U"',
  },
  {
    name: 'ambiguous option abbreviation',
    content: '--req dev.txt\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message:
      'ambiguous option: --req (--requirement, --require-hashes?)". Write the option in full.',
  },
  {
    name: 'option without its value',
    content: '-r\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: '"-r option requires 1 argument". Write the value after -r.',
  },
  {
    name: 'flag with a value',
    content: '--pre=yes\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message:
      '"--pre option does not take a value". Write --pre without \'=yes\'.',
  },
  {
    name: 'unclosed quote in options',
    content: 'requests==2.32.3 --config-settings "key=value\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'pip cannot split the options because the " quote is not closed',
  },
  {
    name: 'config setting without equals',
    content: 'lib==1.0 -C editable_mode\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message:
      "pip rejects -C 'editable_mode' because settings are written as KEY=VALUE",
  },
  {
    name: 'requirement after an option',
    content: '--pre requests\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message:
      "pip ignores 'requests' because it follows an option on the same line",
  },
  {
    name: 'index URL without scheme',
    content: '--index-url pypi.example.invalid/simple\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message:
      "'pypi.example.invalid/simple' is not a URL, so pip cannot use it as an index",
  },
  {
    name: 'binary option without value',
    content: '--only-binary --pre\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'pip rejects --only-binary without a value',
  },
  {
    name: 'whitespace after continuation backslash',
    content: 'requests==2.32.3 \\ \n  --hash=sha256:' + SHA256_A + '\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "The line ends with '\\' followed by whitespace",
  },
  {
    name: 'editable URL without name',
    content: '-e git+https://example.invalid/lib.git\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: "Add '#egg=NAME' to the URL.",
  },
  {
    name: 'editable plain HTTPS URL',
    content: '-e https://example.invalid/lib-1.0.tar.gz\n',
    severity: 'error',
    where: 'requirements.txt:1',
    message: 'pip rejects this editable requirement',
  },
  {
    name: 'error on continued line',
    content: '# pinned\nrequests==2.32.3 \\\n    ; python_versoin < "3.11"\n',
    severity: 'error',
    where: 'requirements.txt:2',
    message: 'pip rejects the environment marker',
  },

  // Warnings: synthesis goes on.
  {
    name: 'requirements file reference',
    content: '-r requirements-base.txt\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message:
      "pip also reads 'requirements-base.txt', but only requirements.txt is " +
      'copied into the image before the dependencies are installed.',
  },
  {
    name: 'long requirement file option',
    content: '--requirement=base.txt\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: "pip also reads 'base.txt'",
  },
  {
    name: 'constraints file reference',
    content: '-c constraints.txt\nrequests\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: "pip also reads 'constraints.txt'",
  },
  {
    name: 'constraint attached to option',
    content: '-cconstraints.txt\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: "pip also reads 'constraints.txt'",
  },
  {
    name: 'credentials in index URL',
    content: '--index-url https://deploy:s3cr3t@pypi.example.invalid/simple\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message:
      'The URL contains credentials, and requirements.txt is copied into the ' +
      'image, so anyone who can pull the image can read them.',
  },
  {
    name: 'token in extra index URL',
    content:
      '--extra-index-url https://glpat-xyz@gitlab.example.invalid/simple\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: 'The URL contains credentials',
  },
  {
    name: 'token in URL requirement',
    content: 'lib @ git+https://ghp_abc123@github.com/acme/lib.git@v1.0\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: 'The URL contains credentials',
  },
  {
    name: 'local wheel path',
    content: './wheels/lib-1.0-py3-none-any.whl\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message:
      "pip installs './wheels/lib-1.0-py3-none-any.whl' from the image's file " +
      'system, but only requirements.txt is copied in',
  },
  {
    name: 'local directory path',
    content: '../shared-lib\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: "pip installs '../shared-lib' from the image's file system",
  },
  {
    name: 'bare wheel file name',
    content: 'lib-1.0-py3-none-any.whl\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message:
      "pip installs 'lib-1.0-py3-none-any.whl' from the image's file system",
  },
  {
    name: 'absolute file URL',
    content: 'file:///home/dev/lib-1.0.tar.gz\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message:
      "pip installs 'file:///home/dev/lib-1.0.tar.gz' from the image's file system",
  },
  {
    name: 'editable sibling project',
    content: '-e ../shared-lib\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: "pip installs '../shared-lib' from the image's file system",
  },
  {
    name: 'local find links directory',
    content: '--find-links ./wheels\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message:
      "pip looks for packages in './wheels', but only requirements.txt is copied",
  },
  {
    name: 'global option on requirement',
    content: 'lib==1.0 --global-option=--no-ext\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: 'pip deprecated --global-option in 23.1 and removed it in 25.3',
  },
  {
    name: 'index URL on requirement line',
    content:
      'requests==2.32.3 --index-url https://pypi.example.invalid/simple\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message:
      'pip ignores --index-url on a requirement line. Put it on a line of its own.',
  },
  {
    name: 'second file on option line',
    content: '-r base.txt -r dev.txt\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: 'pip ignores -r on a line with -r',
  },
  {
    name: 'environment variable in version',
    content: 'lib==${LIB_VERSION}\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message:
      'pip replaces ${LIB_VERSION} from the environment of the pip install step',
  },
  {
    name: 'marker glued to URL',
    content:
      'https://example.invalid/lib-1.0-py3-none-any.whl;python_version<"3.11"\n',
    severity: 'warning',
    where: 'requirements.txt:1',
    message: "pip separates an environment marker from a URL only at '; '",
  },
];

describe('checkRequirements', () => {
  test.each(rejected)('$name', ({ content, severity, where, message }) => {
    const { problems } = check(content);

    expect(problems).toContainEqual(
      expect.objectContaining({
        severity,
        where,
        message: expect.stringContaining(message),
      }),
    );
  });

  const valid: { name: string; content: string }[] = [
    { name: 'empty file', content: '' },
    { name: 'comment only file', content: '# No dependencies yet.\n' },
    { name: 'blank lines and comments', content: '\n\n   \n# a\n  # b\n\n' },
    { name: 'plain project name', content: 'requests\n' },
    { name: 'exact pin', content: 'requests==2.32.3\n' },
    {
      name: 'extras with combined specifiers',
      content: 'requests[security]>=2.8.1,==2.8.*\n',
    },
    {
      name: 'spaces around specifiers',
      content: 'requests [security, socks] >= 2.8.1 , == 2.8.*\n',
    },
    { name: 'parenthesized specifiers', content: 'requests (>=2.8.1,<3)\n' },
    {
      name: 'marker after semicolon',
      content: 'tomli>=2.0; python_version < "3.11"\n',
    },
    {
      name: 'compound marker with parentheses',
      content:
        'uvloop==0.19.0 ; (sys_platform != "win32" and platform_python_implementation == "CPython") or extra == "fast"\n',
    },
    {
      name: 'legacy dotted marker variable',
      content: 'pywin32==306; os.name == "nt"\n',
    },
    {
      name: 'marker with in operator',
      content: 'backports.zoneinfo; python_version in "3.7 3.8"\n',
    },
    { name: 'empty marker', content: 'requests;\n' },
    {
      name: 'URL requirement',
      content: 'name @ https://example.invalid/pkg.whl\n',
    },
    {
      name: 'URL requirement with marker',
      content:
        'name @ https://example.invalid/pkg.whl ; python_version < "3.11"\n',
    },
    {
      name: 'URL requirement with extras',
      content:
        'name[extra] @ https://example.invalid/name-1.0.tar.gz#sha256=' +
        SHA256_A +
        '\n',
    },
    {
      name: 'git URL requirement',
      content: 'lib @ git+https://github.com/acme/lib.git@v1.4.0\n',
    },
    {
      name: 'git over SSH user',
      content: 'lib @ git+ssh://git@github.com/acme/lib.git@v1.4.0\n',
    },
    {
      name: 'bare archive URL',
      content: 'https://example.invalid/lib-1.0-py3-none-any.whl\n',
    },
    {
      name: 'bare URL with marker',
      content:
        'https://example.invalid/lib-1.0-py3-none-any.whl; python_version < "3.11"\n',
    },
    {
      name: 'editable git URL with egg',
      content: '-e git+https://github.com/acme/lib.git@v1.4.0#egg=lib\n',
    },
    {
      name: 'index URL option',
      content: '--index-url https://pypi.example.invalid/simple\nrequests\n',
    },
    {
      name: 'short index URL option',
      content: '-i https://pypi.example.invalid/simple\n',
    },
    {
      name: 'abbreviated long option',
      content: '--extra https://pypi.example.invalid/simple\n',
    },
    {
      name: 'all global options',
      content: [
        '--extra-index-url https://mirror.example.invalid/simple',
        '--no-index',
        '-f https://example.invalid/wheels/',
        '--find-links=https://example.invalid/more-wheels/',
        '--pre',
        '--prefer-binary',
        '--only-binary :all:',
        '--no-binary=lxml,pillow',
        '--trusted-host mirror.example.invalid',
        '--use-feature=truststore',
        'requests',
        '',
      ].join('\n'),
    },
    {
      name: 'remote requirements file',
      content: '-r https://example.invalid/requirements-base.txt\n',
    },
    {
      name: 'credentials from environment',
      content:
        '--index-url https://${PIP_USER}:${PIP_TOKEN}@pypi.example.invalid/simple\n',
    },
    {
      name: 'arbitrary equality pin',
      content: 'legacy-lib===1.0-custom\n',
    },
    {
      name: 'PEP 440 version forms',
      content: [
        'a==1!2.0.post1.dev3',
        'b==1.0rc1',
        'c>=1.0a1',
        'd==2.3.0+cpu',
        'e!=1.0.*',
        'f~=1.4.2',
        'g<=v2.0',
        'h==1.0-1',
        '',
      ].join('\n'),
    },
    {
      name: 'CRLF line endings',
      content: 'requests==2.32.3\r\nurllib3==2.2.2\r\n',
    },
    {
      name: 'inline comment after requirement',
      content: 'requests==2.32.3  # HTTP client\n',
    },
    {
      name: 'hash sign inside URL',
      content: 'lib @ https://example.invalid/lib-1.0.tar.gz#egg=lib\n',
    },
    {
      name: 'continuation with hashes',
      content: [
        'requests==2.32.3 \\',
        `    --hash=sha256:${SHA256_A} \\`,
        `    --hash=sha256:${SHA256_B}`,
        'urllib3==2.2.2 \\',
        `    --hash=sha256:${SHA256_B}`,
        '',
      ].join('\n'),
    },
    {
      name: 'hashed URL requirement',
      content: `lib @ https://example.invalid/lib-1.0-py3-none-any.whl --hash=sha256:${SHA256_A}\n`,
    },
    {
      name: 'config settings on requirement',
      content: 'lib==1.0 --config-settings=editable_mode=compat\n',
    },
  ];

  test.each(valid)('accepts $name', ({ content }) => {
    const { problems } = check(content);

    expect(problems).toEqual([]);
  });

  test('counts requirements without hashes', () => {
    const result = check(
      '--index-url https://pypi.example.invalid/simple\n' +
        '-r base.txt\n' +
        'requests==2.32.3\n' +
        '-e git+https://example.invalid/lib.git#egg=lib\n' +
        'https://example.invalid/x-1.0-py3-none-any.whl\n',
    );

    expect(result.requirementCount).toBe(3);
    expect(result.allHashed).toBe(false);
  });

  test('reports all hashed requirements', () => {
    const result = check(
      `requests==2.32.3 --hash=sha256:${SHA256_A}\n` +
        `urllib3===2.2.2 --hash=sha256:${SHA256_B} --hash=sha256:${SHA256_A}\n`,
    );

    expect(result.problems).toEqual([]);
    expect(result.requirementCount).toBe(2);
    expect(result.allHashed).toBe(true);
  });

  test('empty file is not hashed', () => {
    const result = check('# nothing\n--require-hashes\n');

    expect(result.requirementCount).toBe(0);
    expect(result.allHashed).toBe(false);
  });

  test('one hashed requirement is not all', () => {
    const result = check(
      `requests==2.32.3 --hash=sha256:${SHA256_A}\nurllib3==2.2.2\n`,
    );

    expect(result.allHashed).toBe(false);
    expect(result.requirementCount).toBe(2);
  });

  test('names every unhashed line', () => {
    const { problems } = check(
      `a==1.0\nb==1.0 --hash=sha256:${SHA256_A}\nc==1.0\n`,
    );

    const wheres = problems.map((p) => p.where);
    expect(wheres).toEqual(['requirements.txt:1', 'requirements.txt:3']);
    expect(problems[0].value).toBe('a==1.0');
    expect(problems[1].value).toBe('c==1.0');
  });

  test('uses the given file name', () => {
    const { problems } = checkRequirements(
      Buffer.from('.\n'),
      'requirements/prod.txt',
    );

    expect(problems[0].where).toBe('requirements/prod.txt:1');
  });

  test('numbers lines after CR line endings', () => {
    // Python's str.splitlines() also breaks lines at a lone CR.
    const { problems } = check('requests\r.\r');

    expect(problems[0].where).toBe('requirements.txt:2');
  });

  test('masks credentials in reported values', () => {
    const { problems } = check(
      '--index-url https://deploy:s3cr3t@pypi.example.invalid/simple\n' +
        'lib @ git+https://ghp_abc123@github.com/acme/lib.git\n',
    );

    const values = problems.map((p) => p.value).join('\n');
    expect(values).not.toContain('s3cr3t');
    expect(values).not.toContain('ghp_abc123');
    expect(values).toContain('https://deploy:****@pypi.example.invalid/simple');
    expect(values).toContain('git+https://****@github.com/acme/lib.git');
  });
});

describe('checkRequirements encodings', () => {
  const encoded: {
    name: string;
    content: Buffer;
    message: string;
  }[] = [
    {
      name: 'UTF-8 byte order mark',
      content: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('requests==2.32.3\n'),
      ]),
      message:
        'The file starts with a UTF-8 byte-order mark, which pip skips but ' +
        'tools that read it as plain UTF-8, such as setuptools, take as part ' +
        'of the first requirement. Re-save it as UTF-8 without a byte-order mark',
    },
    {
      name: 'UTF-16LE with BOM',
      content: Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('requests==2.32.3\n', 'utf16le'),
      ]),
      message: 'The file is UTF-16. pip decodes it by its byte-order mark',
    },
    {
      name: 'UTF-16BE with BOM',
      content: Buffer.concat([
        Buffer.from([0xfe, 0xff]),
        Buffer.from('requests==2.32.3\n', 'utf16le').swap16(),
      ]),
      message: 'iconv -f UTF-16 -t UTF-8',
    },
    {
      name: 'UTF-16LE without BOM',
      content: Buffer.from('requests==2.32.3\n', 'utf16le'),
      message:
        'The file contains NUL bytes, so it is probably UTF-16LE without a ' +
        'byte-order mark, and pip rejects its first requirement.',
    },
    {
      name: 'UTF-16BE without BOM',
      content: Buffer.from('requests==2.32.3\n', 'utf16le').swap16(),
      message: 'iconv -f UTF-16BE -t UTF-8',
    },
    {
      name: 'UTF-32 with BOM',
      content: Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0, 0, 0]),
      message: 'The file is UTF-32',
    },
    {
      name: 'Latin-1 comment',
      content: Buffer.from('# caf\xe9\nrequests\n', 'latin1'),
      message: 'This line is not valid UTF-8',
    },
  ];

  test.each(encoded)('rejects $name', ({ content, message }) => {
    const { problems } = checkRequirements(content);

    expect(problems[0]).toEqual(
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining(message),
      }),
    );
  });

  test('checks lines after a BOM', () => {
    const content = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('requests==2.32.3\n.\n', 'utf16le'),
    ]);

    const result = checkRequirements(content);

    expect(result.requirementCount).toBe(2);
    expect(result.problems.map((p) => p.where)).toEqual([
      'requirements.txt',
      'requirements.txt:2',
    ]);
  });

  test('shows NUL bytes in value', () => {
    const content = Buffer.from('ab\n', 'utf16le');

    const { problems } = checkRequirements(content);

    expect(problems[0].value).toBe('a\u0000b\u0000');
    expect(formatProblems(problems)).toContain('"a\\u0000b\\u0000"');
  });

  test('reports Latin-1 line number', () => {
    const content = Buffer.from('requests\n# caf\xe9\n', 'latin1');

    const { problems } = checkRequirements(content);

    expect(problems[0].where).toBe('requirements.txt:2');
  });

  test('honours a coding declaration', () => {
    const content = Buffer.from(
      '# -*- coding: latin1 -*-\n# caf\xe9\nrequests\n',
      'latin1',
    );

    const result = checkRequirements(content);

    expect(result.problems).toEqual([]);
    expect(result.requirementCount).toBe(1);
  });
});

describe('formatProblems', () => {
  test('counts and lists problems', () => {
    const text = formatProblems([
      {
        severity: 'error',
        where: 'imageName',
        value: 'Api',
        message: 'Use lowercase.',
      },
      {
        severity: 'warning',
        where: 'requirements.txt:3',
        value: '-r a.txt',
        message: 'Copy it.',
      },
    ]);

    expect(text).toBe(
      '2 problems (1 error, 1 warning):\n' +
        'imageName: invalid value "Api": Use lowercase.\n' +
        'requirements.txt:3: invalid value "-r a.txt": Copy it.',
    );
  });

  test('uses singular for one problem', () => {
    const text = formatProblems([
      { severity: 'warning', where: 'x', value: 'y', message: 'z' },
    ]);

    expect(text.split('\n')[0]).toBe('1 problem (0 errors, 1 warning):');
  });

  test('returns empty text without problems', () => {
    expect(formatProblems([])).toBe('');
  });

  test.each([
    {
      name: 'byte order mark',
      value: '\ufeffrequests',
      shown: '"\\ufeffrequests"',
    },
    { name: 'tab and newline', value: 'a\tb\n', shown: '"a\\tb\\n"' },
    { name: 'DEL character', value: 'a\u007f', shown: '"a\\u007f"' },
    { name: 'zero width space', value: 'a\u200bb', shown: '"a\\u200bb"' },
    { name: 'quotes and backslashes', value: 'a"b\\c', shown: '"a\\"b\\\\c"' },
  ])('escapes $name', ({ value, shown }) => {
    const text = formatProblems([
      { severity: 'error', where: 'w', value, message: 'm' },
    ]);

    expect(text.split('\n')[1]).toBe(`w: invalid value ${shown}: m`);
  });
});
