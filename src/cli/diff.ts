import type { CommandModule } from 'yargs';
import {
  FleetArguments,
  fleetOptions,
  runFleetCommand,
} from '../fleet/fleet-command';

/**
 * `pyservice diff`: like `check`, and prints a unified diff of each file
 * that synthesis would change.
 */
export const diffCommand: CommandModule<{}, FleetArguments> = {
  command: 'diff [dirs..]',
  describe:
    'Show a unified diff of what synthesis would change in each repository; writes nothing',
  builder: fleetOptions,
  handler: (args) => runFleetCommand('diff', args),
};
