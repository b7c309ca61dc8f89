/**
 * Just enough Protocol Buffers (proto3 wire format) for the stand-in provider:
 * a writer for the messages it sends and a reader for the fields it receives.
 * No code generation and no dependency, so a provider process starts in tens of
 * milliseconds (terraform starts one per provider for every command).
 */

/** Wire types of the protobuf encoding. */
const VARINT = 0;
const LEN = 2;

/** Builds one message; nested messages are written with {@link ProtoWriter.message}. */
export class ProtoWriter {
  private readonly chunks: Buffer[] = [];

  /** A varint field (int64, bool, enum); zero is omitted as proto3 does. */
  varint(field: number, value: number | boolean): this {
    const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (n === 0) return this;
    this.tag(field, VARINT);
    this.rawVarint(n);
    return this;
  }

  /** A length-delimited field: string or bytes; empty values are omitted. */
  bytes(field: number, value: string | Uint8Array | undefined): this {
    if (value === undefined || value.length === 0) return this;
    const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    this.tag(field, LEN);
    this.rawVarint(data.length);
    this.chunks.push(data);
    return this;
  }

  /** A nested message field, written even when empty (presence matters for messages). */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    const data = inner.finish();
    this.tag(field, LEN);
    this.rawVarint(data.length);
    this.chunks.push(data);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(n: number): void {
    const out: number[] = [];
    let v = BigInt.asUintN(64, BigInt(n));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    this.chunks.push(Buffer.from(out));
  }
}

/** The fields of one decoded message: field number → raw values (varints as numbers, LEN as buffers). */
export type ProtoFields = Map<number, Array<number | Buffer>>;

/** Decodes the top level of a message; nested messages are decoded on demand with {@link readMessage} again. */
export function readMessage(data: Uint8Array): ProtoFields {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const fields: ProtoFields = new Map();
  let pos = 0;
  const varint = (): number => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const byte = buf[pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, result));
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: number | Buffer;
    if (wire === VARINT) value = varint();
    else if (wire === LEN) {
      const len = varint();
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`protobuf: unsupported wire type ${wire}`);
    const list = fields.get(field);
    if (list) list.push(value);
    else fields.set(field, [value]);
  }
  return fields;
}

/** The first LEN value of a field as a string ('' when absent). */
export function fieldString(fields: ProtoFields, field: number): string {
  const v = fields.get(field)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : '';
}

/** The first LEN value of a field as bytes (undefined when absent). */
export function fieldBytes(fields: ProtoFields, field: number): Buffer | undefined {
  const v = fields.get(field)?.[0];
  return Buffer.isBuffer(v) ? v : undefined;
}

/** The first varint of a field (0 when absent). */
export function fieldNumber(fields: ProtoFields, field: number): number {
  const v = fields.get(field)?.[0];
  return typeof v === 'number' ? v : 0;
}
