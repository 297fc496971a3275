import { logGamma, regularizedBeta, studentTCdf, studentTCritical, studentTTwoSidedP } from './student-t';

describe('student t distribution', () => {
  it('computes ln Γ at known points', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(1)).toBeCloseTo(0, 12);
  });

  it('computes the regularized incomplete beta at closed forms', () => {
    // I_x(1, 1) = x; I_x(2, 1) = x²; I_x(1, 2) = 1 − (1 − x)²
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12);
    expect(regularizedBeta(0.3, 1, 2)).toBeCloseTo(0.51, 12);
    expect([regularizedBeta(0, 2, 3), regularizedBeta(1, 2, 3)]).toEqual([0, 1]);
  });

  it('matches the closed-form CDFs for 1, 2 and 3 degrees of freedom', () => {
    // df 1 (Cauchy): F(t) = 1/2 + atan(t)/π, so F(1) = 0.75
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(studentTTwoSidedP(1, 1)).toBeCloseTo(0.5, 12);
    // df 2: F(t) = 1/2 + t / (2√(2 + t²)); t = 2 → two-sided p = 1 − 2/√6
    expect(studentTTwoSidedP(2, 2)).toBeCloseTo(1 - 2 / Math.sqrt(6), 12);
    expect(studentTCdf(-2, 2)).toBeCloseTo((1 - 2 / Math.sqrt(6)) / 2, 12);
    // df 3: F(t) = 1/2 + (u/(1+u²) + atan(u))/π with u = t/√3
    const u = 3 / Math.sqrt(3);
    expect(studentTCdf(3, 3)).toBeCloseTo(0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI, 12);
    expect(studentTTwoSidedP(0, 7)).toBeCloseTo(1, 12);
    expect(studentTTwoSidedP(Number.POSITIVE_INFINITY, 7)).toBe(0);
  });

  it('finds the critical values of the t table', () => {
    expect(studentTCritical(0.95, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 8); // 12.7062
    expect(studentTCritical(0.95, 2)).toBeCloseTo(Math.sqrt(1.805 / 0.0975), 8); // 4.3027, from t/√(2+t²) = 0.95
    expect(studentTCritical(0.95, 3)).toBeCloseTo(3.182446305, 6);
    expect(studentTCritical(0.95, 10)).toBeCloseTo(2.228138852, 6);
    expect(studentTCritical(0.95, 1e7)).toBeCloseTo(1.959964, 4);
  });

  it('rejects impossible arguments', () => {
    expect(() => studentTTwoSidedP(1, 0)).toThrow(RangeError);
    expect(() => studentTTwoSidedP(Number.NaN, 3)).toThrow(RangeError);
    expect(() => studentTCritical(1, 3)).toThrow(RangeError);
  });
});
