import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasPythonPackage,
  normalizeDistributionName,
  PackageMetadata,
  PackageMetadataError,
  readPackageMetadata,
} from '../src/python/package-metadata';

const FIXTURES = path.join(__dirname, 'fixtures', 'python-packages');

/** Debian's interpreter, which has the `build` module. The first python3 on PATH lacks it. */
const SYSTEM_PYTHON = '/usr/bin/python3';

const temporaryDirs: string[] = [];

afterAll(() => {
  for (const dir of temporaryDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Creates a temporary folder that contains `files`, keyed by relative path. */
function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'package-metadata-'));
  temporaryDirs.push(dir);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

function readTree(files: Record<string, string>): PackageMetadata {
  const metadata = readPackageMetadata(writeTree(files));
  if (metadata === undefined) {
    throw new Error('expected package metadata, but none was read');
  }
  return metadata;
}

function catchError(action: () => unknown): PackageMetadataError {
  try {
    action();
  } catch (error) {
    if (error instanceof PackageMetadataError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a PackageMetadataError, but nothing was thrown');
}

const ANALYZER_SCRIPTS = [
  { name: 'analyzer-api', target: 'analyzer.api.__main__:main' },
  { name: 'analyzer-db', target: 'analyzer.db.__main__:main' },
];

const FIXTURE_FIELDS: Array<[string, keyof PackageMetadata, unknown]> = [
  ['analyzer-setup-py', 'source', 'setup.py'],
  ['analyzer-setup-py', 'distributionName', 'analyzer'],
  ['analyzer-setup-py', 'moduleName', 'analyzer'],
  ['analyzer-setup-py', 'version', '0.0.1'],
  ['analyzer-setup-py', 'versionSource', 'analyzer/__init__.py'],
  ['analyzer-setup-py', 'consoleScripts', ANALYZER_SCRIPTS],
  ['analyzer-setup-py', 'buildBackend', undefined],
  [
    'analyzer-setup-py',
    'unresolved',
    [
      "install_requires: setup.py computes it with a function call (load_requirements('requirements.txt'))",
    ],
  ],

  ['dashed-pyproject', 'source', 'pyproject.toml'],
  ['dashed-pyproject', 'distributionName', 'Acme-Report_Service'],
  ['dashed-pyproject', 'moduleName', 'acme_report_service'],
  ['dashed-pyproject', 'version', '1.4.0'],
  ['dashed-pyproject', 'versionSource', 'pyproject.toml'],
  [
    'dashed-pyproject',
    'consoleScripts',
    [{ name: 'acme-report', target: 'acme_report_service.cli:main' }],
  ],
  ['dashed-pyproject', 'buildBackend', 'setuptools.build_meta'],
  ['dashed-pyproject', 'unresolved', []],

  ['setup-cfg', 'source', 'setup.cfg'],
  ['setup-cfg', 'distributionName', 'svc'],
  ['setup-cfg', 'moduleName', 'svc'],
  ['setup-cfg', 'version', '2.1.0'],
  ['setup-cfg', 'versionSource', 'svc/__init__.py'],
  [
    'setup-cfg',
    'consoleScripts',
    [
      { name: 'svc-worker', target: 'svc.worker:main' },
      { name: 'svc-admin', target: 'svc.admin:run' },
    ],
  ],
  ['setup-cfg', 'buildBackend', undefined],
  ['setup-cfg', 'unresolved', []],

  ['dynamic-version', 'source', 'pyproject.toml'],
  ['dynamic-version', 'distributionName', 'ledger'],
  ['dynamic-version', 'moduleName', 'ledger'],
  ['dynamic-version', 'version', '3.0.0rc1'],
  ['dynamic-version', 'versionSource', 'ledger/__init__.py'],
  [
    'dynamic-version',
    'consoleScripts',
    [{ name: 'ledger-api', target: 'ledger.__main__:main' }],
  ],
  ['dynamic-version', 'buildBackend', 'setuptools.build_meta'],
  ['dynamic-version', 'unresolved', []],

  ['computed', 'source', 'setup.py'],
  ['computed', 'distributionName', undefined],
  ['computed', 'moduleName', undefined],
  ['computed', 'version', undefined],
  ['computed', 'versionSource', undefined],
  ['computed', 'consoleScripts', []],
  ['computed', 'buildBackend', undefined],
  [
    'computed',
    'unresolved',
    [
      'name: setup.py computes it with a function call (compute_name())',
      'version: setup.py computes it with a function call (compute_version())',
    ],
  ],
];

describe('fixture metadata', () => {
  const cache = new Map<string, PackageMetadata | undefined>();
  const read = (fixture: string) => {
    if (!cache.has(fixture)) {
      cache.set(fixture, readPackageMetadata(path.join(FIXTURES, fixture)));
    }
    return cache.get(fixture);
  };

  it.each(FIXTURE_FIELDS)('%s reads %s', (fixture, field, expected) => {
    expect(read(fixture)?.[field]).toEqual(expected);
  });

  it.each([
    'analyzer-setup-py',
    'dashed-pyproject',
    'setup-cfg',
    'dynamic-version',
    'computed',
  ])('%s is a Python package', (fixture) => {
    expect(hasPythonPackage(path.join(FIXTURES, fixture))).toBe(true);
  });
});

describe('normalizeDistributionName', () => {
  it.each([
    ['Acme-Report_Service', 'acme-report-service'],
    ['friendly.bard', 'friendly-bard'],
    ['FRIENDLY--_.Bard', 'friendly-bard'],
    ['analyzer', 'analyzer'],
    ['zope.interface', 'zope-interface'],
  ])('normalizes %s', (name, expected) => {
    expect(normalizeDistributionName(name)).toBe(expected);
  });
});

describe('hasPythonPackage', () => {
  it.each<[string, boolean, Record<string, string>]>([
    ['empty folder', false, {}],
    ['pyproject.toml', true, { 'pyproject.toml': '' }],
    ['setup.py', true, { 'setup.py': '' }],
    ['setup.cfg', true, { 'setup.cfg': '' }],
    ['top-level package', true, { 'worker/__init__.py': '' }],
    ['src package', true, { 'src/worker/__init__.py': '' }],
    ['folder without __init__.py', false, { 'worker/main.py': '' }],
    ['hidden package folder', false, { '.venv/__init__.py': '' }],
    ['node_modules package', false, { 'node_modules/__init__.py': '' }],
    ['nested package only', false, { 'a/b/__init__.py': '' }],
  ])('%s gives %s', (_layout, expected, files) => {
    expect(hasPythonPackage(writeTree(files))).toBe(expected);
  });

  it('rejects missing folder', () => {
    expect(
      hasPythonPackage(path.join(os.tmpdir(), 'no-such-folder-8c1f')),
    ).toBe(false);
  });
});

describe('readPackageMetadata without metadata', () => {
  it.each<[string, Record<string, string>]>([
    ['empty folder', {}],
    ['package folder only', { 'worker/__init__.py': '' }],
    [
      'pyproject without project',
      {
        'pyproject.toml':
          '[build-system]\nrequires = ["setuptools"]\n\n[tool.black]\nline-length = 88\n',
      },
    ],
    [
      'setup.cfg for tools only',
      { 'setup.cfg': '[flake8]\nmax-line-length = 88\n' },
    ],
  ])('returns undefined for %s', (_layout, files) => {
    expect(readPackageMetadata(writeTree(files))).toBeUndefined();
  });
});

describe('malformed input', () => {
  it('invalid TOML names file and line', () => {
    const dir = writeTree({
      'pyproject.toml': '[project]\nname = "svc"\nversion = 1.0.0\n',
    });
    const error = catchError(() => readPackageMetadata(dir));
    const file = path.join(dir, 'pyproject.toml');
    expect(error.file).toBe(file);
    expect(error.line).toBe(3);
    expect(error.message).toContain(file);
    expect(error.message).toContain('line 3');
  });

  it('wrong TOML type names key', () => {
    const dir = writeTree({ 'pyproject.toml': '[project]\nname = 3\n' });
    const error = catchError(() => readPackageMetadata(dir));
    expect(error.message).toContain('project.name must be a string');
  });

  it('setup.cfg key before section', () => {
    const dir = writeTree({ 'setup.cfg': 'name = svc\n[metadata]\n' });
    const error = catchError(() => readPackageMetadata(dir));
    expect(error.line).toBe(1);
    expect(error.message).toContain(path.join(dir, 'setup.cfg'));
  });

  it('setup.cfg duplicate key', () => {
    const dir = writeTree({
      'setup.cfg': '[metadata]\nname = svc\nversion = 1\nname = other\n',
    });
    const error = catchError(() => readPackageMetadata(dir));
    expect(error.line).toBe(4);
    expect(error.message).toContain("key 'name' appears twice in [metadata]");
  });

  it('setup.cfg line without delimiter', () => {
    const dir = writeTree({ 'setup.cfg': '[metadata]\nname svc\n' });
    const error = catchError(() => readPackageMetadata(dir));
    expect(error.line).toBe(2);
  });

  it('setup.cfg lone percent sign', () => {
    const dir = writeTree({ 'setup.cfg': '[metadata]\nname = 100%svc\n' });
    const error = catchError(() => readPackageMetadata(dir));
    expect(error.message).toContain('Write a literal % as %%');
  });

  it.each<[string, string, string]>([
    [
      'unterminated string',
      "from setuptools import setup\nsetup(name='svc, version='1.0')\n",
      'setup.py: unterminated string literal at line 2, so none of its metadata could be read',
    ],
    [
      'unterminated triple-quoted string',
      'from setuptools import setup\nDOC = """never closed\nsetup(name="svc")\n',
      'setup.py: unterminated string literal at line 2, so none of its metadata could be read',
    ],
    [
      'unclosed setup call',
      "from setuptools import setup\nsetup(\n    name='svc',\n",
      "setup.py: '(' at line 2 is never closed, so none of its metadata could be read",
    ],
    [
      'unexpected character',
      'from setuptools import setup\nsetup(name=$NAME)\n',
      "setup.py: unexpected character '$' at line 2, so none of its metadata could be read",
    ],
    [
      'missing setup call',
      'import setuptools\n',
      'setup.py: no setup() call was found, so it provides no metadata',
    ],
  ])('setup.py %s is unresolved', (_case, setupPy, expected) => {
    const metadata = readTree({ 'setup.py': setupPy });
    expect(metadata.unresolved).toEqual([expected]);
  });

  it('setup.py mismatched bracket is unresolved', () => {
    const metadata = readTree({
      'setup.py': "from setuptools import setup\nsetup(name='svc']\n",
    });
    expect(metadata.unresolved).toEqual([
      "setup.py: unexpected ']' at line 2 for '(' at line 2, so none of its metadata could be read",
    ]);
  });

  it('setup.py error keeps source', () => {
    const metadata = readTree({ 'setup.py': "setup(name='svc)\n" });
    expect(metadata.source).toBe('setup.py');
  });

  it('unparsable __init__.py is unresolved', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nsetup(name='svc', version=get_version(), packages=['svc'])\n",
      'svc/__init__.py': "__version__ = '1.0\n",
    });
    expect(metadata.unresolved).toEqual([
      'version: setup.py computes it with a function call (get_version()), ' +
        'and svc/__init__.py could not be parsed: unterminated string literal at line 1',
    ]);
  });
});

