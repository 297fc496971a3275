import { outcome } from './run-comparison.service';

describe(outcome.name, () => {
  it('calls a delta within the tolerance a tie, in either direction', () => {
    expect(outcome(0.005, 0.01)).toBe('tie');
    expect(outcome(-0.01, 0.01)).toBe('tie');
    expect(outcome(0, 0)).toBe('tie');
  });

  it('treats a delta equal to the tolerance as a tie despite floating-point rounding', () => {
    // 0.7 − 0.6 is 0.09999999999999998 in binary floating point
    expect(outcome(0.7 - 0.6, 0.1)).toBe('tie');
    expect(outcome(0.6 - 0.7, 0.1)).toBe('tie');
  });

  it('calls larger improvements wins and larger drops losses', () => {
    expect(outcome(0.02, 0.01)).toBe('win');
    expect(outcome(-0.5, 0.01)).toBe('loss');
    expect(outcome(1e-9, 0)).toBe('win');
  });
});
