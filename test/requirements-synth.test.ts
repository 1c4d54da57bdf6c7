import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir, readOut, synthProject } from './support/synth';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Creates a project folder whose requirements.txt has the given bytes. */
function withRequirements(content: Buffer | string): string {
  const dir = path.join(makeTempDir('pyservice-requirements-'), 'analyzer');
  fs.mkdirSync(dir);
  dirs.push(path.dirname(dir));
  fs.writeFileSync(path.join(dir, 'requirements.txt'), content);
  return dir;
}

const HASH_A = `sha256:${'a'.repeat(64)}`;
const HASH_B = `sha256:${'b'.repeat(64)}`;

describe('requirements.txt at synth', () => {
  test('byte-order mark stops synthesis', () => {
    const dir = withRequirements(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('requests==2.32.3\n'),
      ]),
    );
    expect(() => synthProject(dir)).toThrow(/^requirements\.txt.*UTF-8/m);
    expect(fs.readdirSync(dir)).toEqual(['requirements.txt']);
  });

  test('UTF-16 stops synthesis', () => {
    const dir = withRequirements(
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('requests==2.32.3\n', 'utf16le'),
      ]),
    );
    expect(() => synthProject(dir)).toThrow(/UTF-16/);
  });

  test('self-reference stops synthesis', () => {
    const dir = withRequirements('requests==2.32.3\n-e .\n');
    expect(() => synthProject(dir)).toThrow(/^requirements\.txt:2: /m);
  });

  test('partial hashes stop synthesis', () => {
    const dir = withRequirements(
      `requests==2.32.3 --hash=${HASH_A}\nidna==3.7\n`,
    );
    expect(() => synthProject(dir)).toThrow(/^requirements\.txt:2: .*hash/im);
  });

  test('hashed requirements need exact pins', () => {
    const dir = withRequirements(`requests>=2 --hash=${HASH_A}\n`);
    expect(() => synthProject(dir)).toThrow(/==/);
  });

  test('full hashes switch on hash mode', () => {
    const dir = withRequirements(
      `requests==2.32.3 \\\n    --hash=${HASH_A}\nidna==3.7 --hash=${HASH_B}\n`,
    );
    synthProject(dir);
    const dockerfile = readOut(dir, 'Dockerfile');
    expect(dockerfile).toContain(
      'pip install --require-hashes -r /mnt/requirements.txt',
    );
    expect(dockerfile).toContain('pip install --no-deps /mnt/dist/*');
  });

  test('CRLF lines are accepted', () => {
    const content =
      '# pinned\r\nrequests==2.32.3\r\nidna==3.7 ; python_version < "3.13"\r\n';
    const dir = withRequirements(content);
    synthProject(dir);
    expect(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8')).toBe(
      content,
    );
    expect(readOut(dir, 'Dockerfile')).toContain(
      'pip install -Ur /mnt/requirements.txt',
    );
  });

  test('invalid line names its number', () => {
    const dir = withRequirements('requests==2.32.3\nnot a requirement!!\n');
    expect(() => synthProject(dir)).toThrow(/^requirements\.txt:2: /m);
  });
});