describe('setup.py literals', () => {
  it('reads triple-quoted name', () => {
    const metadata = readTree({
      'setup.py':
        'from setuptools import setup\nsetup(name="""svc""", version="1")\n',
    });
    expect(metadata.distributionName).toBe('svc');
  });

  it('joins adjacent string literals', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nsetup(name='svc', version='1.' \"2.3\")\n",
    });
    expect(metadata.version).toBe('1.2.3');
  });

  it('decodes escapes but not raw strings', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nsetup(name='s\\x76c', version=r'1\\n')\n",
    });
    expect(metadata.distributionName).toBe('svc');
    expect(metadata.version).toBe('1\\n');
  });

  it('reads CRLF line endings', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\r\nsetup(\r\n    name='svc',\r\n    version='1.1',\r\n)\r\n",
    });
    expect(metadata.version).toBe('1.1');
  });

  it('reads statements split by semicolons', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nNAME = 'svc'; VERSION = '0.5'\nsetup(name=NAME, version=VERSION)\n",
    });
    expect(metadata.distributionName).toBe('svc');
    expect(metadata.version).toBe('0.5');
  });

  it('reads backslash line continuation', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nVERSION = \\\n    '0.6'\nsetup(name='svc', version=VERSION)\n",
    });
    expect(metadata.version).toBe('0.6');
  });

  it('reports tuple version', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nsetup(name='svc', version=(1, 2))\n",
    });
    expect(metadata.unresolved).toEqual([
      'version: setup.py sets it to a list or tuple, not a string',
    ]);
  });

  it('reads top-level version variable', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nVERSION = '4.5.6'  # bumped by release\nsetup(name='svc', version=VERSION)\n",
    });
    expect(metadata.version).toBe('4.5.6');
    expect(metadata.versionSource).toBe('setup.py');
  });

  it('reads setuptools.setup call', () => {
    const metadata = readTree({
      'setup.py':
        "import setuptools\nsetuptools.setup(name='svc', version='2')\n",
    });
    expect(metadata.distributionName).toBe('svc');
  });

  it('ignores a setup function definition', () => {
    const metadata = readTree({
      'setup.py':
        'from setuptools import setup as _setup\n\ndef setup(name):\n    _setup(name=name)\n\n' +
        "setup(name='svc')\n",
    });
    expect(metadata.distributionName).toBe('svc');
  });

  it('reads entry_points tuple and comments', () => {
    const metadata = readTree({
      'setup.py': [
        'from setuptools import setup',
        'setup(',
        "    name='svc',",
        '    entry_points={',
        '        # Commands for the worker image.',
        "        'console_scripts': (",
        '            "svc-run=svc.cli:run",  # trailing comment',
        "            'svc-check = svc.cli : check [extras]',",
        '        ),',
        "        'gui_scripts': ['svc-gui = svc.gui:main'],",
        '    },',
        ')',
        '',
      ].join('\n'),
    });
    expect(metadata.consoleScripts).toEqual([
      { name: 'svc-run', target: 'svc.cli:run' },
      { name: 'svc-check', target: 'svc.cli:check' },
    ]);
  });

  it('reads entry_points INI string', () => {
    const metadata = readTree({
      'setup.py': [
        'from setuptools import setup',
        "setup(name='svc', entry_points='''",
        '    [console_scripts]',
        '    svc-run = svc.cli:run',
        "''')",
        '',
      ].join('\n'),
    });
    expect(metadata.consoleScripts).toEqual([
      { name: 'svc-run', target: 'svc.cli:run' },
    ]);
  });

  it('expands top-level dict spread', () => {
    const metadata = readTree({
      'setup.py': [
        'from setuptools import setup',
        'metadata = {',
        "    'name': 'svc',",
        "    'version': '0.3.0',",
        '}',
        'setup(**metadata)',
        '',
      ].join('\n'),
    });
    expect(metadata.distributionName).toBe('svc');
    expect(metadata.version).toBe('0.3.0');
    expect(metadata.unresolved).toEqual([]);
  });

  it('reports computed dict spread', () => {
    const metadata = readTree({
      'setup.py':
        "import json\nfrom setuptools import setup\nsetup(**json.load(open('meta.json')))\n",
    });
    expect(metadata.unresolved).toEqual([
      "setup.py: setup() receives **json.load(open('meta.json')), which is not a dict literal, " +
        'so fields set there are missing',
    ]);
  });

  it('reports computed console script', () => {
    const metadata = readTree({
      'setup.py': [
        'from setuptools import setup',
        "name = 'svc'",
        'setup(',
        '    name=name,',
        "    entry_points={'console_scripts': ['{0} = {0}.cli:main'.format(name)]},",
        ')',
        '',
      ].join('\n'),
    });
    expect(metadata.unresolved).toEqual([
      "entry_points: setup.py computes part of console_scripts with a function call ('{0} = {0}.cli:main'.format(name))",
    ]);
  });

  it('reports f-string name', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nkind = 'svc'\nsetup(name=f'{kind}-api')\n",
    });
    expect(metadata.unresolved).toEqual([
      "name: setup.py computes it with an f-string (f'{kind}-api')",
    ]);
  });

  it('reports variable assigned in block', () => {
    const metadata = readTree({
      'setup.py': [
        'import sys',
        'from setuptools import setup',
        'if sys.version_info >= (3, 8):',
        "    name = 'svc'",
        'else:',
        "    name = 'svc-legacy'",
        'setup(name=name)',
        '',
      ].join('\n'),
    });
    expect(metadata.unresolved).toEqual([
      'name: setup.py reads it from the variable name, which setup.py assigns inside a block at line 4',
    ]);
  });

  it('reports invalid script target', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nsetup(name='svc', entry_points={'console_scripts': ['svc = not a target']})\n",
    });
    expect(metadata.unresolved).toEqual([
      "console_scripts: setup.py entry_points has entries that are not of the form name = module:function ('svc = not a target')",
    ]);
  });

  it('reports computed extras_require', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nsetup(name='svc', extras_require={'dev': load('dev.txt')})\n",
    });
    expect(metadata.unresolved).toEqual([
      "extras_require: setup.py computes part of it with a function call (load('dev.txt'))",
    ]);
  });

  it('reports computed find_packages argument', () => {
    const metadata = readTree({
      'setup.py':
        "import os\nfrom setuptools import find_packages, setup\nsetup(name='svc', packages=find_packages(where=os.getcwd()))\n",
    });
    expect(metadata.unresolved).toEqual([
      'packages: setup.py computes the where argument with a function call (os.getcwd())',
    ]);
  });

  it('never runs setup.py', () => {
    const dir = writeTree({
      'setup.py':
        "from setuptools import setup\nopen('setup-ran.txt', 'w').close()\nsetup(name='svc')\n",
    });
    readPackageMetadata(dir);
    expect(fs.existsSync(path.join(dir, 'setup-ran.txt'))).toBe(false);
  });
});

