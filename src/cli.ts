/**
 * Runs an entry point so that bad input ends with a readable message and exit
 * code 1 instead of a stack trace from inside cdktf.
 */
import { InputError } from './errors';

export function runCli(main: () => void | Promise<void>): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof InputError) {
        process.stderr.write(`${error.message}\n`);
      } else {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
      process.exitCode = 1;
    });
}
