/**
 * Runs an entry point so that bad input ends with a readable message and exit
 * code 1 instead of a stack trace from inside cdktf.
 */
import * as path from 'path';
import { InputError } from '../src/errors';

/** Set by `npm run synth`: where a failed run's policy report is kept (the staging folder is removed). */
export const FAILED_REPORT_DIR_ENV = 'PGM_FAILED_REPORT_DIR';

/** The run started by the last {@link runCli} call (lets `npm run synth` run an entry in-process and wait for it). */
export let lastRun: Promise<void> | undefined;

export function runCli(main: () => void | Promise<void>): Promise<void> {
  lastRun = Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof InputError) {
        process.stderr.write(`${error.message}\n`);
      } else if (error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"')) {
        // Policy pack (or construct) errors: the message lists each finding of this run; the stack trace is cdktf's own.
        // The report named is this run's (npm run synth keeps a failed run's report beside the output it leaves alone).
        const reportDir = process.env[FAILED_REPORT_DIR_ENV] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
        process.stderr.write(
          `Synth stopped by error annotations (this run's policy report: ${path.join(reportDir, 'policy-report.md')}):\n${error.message
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