describe('setup.py module and version', () => {
  it('names module from package list', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nsetup(name='svc', packages=['worker', 'worker.jobs'])\n",
    });
    expect(metadata.moduleName).toBe('worker');
  });

  it('finds packages under src', () => {
    const metadata = readTree({
      'setup.py': [
        'from setuptools import find_packages, setup',
        'setup(',
        "    name='svc',",
        "    package_dir={'': 'src'},",
        "    packages=find_packages(where='src', exclude=['tests', 'tests.*']),",
        ')',
        '',
      ].join('\n'),
      'src/tests/__init__.py': '',
      'src/worker/__init__.py': '',
    });
    expect(metadata.moduleName).toBe('worker');
  });

  it('falls back to distribution name', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nsetup(name='My-Service.Api')\n",
    });
    expect(metadata.moduleName).toBe('my_service_api');
  });

  it('reads version imported from package', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nfrom svc import __version__\nsetup(name='svc', version=__version__)\n",
      'svc/__init__.py': "__version__ = '5.0.1'\n",
    });
    expect(metadata.version).toBe('5.0.1');
    expect(metadata.versionSource).toBe('svc/__init__.py');
  });

  it('reads version attribute of import', () => {
    const metadata = readTree({
      'setup.py':
        "import setuptools\nimport svc.about as about\nsetuptools.setup(name='svc', version=about.VERSION)\n",
      'svc/__init__.py': '',
      'svc/about.py': "VERSION = '7.1'\n",
    });
    expect(metadata.version).toBe('7.1');
    expect(metadata.versionSource).toBe('svc/about.py');
  });

  it('reads version from named path', () => {
    const metadata = readTree({
      'setup.py': [
        'import os',
        'from setuptools import setup',
        'about = {}',
        "with open(os.path.join('svc', '_version.py')) as version_file:",
        '    exec(version_file.read(), about)',
        "setup(name='svc', version=about['__version__'])",
        '',
      ].join('\n'),
      'svc/__init__.py': '',
      'svc/_version.py': "__version__ = '0.9.0'\n",
    });
    expect(metadata.version).toBe('0.9.0');
    expect(metadata.versionSource).toBe('svc/_version.py');
  });

  it('joins version_info tuple', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nimport svc\nsetup(name='svc', version=svc.__version__)\n",
      'svc/__init__.py':
        "version_info = (1, 2, 3)\n__version__ = '.'.join(map(str, version_info))\n",
    });
    expect(metadata.version).toBe('1.2.3');
    expect(metadata.versionSource).toBe('svc/__init__.py');
  });

  it('reports unrelated computed __version__', () => {
    const metadata = readTree({
      'setup.py':
        "from setuptools import setup\nimport svc\nsetup(name='svc', version=svc.__version__)\n",
      'svc/__init__.py':
        "import importlib.metadata\nversion_info = (1, 2, 3)\n__version__ = importlib.metadata.version('svc')\n",
    });
    expect(metadata.version).toBeUndefined();
    expect(metadata.unresolved).toEqual([
      'version: setup.py reads it from an attribute (svc.__version__), and svc/__init__.py ' +
        "computes __version__ with a function call (importlib.metadata.version('svc'))",
    ]);
  });
});

