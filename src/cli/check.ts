import type { CommandModule } from 'yargs';
import {
  FleetArguments,
  fleetOptions,
  runFleetCommand,
} from '../fleet/fleet-command';

/**
 * `pyservice check`: synthesizes each repository into a temporary copy and
 * fails when a generated file is out of date. It writes nothing.
 */
export const checkCommand: CommandModule<{}, FleetArguments> = {
  command: 'check [dirs..]',
  describe:
    "Exit non-zero when any repository's files differ from what synthesis produces; writes nothing",
  builder: fleetOptions,
  handler: (args) => runFleetCommand('check', args),
};
