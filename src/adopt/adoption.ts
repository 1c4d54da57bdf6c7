import * as fs from 'node:fs';
import * as path from 'node:path';
import { Component } from 'projen';
import { backupFile, backupFolder } from './backup';
import type { Finding } from './findings';
import { formatFindings } from './findings';
import type { AdoptionPlan } from './plan';
import { listReplacedFiles } from './plan';
import { applyProjenrcExtras, renderProjenrc } from './projenrc-file';
import { OWN_PACKAGE_NAME } from '../dev-dependencies';
import { LOCAL_MAKEFILE } from '../make/service-makefile';
import type { PythonServiceProject } from '../python-service-project';

/** The file in the backup folder that keeps the adoption report. */
export const REPORT_FILE = 'adopt-report.txt';

/** The outcome of an adoption, known after the project's preSynthesize. */
export interface AdoptionResult {
  /** The backup folder, relative to the project. */
  readonly backupFolder: string;
  /** The user's files that synthesis replaces, each saved in the backup folder. */
  readonly replacedFiles: readonly string[];
  /** Files that adoption itself wrote. */
  readonly writtenFiles: readonly string[];
  /** The report: findings, then the replaced and written files. */
  readonly report: readonly string[];
}

/** Settings of an {@link Adoption}. */
export interface AdoptionSettings {
  /** Log the report and each replaced file through the project's logger. */
  readonly logReport?: boolean;
  /**
   * Files without projen's marker that the caller itself wrote, such as
   * the package.json of `projen new`, so they are neither saved nor listed.
   */
  readonly notUserFiles?: readonly string[];
}

/**
 * Carries an adoption plan into a project's first synthesis.
 *
 * Before any file is generated, it saves every user file that synthesis
 * would replace and writes `.projenrc.ts` with the inferred options. It
 * also appends the old Makefile's own targets to Makefile.local, applies
 * the kept Dockerfile steps and writes the report next to the backups.
 */
export class Adoption extends Component {
  private _result?: AdoptionResult;

  public constructor(
    private readonly serviceProject: PythonServiceProject,
    private readonly plan: AdoptionPlan,
    /** The options written to `.projenrc.ts`, `name` included. */
    private readonly projenrcOptions: Readonly<Record<string, unknown>>,
    private readonly settings: AdoptionSettings = {},
  ) {
    super(serviceProject);
  }

  /** The outcome, or undefined until {@link run} has run. */
  public get result(): AdoptionResult | undefined {
    return this._result;
  }

  public preSynthesize(): void {
    this.run();
  }

  /**
   * Saves, writes and applies everything in the plan; later calls do
   * nothing. Synthesis calls it, and a caller that created this component
   * after the project (so after its hand-edit guard) calls it before
   * synthesis, so that the guard finds the files already saved.
   */
  public run(): void {
    if (this._result !== undefined) {
      return;
    }
    const project = this.serviceProject;
    const outdir = project.outdir;
    applyProjenrcExtras(project, this.plan);

    const localMakefile = path.join(outdir, LOCAL_MAKEFILE);
    const appendsLocal = this.plan.localMakefileText !== '';
    const notUserFiles = new Set(this.settings.notUserFiles ?? []);
    const replacedFiles = listReplacedFiles(
      project,
      appendsLocal && fs.existsSync(localMakefile) ? [LOCAL_MAKEFILE] : [],
    ).filter((file) => !notUserFiles.has(file));
    const folder = backupFolder(outdir);
    for (const file of replacedFiles) {
      backupFile(outdir, file);
    }

    const writtenFiles: string[] = [];
    const projenrc = path.join(outdir, '.projenrc.ts');
    if (!fs.existsSync(projenrc)) {
      fs.writeFileSync(
        projenrc,
        renderProjenrc(
          this.projenrcOptions,
          this.plan,
          OWN_PACKAGE_NAME,
          folder,
        ),
      );
      writtenFiles.push('.projenrc.ts');
    }
    if (appendsLocal) {
      const existing = fs.existsSync(localMakefile)
        ? fs.readFileSync(localMakefile, 'utf8')
        : '';
      const separator =
        existing === '' || existing.endsWith('\n\n')
          ? ''
          : existing.endsWith('\n')
            ? '\n'
            : '\n\n';
      fs.writeFileSync(
        localMakefile,
        existing + separator + this.plan.localMakefileText,
      );
      writtenFiles.push(LOCAL_MAKEFILE);
    }

    const report = formatReport(
      this.plan.findings,
      replacedFiles,
      folder,
      writtenFiles,
    );
    fs.mkdirSync(path.join(outdir, folder), { recursive: true });
    fs.writeFileSync(
      path.join(outdir, folder, REPORT_FILE),
      report.join('\n') + '\n',
    );
    this._result = {
      backupFolder: folder,
      replacedFiles,
      writtenFiles,
      report,
    };
    if (this.settings.logReport) {
      for (const line of report) {
        project.logger.info(line);
      }
      for (const file of replacedFiles) {
        project.logger.warn(
          `${file} is replaced; your version is saved as ${folder}/${file}.`,
        );
      }
    }
  }
}

/** Formats the adoption report: findings, then the file changes. */
export function formatReport(
  findings: readonly Finding[],
  replacedFiles: readonly string[],
  folder: string,
  writtenFiles: readonly string[],
): string[] {
  const lines = ['Inferred options and notes:', ...formatFindings(findings)];
  lines.push(
    replacedFiles.length > 0
      ? `Replaced files, each saved in ${folder}/: ${replacedFiles.join(', ')}`
      : 'Replaced files: none',
  );
  if (writtenFiles.length > 0) {
    lines.push(`Written by adoption: ${writtenFiles.join(', ')}`);
  }
  return lines;
}