describe('setup.cfg', () => {
  it('reads version file', () => {
    const metadata = readTree({
      'setup.cfg': '[metadata]\nname = svc\nversion = file: VERSION\n',
      VERSION: '1.8.0\n',
    });
    expect(metadata.version).toBe('1.8.0');
    expect(metadata.versionSource).toBe('VERSION');
  });

  it('rejects version file outside', () => {
    const metadata = readTree({
      'setup.cfg': '[metadata]\nname = svc\nversion = file: ../VERSION\n',
    });
    expect(metadata.unresolved).toEqual([
      'version: setup.cfg reads it from file: ../VERSION, but ../VERSION lies outside the package folder',
    ]);
  });

  it('reports missing attr module', () => {
    const metadata = readTree({
      'setup.cfg': '[metadata]\nname = svc\nversion = attr: svc.__version__\n',
    });
    expect(metadata.unresolved).toEqual([
      'version: setup.cfg reads it from attr: svc.__version__, but no file for module svc exists',
    ]);
  });

  it('reads attr through package_dir', () => {
    const metadata = readTree({
      'setup.cfg': [
        '[metadata]',
        'name = svc',
        'version = attr: svc.__version__',
        '',
        '[options]',
        'package_dir =',
        '    =src',
        'packages = find:',
        '',
        '[options.packages.find]',
        'where = src',
        '',
      ].join('\n'),
      'src/svc/__init__.py': '__version__ = "0.4.2"\n',
    });
    expect(metadata.version).toBe('0.4.2');
    expect(metadata.versionSource).toBe('src/svc/__init__.py');
    expect(metadata.moduleName).toBe('svc');
  });

  it('interpolates percent references', () => {
    const metadata = readTree({
      'setup.cfg':
        '[metadata]\nbase = svc\nname = %(base)s-api\nversion = 100%%\n',
    });
    expect(metadata.distributionName).toBe('svc-api');
    expect(metadata.version).toBe('100%');
  });

  it('keeps scripts across blank lines', () => {
    const metadata = readTree({
      'setup.cfg': [
        '[metadata]',
        'name = svc',
        '',
        '[options.entry_points]',
        'console_scripts =',
        '    svc-a = svc.a:main',
        '',
        '    ; comment inside the value',
        '    svc-b = svc.b:main',
        '',
      ].join('\n'),
    });
    expect(metadata.consoleScripts).toEqual([
      { name: 'svc-a', target: 'svc.a:main' },
      { name: 'svc-b', target: 'svc.b:main' },
    ]);
  });

  it('reads keys from DEFAULT section', () => {
    const metadata = readTree({
      'setup.cfg': '[DEFAULT]\nversion = 0.8\n\n[metadata]\nname = svc\n',
    });
    expect(metadata.version).toBe('0.8');
  });

  it('reads CRLF setup.cfg', () => {
    const metadata = readTree({
      'setup.cfg':
        '[metadata]\r\nname = svc\r\n\r\n[options.entry_points]\r\nconsole_scripts =\r\n    svc = svc.cli:main\r\n',
    });
    expect(metadata.consoleScripts).toEqual([
      { name: 'svc', target: 'svc.cli:main' },
    ]);
  });

  it('uses options without metadata section', () => {
    const metadata = readTree({
      'setup.cfg':
        '[options.entry_points]\nconsole_scripts =\n    svc = svc.cli:main\n',
      'setup.py': "from setuptools import setup\nsetup(name='svc')\n",
    });
    expect(metadata.source).toBe('setup.py');
    expect(metadata.consoleScripts).toEqual([
      { name: 'svc', target: 'svc.cli:main' },
    ]);
  });

  it('prefers setup.cfg over setup.py', () => {
    const metadata = readTree({
      'setup.cfg': '[metadata]\nname = svc\nversion = 1.0\n',
      'setup.py':
        "from setuptools import setup\nsetup(name=compute_name(), version='2.0')\n",
    });
    expect(metadata.source).toBe('setup.cfg');
    expect(metadata.version).toBe('1.0');
    expect(metadata.unresolved).toEqual([]);
  });
});

