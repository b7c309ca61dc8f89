/**
 * Just enough MessagePack for Terraform's wire values (cty's msgpack encoding,
 * see Terraform's docs/plugin-protocol/object-wire-format.md): objects and maps
 * are msgpack maps, lists/sets/tuples arrays, numbers ints or float64, and an
 * unknown value is an extension (type 0, or 12 with refinements). Unknowns are
 * decoded to {@link Unknown} holding their exact bytes, so a value read from
 * terraform and sent back keeps its refinements byte for byte.
 */

/** An unknown ("known after apply") value. */
export class Unknown {
  /** The plain unknown: fixext1 of type 0 with a zero byte, as cty writes it. */
  static readonly PLAIN = new Unknown(Buffer.from([0xd4, 0, 0]));
  constructor(readonly raw: Buffer) {}
}

/** A decoded wire value. Buffers are msgpack `bin` (cty's DynamicPseudoType wrapper holds its type JSON in one). */
export type Value = null | boolean | number | string | Buffer | Unknown | Value[] | { [key: string]: Value };

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isObject(v: unknown): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Unknown);
}

export function encode(value: Value): Buffer {
  const out: Buffer[] = [];
  write(value, out);
  return Buffer.concat(out);
}

function header(out: Buffer[], bytes: number[]): void {
  out.push(Buffer.from(bytes));
}

function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function write(v: Value, out: Buffer[]): void {
  if (v === null || v === undefined) return header(out, [0xc0]);
  if (v === true) return header(out, [0xc3]);
  if (v === false) return header(out, [0xc2]);
  if (v instanceof Unknown) {
    out.push(v.raw);
    return;
  }
  if (typeof v === 'number') return writeNumber(v, out);
  if (typeof v === 'string') {
    const data = Buffer.from(v, 'utf8');
    const n = data.length;
    if (n < 32) header(out, [0xa0 | n]);
    else if (n < 0x100) header(out, [0xd9, n]);
    else if (n < 0x10000) header(out, [0xda, ...u16(n)]);
    else header(out, [0xdb, ...u32(n)]);
    out.push(data);
    return;
  }
  if (Buffer.isBuffer(v)) {
    const n = v.length;
    if (n < 0x100) header(out, [0xc4, n]);
    else if (n < 0x10000) header(out, [0xc5, ...u16(n)]);
    else header(out, [0xc6, ...u32(n)]);
    out.push(v);
    return;
  }
  if (Array.isArray(v)) {
    const n = v.length;
    if (n < 16) header(out, [0x90 | n]);
    else if (n < 0x10000) header(out, [0xdc, ...u16(n)]);
    else header(out, [0xdd, ...u32(n)]);
    for (const item of v) write(item, out);
    return;
  }
  const entries = Object.entries(v);
  const n = entries.length;
  if (n < 16) header(out, [0x80 | n]);
  else if (n < 0x10000) header(out, [0xde, ...u16(n)]);
  else header(out, [0xdf, ...u32(n)]);
  for (const [key, item] of entries) {
    write(key, out);
    write(item, out);
  }
}

function writeNumber(n: number, out: Buffer[]): void {
  if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) {
    if (n >= 0 && n < 128) return header(out, [n]);
    if (n < 0 && n >= -32) return header(out, [n & 0xff]);
    const b = Buffer.alloc(9);
    b[0] = 0xd3; // int64
    b.writeBigInt64BE(BigInt(n), 1);
    out.push(b);
    return;
  }
  const b = Buffer.alloc(9);
  b[0] = 0xcb; // float64
  b.writeDoubleBE(n, 1);
  out.push(b);
}

export function decode(data: Uint8Array): Value {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const state = { pos: 0 };
  const value = read(buf, state);
  if (state.pos !== buf.length) throw new Error(`msgpack: ${buf.length - state.pos} trailing bytes`);
  return value;
}

function read(buf: Buffer, s: { pos: number }): Value {
  const b = buf[s.pos++];
  if (b === undefined) throw new Error('msgpack: truncated value');
  if (b < 0x80) return b;
  if (b >= 0xe0) return b - 0x100;
  if ((b & 0xf0) === 0x80) return readMap(buf, s, b & 0x0f);
  if ((b & 0xf0) === 0x90) return readArray(buf, s, b & 0x0f);
  if ((b & 0xe0) === 0xa0) return readStr(buf, s, b & 0x1f);
  const take = (n: number): Buffer => {
    const out = buf.subarray(s.pos, s.pos + n);
    if (out.length !== n) throw new Error('msgpack: truncated value');
    s.pos += n;
    return out;
  };
  const ext = (len: number, start: number): Unknown => {
    const type = buf.readInt8(s.pos);
    s.pos += 1 + len;
    if (type !== 0 && type !== 12) throw new Error(`msgpack: unsupported extension type ${type}`);
    return new Unknown(Buffer.from(buf.subarray(start, s.pos)));
  };
  const start = s.pos - 1;
  switch (b) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      return Buffer.from(take(take(1).readUInt8(0)));
    case 0xc5:
      return Buffer.from(take(take(2).readUInt16BE(0)));
    case 0xc6:
      return Buffer.from(take(take(4).readUInt32BE(0)));
    case 0xc7:
      return ext(take(1).readUInt8(0), start);
    case 0xc8:
      return ext(take(2).readUInt16BE(0), start);
    case 0xc9:
      return ext(take(4).readUInt32BE(0), start);
    case 0xca:
      return take(4).readFloatBE(0);
    case 0xcb:
      return take(8).readDoubleBE(0);
    case 0xcc:
      return take(1).readUInt8(0);
    case 0xcd:
      return take(2).readUInt16BE(0);
    case 0xce:
      return take(4).readUInt32BE(0);
    case 0xcf:
      return Number(take(8).readBigUInt64BE(0));
    case 0xd0:
      return take(1).readInt8(0);
    case 0xd1:
      return take(2).readInt16BE(0);
    case 0xd2:
      return take(4).readInt32BE(0);
    case 0xd3:
      return Number(take(8).readBigInt64BE(0));
    case 0xd4:
      return ext(1, start);
    case 0xd5:
      return ext(2, start);
    case 0xd6:
      return ext(4, start);
    case 0xd7:
      return ext(8, start);
    case 0xd8:
      return ext(16, start);
    case 0xd9:
      return readStr(buf, s, take(1).readUInt8(0));
    case 0xda:
      return readStr(buf, s, take(2).readUInt16BE(0));
    case 0xdb:
      return readStr(buf, s, take(4).readUInt32BE(0));
    case 0xdc:
      return readArray(buf, s, take(2).readUInt16BE(0));
    case 0xdd:
      return readArray(buf, s, take(4).readUInt32BE(0));
    case 0xde:
      return readMap(buf, s, take(2).readUInt16BE(0));
    case 0xdf:
      return readMap(buf, s, take(4).readUInt32BE(0));
    default:
      throw new Error(`msgpack: unsupported byte 0x${b.toString(16)}`);
  }
}

function readStr(buf: Buffer, s: { pos: number }, n: number): string {
  const out = buf.toString('utf8', s.pos, s.pos + n);
  s.pos += n;
  return out;
}

function readArray(buf: Buffer, s: { pos: number }, n: number): Value[] {
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push(read(buf, s));
  return out;
}

function readMap(buf: Buffer, s: { pos: number }, n: number): { [key: string]: Value } {
  const out: { [key: string]: Value } = {};
  for (let i = 0; i < n; i++) {
    const key = read(buf, s);
    out[String(key)] = read(buf, s);
  }
  return out;
}
