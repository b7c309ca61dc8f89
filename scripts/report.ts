/**
 * `npm run report [outdir]`: prints the architecture report of a synthesized app
 * (default `cdktf.out`) as Markdown and writes `<outdir>/architecture.md` and
 * `<outdir>/architecture.json`. Offline: reads only the synthesized JSON.
 */
import * as path from 'path';
import { writeArchitectureReport } from '../src/report';

function main(argv: readonly string[]): number {
  const outdir = path.resolve(argv.find((a) => !a.startsWith('--')) ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  try {
    const { markdown, files } = writeArchitectureReport(outdir);
    process.stdout.write(markdown);
    process.stderr.write(`wrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`report: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
