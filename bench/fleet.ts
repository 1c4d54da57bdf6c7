/**
 * Measures `pyservice sync` and `pyservice check` on 100 generated
 * repositories against `npx projen` run in each repository one after
 * another. Run with `npx tsx bench/fleet.ts [repositories] [runs]`; with the
 * defaults (100 and 3) it takes about 8 minutes on 2 cores.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packPackage } from '../test/support/pack';
import {
  copyRepositorySharingModules,
  createRepository,
  editProjenrc,
  PYSERVICE_BIN,
} from './support/fleet-setup';
import {
  describeMachine,
  formatMs,
  measureInTurns,
  saveResults,
  timeCommand,
} from './support/measure';

/** Every this many repositories, one gets a changed option. */
const VARIED_EVERY = 10;

function main(): void {
  const count = Number(process.argv[2] ?? 100);
  const runs = Number(process.argv[3] ?? 3);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pyservice-bench-fleet-'));
  try {
    console.log(`machine: ${describeMachine()}`);
    console.log(`${count} repositories, ${runs} runs per command\n`);
    const results = runBenchmark(root, count, runs);
    console.log(`\nresults: ${saveResults('fleet', results)}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function runBenchmark(root: string, count: number, runs: number) {
  const tarball = packPackage(path.join(root, 'pack'));
  // The template and the copies are at the same depth, because package.json
  // names the tarball by a relative path.
  const template = path.join(root, 'template', 'svc');
  createRepository(template, tarball, ['--image-name', 'svc']);
  const fleet = path.join(root, 'fleet');
  const repositories: string[] = [];
  for (let i = 0; i < count; i++) {
    const dir = path.join(fleet, `svc-${String(i).padStart(3, '0')}`);
    copyRepositorySharingModules(template, dir);
    repositories.push(dir);
  }
  const varied = repositories.filter((_, i) => i % VARIED_EVERY === 0);
  for (const dir of varied) {
    editProjenrc(
      dir,
      'imageName: "svc",',
      'imageName: "svc",\n  pythonVersion: "3.10",',
    );
  }

  // Each timed run first flips the Python version of the varied
  // repositories, so that every run of every command has the same work:
  // count - count/10 unchanged repositories and count/10 changed ones.
  let version = '3.10';
  const flipVariedOption = () => {
    const next = version === '3.10' ? '3.11' : '3.10';
    for (const dir of varied) {
      editProjenrc(
        dir,
        `pythonVersion: "${version}"`,
        `pythonVersion: "${next}"`,
      );
    }
    version = next;
  };
  const pyservice = (args: string[]) => () => {
    flipVariedOption();
    return timeCommand('node', [PYSERVICE_BIN, ...args, fleet], root, {
      allowFailure: true,
    });
  };
  const sequential = () => {
    flipVariedOption();
    let total = 0;
    for (const dir of repositories) {
      total += timeCommand('npx', ['projen'], dir);
    }
    return total;
  };

  const [sequentialRun, sync, check, syncSpawned] = measureInTurns(
    [
      {
        label: `npx projen in each of ${count}, one after another`,
        command: 'for each repository: cd <repository> && npx projen',
        run: sequential,
        warmUp: false,
      },
      {
        label: 'pyservice sync (2 jobs, in-process)',
        command: 'pyservice sync <fleet>',
        run: pyservice(['sync']),
      },
      {
        label: 'pyservice check (2 jobs, in-process)',
        command: 'pyservice check <fleet>',
        run: pyservice(['check']),
      },
      {
        label: 'pyservice sync --no-in-process (2 jobs)',
        command: 'pyservice sync --no-in-process <fleet>',
        run: pyservice(['sync', '--no-in-process']),
        warmUp: false,
      },
    ],
    runs,
  );

  const ratios = {
    syncToSequential: sync.medianMs / sequentialRun.medianMs,
    checkToSequential: check.medianMs / sequentialRun.medianMs,
    spawnedSyncToSequential: syncSpawned.medianMs / sequentialRun.medianMs,
  };
  console.log('\n-- ratios of medians');
  console.log(
    `sync / sequential npx projen:    ${ratios.syncToSequential.toFixed(3)} (target at most 0.1)`,
  );
  console.log(
    `check / sequential npx projen:   ${ratios.checkToSequential.toFixed(3)}`,
  );
  console.log(
    `sync --no-in-process / sequential: ${ratios.spawnedSyncToSequential.toFixed(3)}`,
  );
  console.log(
    `per repository: sequential ${formatMs(sequentialRun.medianMs / count)}, sync ${formatMs(sync.medianMs / count)}, check ${formatMs(check.medianMs / count)}`,
  );
  return {
    machine: describeMachine(),
    repositories: count,
    runs,
    measurements: [sequentialRun, sync, check, syncSpawned],
    ratios,
  };
}

main();
