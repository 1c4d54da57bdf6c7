import type { CommandModule } from 'yargs';
import {
  FleetArguments,
  fleetOptions,
  runFleetCommand,
} from '../fleet/fleet-command';

/** `pyservice sync`: synthesizes each repository and writes the files. */
export const syncCommand: CommandModule<{}, FleetArguments> = {
  command: 'sync [dirs..]',
  describe: 'Synthesize each repository again and report which files changed',
  builder: fleetOptions,
  handler: (args) => runFleetCommand('sync', args),
};