describe('pyproject.toml', () => {
  it('falls back to Poetry table', () => {
    const metadata = readTree({
      'pyproject.toml': [
        '[tool.poetry]',
        'name = "poetry-svc"',
        'version = "0.2.0"',
        '',
        '[tool.poetry.scripts]',
        'poetry-svc = "poetry_svc.main:run"',
        'legacy = { callable = "poetry_svc.legacy:run" }',
        '',
        '[build-system]',
        'build-backend = "poetry.core.masonry.api"',
        '',
      ].join('\n'),
    });
    expect(metadata.distributionName).toBe('poetry-svc');
    expect(metadata.version).toBe('0.2.0');
    expect(metadata.consoleScripts).toEqual([
      { name: 'poetry-svc', target: 'poetry_svc.main:run' },
      { name: 'legacy', target: 'poetry_svc.legacy:run' },
    ]);
    expect(metadata.buildBackend).toBe('poetry.core.masonry.api');
  });

  it('reports setuptools_scm version', () => {
    const metadata = readTree({
      'pyproject.toml': [
        '[build-system]',
        'requires = ["setuptools>=64", "setuptools_scm>=8"]',
        'build-backend = "setuptools.build_meta"',
        '',
        '[project]',
        'name = "svc"',
        'dynamic = ["version"]',
        '',
      ].join('\n'),
    });
    expect(metadata.versionSource).toBe('setuptools_scm');
    expect(metadata.unresolved).toEqual([
      'version: setuptools_scm derives it from git tags at build time',
    ]);
  });

  it('reads hatch version path', () => {
    const metadata = readTree({
      'pyproject.toml': [
        '[build-system]',
        'build-backend = "hatchling.build"',
        '',
        '[project]',
        'name = "svc"',
        'dynamic = ["version"]',
        '',
        '[tool.hatch.version]',
        'path = "src/svc/__about__.py"',
        '',
      ].join('\n'),
      'src/svc/__about__.py': '__version__ = "0.0.7"\n',
      'src/svc/__init__.py': '',
    });
    expect(metadata.version).toBe('0.0.7');
    expect(metadata.versionSource).toBe('src/svc/__about__.py');
    expect(metadata.moduleName).toBe('svc');
  });

  it('reads setuptools version file', () => {
    const metadata = readTree({
      'pyproject.toml':
        '[project]\nname = "svc"\ndynamic = ["version"]\n\n[tool.setuptools.dynamic]\nversion = { file = "VERSION.txt" }\n',
      'VERSION.txt': '3.3.3\n',
    });
    expect(metadata.version).toBe('3.3.3');
  });

  it('reports unconfigured dynamic version', () => {
    const metadata = readTree({
      'pyproject.toml': '[project]\nname = "svc"\ndynamic = ["version"]\n',
    });
    expect(metadata.unresolved).toEqual([
      'version: pyproject.toml lists it in [project] dynamic, but no [tool.setuptools.dynamic], ' +
        '[tool.hatch.version] or VCS plugin provides it',
    ]);
  });

  it('takes dynamic version from setup.py', () => {
    const metadata = readTree({
      'pyproject.toml': '[project]\nname = "svc"\ndynamic = ["version"]\n',
      'setup.py': "from setuptools import setup\nsetup(version='6.0')\n",
    });
    expect(metadata.version).toBe('6.0');
    expect(metadata.versionSource).toBe('setup.py');
    expect(metadata.unresolved).toEqual([]);
  });

  it('takes backend without project table', () => {
    const metadata = readTree({
      'pyproject.toml':
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
      'setup.cfg': '[metadata]\nname = svc\nversion = 1.0\n',
    });
    expect(metadata.source).toBe('setup.cfg');
    expect(metadata.buildBackend).toBe('setuptools.build_meta');
  });

  it('reports invalid script target', () => {
    const metadata = readTree({
      'pyproject.toml':
        '[project]\nname = "svc"\nversion = "1"\n\n[project.scripts]\nsvc = "svc/cli.py"\n',
    });
    expect(metadata.unresolved).toEqual([
      "console_scripts: pyproject.toml [project.scripts] has entries that are not of the form name = module:function ('svc = svc/cli.py')",
    ]);
  });

  it('names module from single folder', () => {
    const metadata = readTree({
      'pyproject.toml': '[project]\nname = "other-name"\nversion = "1"\n',
      'src/real_module/__init__.py': '',
      'tests/__init__.py': '',
    });
    expect(metadata.moduleName).toBe('real_module');
  });
});

