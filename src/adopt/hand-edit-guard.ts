import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileBase, IResolver, Project } from 'projen';
import { backupFile, hasProjenMarker } from './backup';

/** The generated file that stores the hash of each guarded file. */
export const HASHES_FILE = '.projen/generated-hashes.json';

/** The files that the guard protects by default. */
export const GUARDED_FILES = ['Dockerfile', 'Makefile', '.dockerignore'];

/**
 * Saves a generated file that someone changed by hand before synthesis
 * writes it again, and warns with the backup's path.
 *
 * At each synthesis it records a SHA-256 hash of every guarded file in
 * `.projen/generated-hashes.json`. At the next one, before any file is
 * written, a guarded file whose hash differs (or that exists without
 * projen's marker and has no hash yet) is copied to
 * `.pyservice/backups/<UTC timestamp>/`. The guard must be created after
 * the files it guards, so that its own file is written after theirs.
 */
export class HandEditGuard extends FileBase {
  private readonly guarded: readonly string[];

  public constructor(
    project: Project,
    files: readonly string[] = GUARDED_FILES,
  ) {
    super(project, HASHES_FILE);
    this.guarded = files;
  }

  public preSynthesize(): void {
    super.preSynthesize();
    const recorded = this.readRecordedHashes();
    for (const file of this.guarded) {
      const absolute = path.join(this.project.outdir, file);
      if (!fs.existsSync(absolute)) {
        continue;
      }
      const expected = recorded[file];
      const reason =
        expected === undefined
          ? hasProjenMarker(absolute)
            ? undefined
            : 'was not written by projen'
          : hashFile(absolute) !== expected
            ? 'was changed by hand since the last synthesis'
            : undefined;
      if (reason === undefined) {
        continue;
      }
      const { backupPath, created } = backupFile(this.project.outdir, file);
      if (created) {
        this.project.logger.warn(
          `${file} ${reason}. The changed copy is saved as ${backupPath}, and ${file} is generated again. Make lasting changes in .projenrc.ts.`,
        );
      }
    }
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    const hashes: Record<string, string> = {};
    for (const file of this.guarded) {
      const absolute = path.join(this.project.outdir, file);
      if (fs.existsSync(absolute)) {
        hashes[file] = hashFile(absolute);
      }
    }
    return (
      JSON.stringify({ '//': this.marker, sha256: hashes }, undefined, 2) + '\n'
    );
  }

  private readRecordedHashes(): Record<string, string> {
    const file = path.join(this.project.outdir, HASHES_FILE);
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        sha256?: Record<string, string>;
      };
      return parsed.sha256 ?? {};
    } catch {
      return {};
    }
  }
}

function hashFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
