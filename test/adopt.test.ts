import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ADOPT_FIXTURES,
  adopt,
  copyFixture,
  instructionSequence,
  onlyBackupFolder,
} from './support/adopt';
import { runCommand } from './support/exec';
import { makeTempDir } from './support/synth';

interface FixtureCase {
  /** The folder under test/fixtures/adopt/. */
  readonly fixture: string;
  /** Options that `.projenrc.ts` must record with these values. */
  readonly options: Record<string, unknown>;
  /** Options that `.projenrc.ts` must leave out, so their defaults apply. */
  readonly absent?: readonly string[];
  /** Whether the old Dockerfile's instruction sequence is kept. */
  readonly keepsSequence: boolean;
  /** Targets of the old Makefile to run after adoption, and a line each prints. */
  readonly targets: Readonly<Record<string, string>>;
  /** Text the report must contain. */
  readonly report?: readonly string[];
}

const ANALYZER_SCRIPTS = ['analyzer-api', 'analyzer-db'];

const CASES: readonly FixtureCase[] = [
  {
    fixture: 'recipe-2019',
    options: {
      name: 'analyzer',
      moduleName: 'analyzer',
      pythonVersion: '3.8',
      builderImage: 'snakepacker/python:all',
      runtimeImage: 'snakepacker/python:3.8',
      builderStageName: 'builder',
      runtimeStageName: 'api',
      venvPath: '/usr/share/python3/app',
      consoleScripts: ANALYZER_SCRIPTS,
      defaultCommand: 'analyzer-api',
      nonRootUser: false,
      imageName: 'analyzer',
      registryNamespace: 'acme',
    },
    absent: ['registry', 'defaultCommandArgs', 'runtimePackages'],
    keepsSequence: true,
    targets: {
      lint: 'lint: would run pylama',
      postgres: 'postgres: would start analyzer-postgres',
      test: 'test: would run pytest for analyzer',
      devenv: 'devenv: would create env/',
      all: '  upload ',
    },
    report: ['nonRootUser', 'registry: none found in the Makefile'],
  },
  {
    fixture: 'python310-renamed',
    options: {
      pythonVersion: '3.10',
      runtimeImage: 'snakepacker/python:3.10',
      consoleScripts: ANALYZER_SCRIPTS,
      defaultCommand: 'analyzer-api',
      defaultCommandArgs: ['--port', '8080', '--log-level', 'info'],
      imageName: 'analyzer',
      registry: 'registry.example.com:5000',
      registryNamespace: 'acme',
    },
    keepsSequence: true,
    targets: {
      lint: 'lint: would run pylama',
      test: 'test: would run pytest for analyzer',
    },
  },
  {
    fixture: 'custom-venv',
    options: {
      pythonVersion: '3.11',
      builderImage: 'python:3.11',
      runtimeImage: 'python:3.11-slim',
      builderStageName: 'build',
      runtimeStageName: 'runtime',
      venvPath: '/opt/service/venv',
      consoleScripts: ANALYZER_SCRIPTS,
      defaultCommand: 'analyzer-db',
      imageName: 'analyzer-reports',
      registry: 'registry.example.com',
    },
    // The apt step is not in the recipe's form, so the escape hatch keeps it.
    absent: ['runtimePackages', 'registryNamespace'],
    keepsSequence: true,
    targets: { lint: 'lint: would run flake8' },
    report: ['ENV TZ=UTC', 'apt-get install -y libpq5'],
  },
  {
    fixture: 'dashed-pyproject',
    options: {
      name: 'acme-report-service',
      moduleName: 'acme_report_service',
      pythonVersion: '3.12',
      consoleScripts: ['acme-report'],
      defaultCommand: 'acme-report',
      nonRootUser: true,
      runtimeUser: 'reports',
      imageName: 'acme-report-service',
      registry: 'ghcr.io',
      registryNamespace: 'acme',
    },
    keepsSequence: true,
    targets: { test: 'test: would run pytest' },
  },
  {
    fixture: 'crlf-requirements',
    options: { pythonVersion: '3.8', consoleScripts: ANALYZER_SCRIPTS },
    keepsSequence: true,
    targets: { lint: 'lint: would run pylama' },
  },
  {
    fixture: 'no-dockerfile',
    options: { name: 'analyzer', consoleScripts: ANALYZER_SCRIPTS },
    absent: ['pythonVersion', 'nonRootUser', 'defaultCommand'],
    keepsSequence: false,
    targets: { lint: 'lint: would run pylama', test: 'test: would run pytest' },
    report: [
      'Dockerfile: none found, so the recipe is generated with its defaults',
    ],
  },
  {
    fixture: 'single-stage',
    options: {
      runtimeImage: 'python:3.10-slim',
      pythonVersion: '3.10',
      defaultCommand: 'analyzer-api',
      nonRootUser: false,
    },
    absent: ['builderImage', 'builderStageName'],
    keepsSequence: false,
    targets: { lint: 'lint: would run pylama' },
    report: [
      'one stage',
      'WORKDIR /app | COPY . . | RUN pip install -r requirements.txt && pip install .',
    ],
  },
];

/** Reads the options object that `.projenrc.ts` passes to the project. */
function recordedOptions(dir: string): Record<string, unknown> {
  const text = fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf8');
  const body = /new PythonServiceProject\((\{[\s\S]*?\n\})\);/.exec(text);
  if (body === null) {
    throw new Error(
      `No PythonServiceProject options in ${dir}/.projenrc.ts:\n${text}`,
    );
  }
  return new Function(`return ${body[1]};`)() as Record<string, unknown>;
}

