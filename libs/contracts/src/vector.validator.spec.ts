import { validateSync } from 'class-validator';
import { IsVector } from './vector.validator';

class Holder {
  @IsVector() v!: unknown;
}

const errorsFor = (v: unknown) => validateSync(Object.assign(new Holder(), { v })).length;

describe(IsVector.name, () => {
  it('accepts an array of finite numbers, including an empty one', () => {
    expect(errorsFor([0.1, -2, 3e-8])).toBe(0);
    expect(errorsFor([])).toBe(0);
  });

  it('rejects NaN, infinities, strings and non-arrays', () => {
    for (const bad of [[NaN], [Infinity], ['1'], 'x', null, { 0: 1 }]) expect(errorsFor(bad)).toBe(1);
  });
});
