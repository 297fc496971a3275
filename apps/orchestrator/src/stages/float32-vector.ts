/** Element type of `real[]` (pg_type.oid of float4), named in the binary array header. */
const FLOAT4_OID = 700;

/**
 * A vector as a `real[]` query parameter in Postgres' binary format (node-postgres sends a Buffer parameter as binary):
 * the floats travel as their 4 bytes, neither formatted as decimal text here nor parsed back by the server.
 */
export function realArrayParameter(vector: Float32Array): Buffer {
  // Words of 4 bytes: the header's five, then per element its length (4) and its bits, all big-endian.
  const words = new Uint32Array(5 + vector.length * 2);
  const bits = new Uint32Array(vector.buffer, vector.byteOffset, vector.length);
  words.set([1 /* dimensions */, 0 /* no nulls */, FLOAT4_OID, vector.length, 1 /* lower bound */].map(bigEndian));
  const four = bigEndian(4);
  for (let i = 0; i < bits.length; i += 1) {
    words[5 + i * 2] = four;
    words[6 + i * 2] = bigEndian(bits[i]);
  }
  return Buffer.from(words.buffer, 0, words.byteLength);
}

/** The 32-bit word whose little-endian bytes read as `value` big-endian. */
function bigEndian(value: number): number {
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}
