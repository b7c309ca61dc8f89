/**
 * The stand-in provider host: one process serving every provider schema in
 * `<dir>/schemas/<name>.json` on `<dir>/<name>.sock`, for as long as its
 * parent keeps its stdin open (or until SIGTERM). When all sockets listen it
 * prints one line, `ready <TF_REATTACH_PROVIDERS JSON>`, for the harness to
 * hand to terraform. Usage: node standin-main.js <dir>
 */
import * as fs from 'fs';
import * as path from 'path';
import { listenPlugin } from './plugin-server';
import { standInHandlers } from './standin-provider';
import type { ProviderSchemaJson } from './provider-schema';

async function main(dir: string): Promise<void> {
  const logFile = process.env.PGM_STANDIN_LOG;
  const log = (line: string) => {
    if (logFile) fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  };
  const reattach: Record<string, unknown> = {};
  const servers: Array<{ close: () => void }> = [];
  for (const file of fs
    .readdirSync(path.join(dir, 'schemas'))
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const { source, schema } = JSON.parse(fs.readFileSync(path.join(dir, 'schemas', file), 'utf8')) as { source: string; schema: ProviderSchemaJson };
    const socket = path.join(dir, `${path.basename(file, '.json')}.sock`);
    servers.push(await listenPlugin(socket, standInHandlers(schema), log));
    reattach[source] = { Protocol: 'grpc', ProtocolVersion: 5, Pid: process.pid, Test: true, Addr: { Network: 'unix', String: socket } };
  }
  const stop = () => {
    for (const s of servers) s.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.stdout.write(`ready ${JSON.stringify(reattach)}\n`);
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: standin-main <dir with schemas/>\n');
  process.exit(2);
}
main(dir).catch((err: Error) => {
  process.stderr.write(`stand-in host: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