const root = makeTempDir('pyservice-adopt-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each(CASES)('adopt $fixture', (testCase) => {
  let original: string;
  let dir: string;
  let output: string[];

  beforeAll(() => {
    // An untouched copy to compare with, and the one adoption changes.
    original = copyFixture(testCase.fixture, path.join(root, 'original'));
    dir = copyFixture(testCase.fixture, path.join(root, 'adopted'));
    const result = adopt(dir);
    output = result.output;
    expect(
      result.outcomes.map((o) => o.status),
      output.join('\n'),
    ).toEqual(['adopted']);
  });

  test('records the inferred options', () => {
    const recorded = recordedOptions(dir);
    expect(recorded).toMatchObject(testCase.options);
    for (const option of testCase.absent ?? []) {
      expect(recorded, option).not.toHaveProperty(option);
    }
  });

  test('keeps the instruction sequence', () => {
    const generated = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const sequence = instructionSequence(generated);
    if (testCase.keepsSequence) {
      const old = fs.readFileSync(path.join(original, 'Dockerfile'), 'utf8');
      expect(sequence).toEqual(instructionSequence(old));
    } else {
      expect(sequence.filter((line) => line.startsWith('FROM '))).toHaveLength(
        2,
      );
    }
    expect(generated).toContain('Generated by projen');
  });

  test('backs up replaced files byte for byte', () => {
    const backups = onlyBackupFolder(dir);
    for (const file of [
      'Dockerfile',
      'Makefile',
      '.dockerignore',
      '.gitignore',
    ]) {
      const originalFile = path.join(original, file);
      if (!fs.existsSync(originalFile)) {
        expect(fs.existsSync(path.join(dir, backups, file)), file).toBe(false);
        continue;
      }
      const backup = fs.readFileSync(path.join(dir, backups, file));
      expect(backup.equals(fs.readFileSync(originalFile)), file).toBe(true);
      expect(output.join('\n'), file).toContain(file);
    }
    expect(output.join('\n')).toContain(backups);
  });

  test('keeps requirements.txt unchanged', () => {
    const kept = fs.readFileSync(path.join(dir, 'requirements.txt'));
    expect(
      kept.equals(fs.readFileSync(path.join(original, 'requirements.txt'))),
    ).toBe(true);
  });

  test('runs the old make targets', async () => {
    for (const [target, expected] of Object.entries(testCase.targets)) {
      const { stdout } = await runCommand(
        'make',
        ['--no-print-directory', target],
        { cwd: dir },
      );
      expect(stdout, target).toContain(expected);
    }
  });

  test('reports what it could not infer', () => {
    const report = fs.readFileSync(
      path.join(dir, onlyBackupFolder(dir), 'adopt-report.txt'),
      'utf8',
    );
    for (const text of testCase.report ?? []) {
      expect(report, text).toContain(text);
    }
  });
});

describe('adopted .gitignore', () => {
  test('keeps the old patterns', () => {
    const dir = copyFixture('recipe-2019', makeTempDir('pyservice-gitignore-'));
    try {
      adopt(dir);
      const gitignore = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
      for (const pattern of ['env/', '*.pyc', '.coverage']) {
        expect(gitignore, pattern).toMatch(
          new RegExp(`^${pattern.replace(/[.*]/g, '\\$&')}$`, 'm'),
        );
      }
      expect(fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf8')).toContain(
        'project.gitignore.addPatterns("env/", "*.pyc", ".coverage");',
      );
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('apt step in the recipe form', () => {
  test('maps to runtimePackages', () => {
    const dir = copyFixture('custom-venv', makeTempDir('pyservice-apt-'));
    try {
      const dockerfile = path.join(dir, 'Dockerfile');
      const text = fs
        .readFileSync(dockerfile, 'utf8')
        .replace(/^RUN apt-get update.*\n.*\n/m, '')
        .replace(
          /^COPY --from=build/m,
          'RUN apt-get update \\\n    && apt-get install -y --no-install-recommends libpq5 tzdata \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY --from=build',
        );
      fs.writeFileSync(dockerfile, text);

      adopt(dir);

      const projenrc = fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf8');
      expect(projenrc).toContain('runtimePackages: ["libpq5", "tzdata"]');
      expect(projenrc).not.toContain('apt-get');
      const generated = fs.readFileSync(dockerfile, 'utf8');
      expect(instructionSequence(generated)).toEqual(instructionSequence(text));
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('adopted Makefile aliases', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyFixture('python310-renamed', makeTempDir('pyservice-alias-'));
    adopt(dir);
  });
  afterAll(() =>
    fs.rmSync(path.dirname(dir), { recursive: true, force: true }),
  );

  test('docker_build runs the generated docker', async () => {
    const { stdout } = await runCommand(
      'make',
      ['--no-print-directory', '-n', 'docker_build', 'VERSION=1.2.3'],
      { cwd: dir },
    );
    expect(stdout).toMatch(
      /^docker build .*--target=api -t analyzer:1\.2\.3 \.$/m,
    );
  });

  test('docker_upload pushes to the registry', async () => {
    const { stdout } = await runCommand(
      'make',
      [
        '--no-print-directory',
        '-n',
        'docker_upload',
        'VERSION=1.2.3',
        'PUSH_LATEST=never',
      ],
      { cwd: dir },
    );
    expect(stdout).toContain(
      'docker push  registry.example.com:5000/acme/analyzer:1.2.3',
    );
  });
});

describe('crlf-requirements fixture', () => {
  test('has CRLF line endings', () => {
    const text = fs.readFileSync(
      path.join(ADOPT_FIXTURES, 'crlf-requirements', 'requirements.txt'),
      'utf8',
    );
    expect(text).toContain('\r\n');
    expect(text).toContain('; sys_platform != "win32"');
  });
});
