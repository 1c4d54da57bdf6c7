import type { CommandModule } from 'yargs';
import { UserError } from './errors';
import { consoleLogger } from './logger';
import { adoptRepositories } from '../adopt/adopt-repositories';
import { AdoptionError } from '../adopt/plan';

interface AdoptArguments {
  readonly dir?: string;
  readonly 'dry-run': boolean;
  readonly force: boolean;
  readonly install: boolean;
}

/** `pyservice adopt`: turns existing service repositories into projects. */
export const adoptCommand: CommandModule<{}, AdoptArguments> = {
  command: 'adopt [dir]',
  describe:
    'Infer the options of existing service repositories from their Dockerfile, Makefile and package metadata, write .projenrc.ts and generate the files, keeping every replaced file in .pyservice/backups/<UTC timestamp>/',
  builder: (yargs) =>
    yargs
      .positional('dir', {
        type: 'string',
        default: '.',
        describe: 'A repository, or a folder whose subfolders are repositories',
      })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe:
          'Print the inferred options and the planned file changes, and write nothing',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Adopt even when the git work tree has uncommitted changes',
      })
      .option('install', {
        type: 'boolean',
        default: true,
        describe:
          'Run npm install after synthesis, which installs projen, constructs, tsx and projen-python-service from the npm registry. With --no-install, package.json lists them and you run "npm install && npx projen" later.',
      }),
  handler: (args) => {
    try {
      const outcomes = adoptRepositories({
        cwd: process.cwd(),
        dir: args.dir,
        dryRun: args['dry-run'],
        force: args.force,
        install: args.install,
        logger: consoleLogger,
      });
      if (outcomes.some((outcome) => outcome.status === 'failed')) {
        process.exitCode = 1;
      }
    } catch (error) {
      if (error instanceof AdoptionError) {
        throw new UserError(error.message);
      }
      throw error;
    }
  },
};
