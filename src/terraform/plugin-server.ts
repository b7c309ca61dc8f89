/**
 * The go-plugin side of a Terraform provider, for the stand-in providers: a
 * gRPC server (HTTP/2 over a unix socket, built on Node's own http2 module,
 * plaintext) that answers unary calls through a handler table, plus the two
 * services go-plugin itself calls (health, controller).
 */
import * as fs from 'fs';
import * as http2 from 'http2';

/** A unary gRPC method: request message bytes in, response message bytes out. */
export type UnaryHandler = (request: Buffer) => Buffer | Promise<Buffer>;

/** gRPC status codes used here. */
const UNIMPLEMENTED = 12;
const INTERNAL = 13;

/** Frames a message with gRPC's 5-byte prefix (uncompressed). */
function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/**
 * Serves `handlers` (keyed by `/package.Service/Method`) on a unix socket and
 * resolves once it listens. Terraform reaches it through `TF_REATTACH_PROVIDERS`
 * (go-plugin's reattach mode, as for provider debugging): the process outlives
 * every terraform command, so go-plugin's `Shutdown` is acknowledged and ignored.
 */
export async function listenPlugin(
  socket: string,
  handlers: Record<string, UnaryHandler>,
  log: (line: string) => void = () => undefined,
): Promise<http2.Http2Server> {
  const all: Record<string, UnaryHandler> = {
    '/grpc.health.v1.Health/Check': () => Buffer.from([0x08, 0x01]), // status: SERVING
    '/plugin.GRPCController/Shutdown': () => Buffer.alloc(0),
    ...handlers,
  };
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const method = String(headers[':path']);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', () => undefined);
    stream.on('end', () => {
      const handler = all[method];
      const reply = (status: number, message?: Buffer, error?: string) => {
        if (stream.destroyed) return;
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => {
          const trailers: Record<string, string> = { 'grpc-status': String(status) };
          if (error) trailers['grpc-message'] = encodeURIComponent(error);
          stream.sendTrailers(trailers);
        });
        stream.end(message ? frame(message) : undefined);
      };
      if (!handler) return reply(UNIMPLEMENTED, undefined, `${method} is not implemented by the stand-in provider`);
      const body = Buffer.concat(chunks);
      const request = body.length >= 5 ? body.subarray(5, 5 + body.readUInt32BE(1)) : Buffer.alloc(0);
      Promise.resolve()
        .then(() => handler(request))
        .then((response) => reply(0, response))
        .catch((err: Error) => {
          log(`${method} failed: ${err.stack ?? err.message}`);
          reply(INTERNAL, undefined, err.message);
        });
    });
  });
  server.on('session', (session) => session.on('error', () => undefined));
  fs.rmSync(socket, { force: true });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return server;
}
