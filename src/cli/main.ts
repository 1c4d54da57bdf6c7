import yargs from 'yargs';
import { adoptCommand } from './adopt';
import { checkCommand } from './check';
import { diffCommand } from './diff';
import { UserError } from './errors';
import { consoleLogger } from './logger';
import { syncCommand } from './sync';

/**
 * Runs the `pyservice` command line. Each command lives in its own module;
 * this file only registers them.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const parser = yargs([...argv])
    .scriptName('pyservice')
    .usage('$0 <command> [options]')
    .command(adoptCommand)
    .command(syncCommand)
    .command(checkCommand)
    .command(diffCommand)
    .strict()
    .demandCommand(1, 'Name a command; see --help.')
    .recommendCommands()
    .help()
    .version(false)
    .fail((message, error, instance) => {
      if (error) {
        throw error;
      }
      consoleLogger.error(message);
      consoleLogger.info(instance.help().toString());
      process.exitCode = 2;
    });

  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof UserError) {
      consoleLogger.error(error.message);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
