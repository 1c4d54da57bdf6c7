import type { PythonServiceProject } from '../python-service-project';
import { applyDockerfileSteps, renderStepsAsCode } from './dockerfile-steps';
import type { DockerfileStep } from './dockerfile-steps';

/** The changes that `.projenrc.ts` records beyond the options. */
export interface ProjenrcExtras {
  readonly dockerfileSteps: readonly DockerfileStep[];
  readonly gitignorePatterns: readonly string[];
}

/**
 * Renders the `.projenrc.ts` of an adopted repository: the options, then
 * the old Dockerfile's steps that no option expresses and the old
 * `.gitignore` lines, as calls on the project.
 */
export function renderProjenrc(
  options: Readonly<Record<string, unknown>>,
  extras: ProjenrcExtras,
  importFrom: string,
  backupFolder: string,
): string {
  const lines = [
    `import { PythonServiceProject } from ${JSON.stringify(importFrom)};`,
    '',
    `// The options were inferred by adoption from the files that were here;`,
    `// the replaced files and the report are in ${backupFolder}/.`,
    'const project = new PythonServiceProject({',
    ...Object.entries(options)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `  ${key}: ${renderValue(value)},`),
    '});',
  ];
  if (extras.dockerfileSteps.length > 0) {
    lines.push(
      '',
      '// Steps of the old Dockerfile that no option expresses, kept in place.',
      ...renderStepsAsCode(extras.dockerfileSteps),
    );
  }
  if (extras.gitignorePatterns.length > 0) {
    lines.push(
      '',
      '// Lines of the old .gitignore.',
      `project.gitignore.addPatterns(${extras.gitignorePatterns.map((p) => JSON.stringify(p)).join(', ')});`,
    );
  }
  lines.push('', 'project.synth();', '');
  return lines.join('\n');
}

/**
 * Applies the same changes that {@link renderProjenrc} writes as code, for
 * a synthesis that runs in this process.
 */
export function applyProjenrcExtras(
  project: PythonServiceProject,
  extras: ProjenrcExtras,
): void {
  applyDockerfileSteps(project.dockerfile, extras.dockerfileSteps);
  if (extras.gitignorePatterns.length > 0) {
    project.gitignore.addPatterns(...extras.gitignorePatterns);
  }
}

/** Renders a JSON value as TypeScript, with a space after each array comma. */
function renderValue(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
  }
  return JSON.stringify(value);
}
