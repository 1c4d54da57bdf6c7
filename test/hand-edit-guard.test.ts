import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { Logger } from 'projen';
import { HASHES_FILE } from '../src/adopt/hand-edit-guard';
import { makeTempDir, readOut, synthProject } from './support/synth';

/** Synthesizes a project and returns the warnings its logger printed. */
function synthWithWarnings(dir: string): string[] {
  const warnings: string[] = [];
  const spy = vi
    .spyOn(Logger.prototype, 'warn')
    .mockImplementation((...text: unknown[]) => {
      warnings.push(text.map(String).join(' '));
    });
  try {
    synthProject(dir, { pythonVersion: '3.11' });
  } finally {
    spy.mockRestore();
  }
  return warnings;
}

function backupsOf(dir: string): string[] {
  const root = path.join(dir, '.pyservice', 'backups');
  if (!fs.existsSync(root)) {
    return [];
  }
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((entry) => fs.statSync(path.join(root, entry)).isFile())
    .map((entry) => path.join(root, entry));
}

describe('hand-edit guard', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('pyservice-guard-');
    synthProject(dir, { pythonVersion: '3.11' });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('records a hash per guarded file', () => {
    const recorded = JSON.parse(readOut(dir, HASHES_FILE)).sha256;
    expect(Object.keys(recorded).sort()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'Makefile',
    ]);
    expect(recorded.Dockerfile).toMatch(/^[0-9a-f]{64}$/);
  });

  test('unchanged files synthesize silently', () => {
    const warnings = synthWithWarnings(dir);
    expect(warnings.filter((w) => w.includes('changed by hand'))).toEqual([]);
    expect(backupsOf(dir)).toEqual([]);
  });

  test('saves a hand edit and warns', () => {
    const makefile = path.join(dir, 'Makefile');
    const generated = readOut(dir, 'Makefile');
    fs.chmodSync(makefile, 0o644);
    const edited = `${generated}\nhotfix:\n\t@echo edited by hand\n`;
    fs.writeFileSync(makefile, edited);

    const warnings = synthWithWarnings(dir);

    const backups = backupsOf(dir);
    expect(backups).toHaveLength(1);
    expect(path.basename(backups[0])).toBe('Makefile');
    expect(fs.readFileSync(backups[0], 'utf8')).toBe(edited);
    const warning = warnings.find((w) =>
      w.includes('Makefile was changed by hand'),
    );
    expect(warning).toBeDefined();
    expect(warning).toContain(path.relative(dir, backups[0]));
    expect(readOut(dir, 'Makefile')).toBe(generated);
  });

  test('saves a file projen did not write', () => {
    const fresh = makeTempDir('pyservice-guard-fresh-');
    try {
      fs.writeFileSync(path.join(fresh, '.dockerignore'), 'node_modules\n');
      const warnings = synthWithWarnings(fresh);
      const backups = backupsOf(fresh);
      expect(backups.map((b) => path.basename(b))).toEqual(['.dockerignore']);
      expect(fs.readFileSync(backups[0], 'utf8')).toBe('node_modules\n');
      expect(warnings.join('\n')).toContain(
        '.dockerignore was not written by projen',
      );
      expect(readOut(fresh, '.dockerignore')).toContain('!requirements.txt');
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
