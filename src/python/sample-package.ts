import * as path from 'node:path';
import { Project, SampleFile } from 'projen';
import type { ServiceConfig } from '../service-config';
import { listTemplateFiles, renderTemplate } from '../templates';

const SAMPLE_DIR = 'sample';
const MODULE_PLACEHOLDER = '__module__';

/**
 * Writes the minimal sample package: pyproject.toml declaring the console
 * scripts, and a module whose `api.main` each script runs. Each file is
 * written only when missing.
 */
export function addSamplePackage(
  project: Project,
  config: ServiceConfig,
): void {
  const scripts = config.consoleScripts
    .map((script) => `"${script}" = "${config.moduleName}.api:main"`)
    .join('\n');
  const values = {
    name: config.name,
    module: config.moduleName,
    pythonVersion: config.pythonVersion,
    scripts,
  };

  for (const file of listTemplateFiles(SAMPLE_DIR)) {
    const target = file
      .split(path.sep)
      .map((part) =>
        part === MODULE_PLACEHOLDER
          ? config.moduleName.replace(/\./g, '/')
          : part,
      )
      .join('/');
    new SampleFile(project, target, {
      contents: renderTemplate(path.join(SAMPLE_DIR, file), values),
    });
  }
}
