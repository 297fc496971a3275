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

/** A Postgres `real[]` literal: 9 significant digits give back every float32 exactly (as the fast path stores them). */
export function realArrayLiteral(vector: ArrayLike<number>): string {
  return `{${Array.from(vector, (value) => value.toPrecision(9)).join(',')}}`;
}
