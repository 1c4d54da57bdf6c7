/** The CLI's one way to print: results to stdout, problems to stderr. */
export interface CliLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Writes to the process's stdout and stderr. */
export const consoleLogger: CliLogger = {
  info: (message) => process.stdout.write(`${message}\n`),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
  error: (message) => process.stderr.write(`error: ${message}\n`),
};
