/**
 * Runs an entry point so that bad input ends with a readable message and exit
 * code 1 instead of a stack trace from inside cdktf.
 */
import { InputError } from '../src/errors';

/** The run started by the last {@link runCli} call (lets `npm run synth` run an entry in-process and wait for it). */
export let lastRun: Promise<void> | undefined;

export function runCli(main: () => void | Promise<void>): Promise<void> {
  lastRun = Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof InputError) {
        process.stderr.write(`${error.message}\n`);
      } else if (error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"')) {
        // Policy pack (or construct) errors: the message lists each finding; the stack trace is cdktf's own.
        process.stderr.write(
          `Synth stopped by error annotations (see cdktf.out/policy-report.md for the policy pack):\n${error.message
            .split('\n')
            .filter((l) => l.startsWith('['))
            .join('\n')}\n`,
        );
      } else {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
      process.exitCode = 1;
    });
  return lastRun;
}
