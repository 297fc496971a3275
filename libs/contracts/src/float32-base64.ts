/**
 * How score pages and batch results carry embedding vectors: base64 of little-endian float32, as the Batch API returns
 * them (a Float32Array is little-endian on every platform Node runs on).
 */
export function decodeFloat32Base64(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  const length = Math.floor(bytes.length / 4);
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, length);
  // A pooled Buffer may start off a 4-byte boundary, where no Float32Array can: copy it.
  const aligned = new Uint8Array(length * 4);
  aligned.set(bytes.subarray(0, length * 4));
  return new Float32Array(aligned.buffer);
}

export function encodeFloat32Base64(vector: ArrayLike<number>): string {
  const floats = vector instanceof Float32Array ? vector : Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}
