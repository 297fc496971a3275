import { decodeFloat32Base64, encodeFloat32Base64 } from './float32-base64';

describe('float32 vectors as base64', () => {
  const values = [0.1, -2.5, 3.4028234663852886e38, 1.401298464324817e-45, 0];

  it('round-trips through base64 as float32, whatever the decoded buffer\'s alignment', () => {
    const encoded = encodeFloat32Base64(values);
    expect(Array.from(decodeFloat32Base64(encoded))).toEqual(values.map(Math.fround));
    // A 1-byte string before it shifts the pooled Buffer's offset.
    Buffer.from('x');
    expect(Array.from(decodeFloat32Base64(encodeFloat32Base64(new Float32Array([1.5, 2]))))).toEqual([1.5, 2]);
  });

  it('reads the Batch API\'s own encoding (little-endian float32)', () => {
    const bytes = Buffer.alloc(8);
    bytes.writeFloatLE(0.25, 0);
    bytes.writeFloatLE(-1, 4);
    expect(Array.from(decodeFloat32Base64(bytes.toString('base64')))).toEqual([0.25, -1]);
  });
});
