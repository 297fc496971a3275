import { realArrayParameter } from './float32-vector';

describe(realArrayParameter.name, () => {
  it('writes a real[] parameter in Postgres\' binary array format', () => {
    const bytes = realArrayParameter(Float32Array.from([0.5, -2]));
    expect([0, 4, 8, 12, 16].map((at) => bytes.readInt32BE(at))).toEqual([1, 0, 700, 2, 1]);
    expect([bytes.readInt32BE(20), bytes.readFloatBE(24), bytes.readInt32BE(28), bytes.readFloatBE(32)]).toEqual([4, 0.5, 4, -2]);
    expect(bytes.length).toBe(36);
  });
});
