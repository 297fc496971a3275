/**
 * Embeddings as batch results and score pages carry them: base64 of little-endian float32 (what the Batch API returns;
 * Float32Array is little-endian on every platform Node runs on).
 */
export function decodeFloat32Base64(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  // Copied: a Float32Array needs a 4-byte aligned offset, which a pooled Buffer's is not always.
  return new Float32Array(Uint8Array.from(bytes).buffer, 0, Math.floor(bytes.length / 4));
}

export function encodeFloat32Base64(vector: ArrayLike<number>): string {
  const floats = vector instanceof Float32Array ? vector : Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/** Element type of `real[]` (pg_type.oid of float4), named in the binary array header. */
const FLOAT4_OID = 700;

/**
 * A vector as a `real[]` query parameter in Postgres' binary format (node-postgres sends a Buffer parameter as binary):
 * the floats travel as their 4 bytes, neither formatted as decimal text here nor parsed back by the server.
 */
export function realArrayParameter(vector: Float32Array): Buffer {
  const bytes = Buffer.alloc(20 + vector.length * 8);
  bytes.writeInt32BE(1, 0); // dimensions
  bytes.writeInt32BE(0, 4); // no nulls
  bytes.writeInt32BE(FLOAT4_OID, 8);
  bytes.writeInt32BE(vector.length, 12);
  bytes.writeInt32BE(1, 16); // lower bound
  for (let i = 0, at = 20; i < vector.length; i += 1, at += 8) {
    bytes.writeInt32BE(4, at);
    bytes.writeFloatBE(vector[i], at + 4);
  }
  return bytes;
}