describe('analyzer sdist build', () => {
  let copy: string;
  let distFiles: string[];

  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'analyzer-sdist-'));
    temporaryDirs.push(copy);
    fs.cpSync(path.join(FIXTURES, 'analyzer-setup-py'), copy, {
      recursive: true,
    });
    execFileSync(SYSTEM_PYTHON, ['-m', 'build', '--sdist', '--no-isolation'], {
      cwd: copy,
      stdio: 'pipe',
    });
    distFiles = fs.readdirSync(path.join(copy, 'dist'));
  });

  const readMember = (member: string) =>
    execFileSync(
      'tar',
      ['-xzOf', path.join(copy, 'dist', distFiles[0]), member],
      { encoding: 'utf8' },
    );

  it('builds exactly one sdist', () => {
    expect(distFiles).toEqual(['analyzer-0.0.1.tar.gz']);
  });

  it('sdist version matches metadata', () => {
    const pkgInfo = readMember('analyzer-0.0.1/PKG-INFO');
    const version = /^Version: (.+)$/m.exec(pkgInfo)?.[1];
    expect(version).toBe(readPackageMetadata(copy)?.version);
  });

  it('sdist scripts match metadata', () => {
    const entryPoints = readMember(
      'analyzer-0.0.1/analyzer.egg-info/entry_points.txt',
    );
    const lines = entryPoints
      .split('\n')
      .filter((line) => line.includes(' = '));
    const expected = (readPackageMetadata(copy)?.consoleScripts ?? []).map(
      (script) => `${script.name} = ${script.target}`,
    );
    expect(lines).toEqual(expected);
  });

  it('sdist includes requirements.txt', () => {
    expect(readMember('analyzer-0.0.1/requirements.txt')).toContain('aiohttp');
  });
});
