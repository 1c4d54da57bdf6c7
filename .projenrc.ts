import { cdk, javascript, TextFile } from 'projen';

const project = new cdk.JsiiProject({
  name: 'projen-python-service',
  description:
    'A projen project type for Python service repositories: a two-stage Dockerfile, a Makefile with an upload target and requirements.txt, kept in sync with a typed .projenrc.ts.',
  author: 'projen-python-service authors',
  authorAddress: 'dev@example.com',
  repositoryUrl: 'https://example.com/projen-python-service.git',
  defaultReleaseBranch: 'main',
  keywords: ['projen', 'python', 'docker', 'dockerfile', 'makefile'],
  license: 'Apache-2.0',
  minNodeVersion: '20.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  // Tests run with vitest and formatting with Prettier, so jest and ESLint
  // from the jsii template are switched off.
  jest: false,
  eslint: false,
  prettier: true,
  prettierOptions: {
    settings: { singleQuote: true, printWidth: 80, trailingComma: javascript.TrailingComma.ALL },
  },
  docgen: false,
  buildWorkflow: false,
  release: false,
  github: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  peerDeps: ['projen@^0.103.25', 'constructs@^10.0.0'],
  deps: [
    'yargs@^17.7.2',
    'fs-extra@^11.3.0',
    'dockerfile-ast@^0.7.1',
    'smol-toml@^1.3.0',
    'pip-requirements-js@^1.0.3',
  ],
  bundledDeps: [
    'yargs',
    'fs-extra',
    'dockerfile-ast',
    'smol-toml',
    'pip-requirements-js',
  ],
  devDeps: [
    'vitest@^4.1.0',
    'dockerfile-utils@^0.16.3',
    '@types/yargs@^17',
    '@types/fs-extra@^11',
    'tsx@^4.20.0',
  ],
  bin: { pyservice: 'bin/pyservice' },
  tsconfigDev: {
    compilerOptions: {},
    include: ['bench/**/*.ts', 'test/**/*.ts'],
    // The preset fixture is a package of its own, compiled by its test.
    exclude: ['fixtures'],
  },
  gitignore: ['/.tmp/', '/bench/results/'],
});

for (const pattern of ['/bench/', '/docs/', '/.ci/', '/vitest.config.mts']) {
  project.addPackageIgnore(pattern);
}

// jsii compiles src/ into lib/; vitest runs the TypeScript sources directly.
project.testTask.reset('vitest run --no-file-parallelism', {
  receiveArgs: true,
});

new TextFile(project, '.nvmrc', { lines: ['20'] });

project.synth();
