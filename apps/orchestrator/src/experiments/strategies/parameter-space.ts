import {
  ExperimentParameterName, ParameterDistribution, ParameterPoint, ParameterSpec, ParameterValue, ServiceErrorCode, ServiceException,
} from '@yardstick/contracts';
import { SeededRandom } from './seeded-random';

/** A parameter as the strategies see it: a finite list of values, or a continuous interval with a distribution. */
export type Dimension =
  | { name: ExperimentParameterName; kind: 'discrete'; values: ParameterValue[] }
  | { name: ExperimentParameterName; kind: 'continuous'; min: number; max: number; distribution: ParameterDistribution; integer: boolean };

type ValueKind = 'text' | 'number' | 'integer';
const VALUE_KIND: Record<ExperimentParameterName, ValueKind> = {
  model: 'text', prompt_template: 'text', instructions: 'text', embedding_model: 'text',
  temperature: 'number', top_p: 'number', max_output_tokens: 'integer', seed: 'integer',
};
const BOUNDS: Partial<Record<ExperimentParameterName, [number, number]>> = {
  temperature: [0, 2], top_p: [0, 1], max_output_tokens: [1, 1_000_000], seed: [-(2 ** 31), 2 ** 31 - 1],
};
/** Most values a stepped range may expand to. */
const MAX_RANGE_VALUES = 1_000;

const round = (value: number) => Math.round(value * 1e10) / 1e10;

function invalid(field: string, message: string): ServiceException {
  return new ServiceException(ServiceErrorCode.ValidationFailed, `parameter_space${field}: ${message}`, { field: `parameter_space${field}` });
}

/** Checks a parameter space and turns it into dimensions; a problem is a validation error naming the field. */
export function parseSpace(space: ParameterSpec[]): Dimension[] {
  const seen = new Set<string>();
  return space.map((spec, index) => {
    const at = `[${index}]`;
    if (seen.has(spec.name)) throw invalid(`${at}.name`, `"${spec.name}" appears twice`);
    seen.add(spec.name);
    const kind = VALUE_KIND[spec.name];
    const bounds = BOUNDS[spec.name];
    const checkNumber = (value: number, field: string) => {
      if (kind === 'integer' && !Number.isInteger(value)) throw invalid(`${at}.${field}`, `${spec.name} takes integers`);
      if (bounds && (value < bounds[0] || value > bounds[1])) throw invalid(`${at}.${field}`, `${spec.name} must be within [${bounds[0]}, ${bounds[1]}]`);
    };
    if (spec.values) {
      if (spec.min !== undefined || spec.max !== undefined || spec.step !== undefined || spec.distribution) {
        throw invalid(at, 'give either values, or min/max with step or distribution');
      }
      spec.values.forEach((value, i) => {
        if (kind === 'text' ? typeof value !== 'string' || !value.length : typeof value !== 'number' || !Number.isFinite(value)) {
          throw invalid(`${at}.values[${i}]`, `${spec.name} takes ${kind === 'text' ? 'non-empty strings' : 'numbers'}`);
        }
        if (typeof value === 'number') checkNumber(value, `values[${i}]`);
      });
      const unique = [...new Map(spec.values.map((v) => [JSON.stringify(v), v])).values()];
      return { name: spec.name, kind: 'discrete', values: unique };
    }
    if (kind === 'text') throw invalid(`${at}.values`, `${spec.name} takes a list of values`);
    if (spec.min === undefined || spec.max === undefined) throw invalid(at, 'give values, or min and max');
    checkNumber(spec.min, 'min');
    checkNumber(spec.max, 'max');
    if (spec.min > spec.max) throw invalid(`${at}.min`, 'must not exceed max');
    if (spec.step !== undefined) {
      if (spec.distribution) throw invalid(at, 'give step or distribution, not both');
      if (!(spec.step > 0)) throw invalid(`${at}.step`, 'must be greater than 0');
      if (kind === 'integer' && !Number.isInteger(spec.step)) throw invalid(`${at}.step`, `${spec.name} takes integer steps`);
      const count = Math.floor((spec.max - spec.min) / spec.step + 1e-9) + 1;
      if (count > MAX_RANGE_VALUES) throw invalid(`${at}.step`, `the range expands to ${count} values, more than ${MAX_RANGE_VALUES}`);
      return { name: spec.name, kind: 'discrete', values: Array.from({ length: count }, (_, i) => round(spec.min! + i * spec.step!)) };
    }
    const distribution = spec.distribution ?? (kind === 'integer' ? ParameterDistribution.IntUniform : ParameterDistribution.Uniform);
    if (distribution === ParameterDistribution.LogUniform && spec.min <= 0) throw invalid(`${at}.min`, 'log_uniform needs min > 0');
    if (kind === 'integer' && distribution === ParameterDistribution.Uniform) {
      throw invalid(`${at}.distribution`, `${spec.name} takes int_uniform or log_uniform`);
    }
    return { name: spec.name, kind: 'continuous', min: spec.min, max: spec.max, distribution, integer: kind === 'integer' };
  });
}

/** One value of a dimension drawn at random (stepped ranges and lists uniformly over their values). */
export function sampleValue(dimension: Dimension, random: SeededRandom): ParameterValue {
  if (dimension.kind === 'discrete') return random.pick(dimension.values);
  const { min, max, distribution } = dimension;
  switch (distribution) {
    case ParameterDistribution.IntUniform:
      return Math.ceil(min) + random.int(Math.floor(max) - Math.ceil(min) + 1);
    case ParameterDistribution.LogUniform: {
      const value = Math.exp(Math.log(min) + random.next() * (Math.log(max) - Math.log(min)));
      return dimension.integer ? Math.min(Math.floor(max), Math.max(Math.ceil(min), Math.round(value))) : roundSample(value);
    }
    case ParameterDistribution.Uniform:
      return roundSample(min + random.next() * (max - min));
    default: {
      const unknown: never = distribution;
      throw new Error(`unknown distribution ${String(unknown)}`);
    }
  }
}

/** Sampled continuous values keep 4 decimals: enough for any model parameter, and equal configs hash equally. */
const roundSample = (value: number) => Math.round(value * 1e4) / 1e4;

export function samplePoint(dimensions: Dimension[], random: SeededRandom): ParameterPoint {
  const point: ParameterPoint = {};
  for (const dimension of dimensions) point[dimension.name] = sampleValue(dimension, random);
  return point;
}

/**
 * A neighbour of a value: the next or previous value of a numeric list or stepped range, another value of a list of
 * strings (models, templates: categories without an order), or a move of up to a tenth of the interval for a
 * continuous dimension (clipped to it).
 */
export function neighbourValue(dimension: Dimension, value: ParameterValue, random: SeededRandom): ParameterValue {
  if (dimension.kind === 'discrete') {
    const index = dimension.values.findIndex((v) => v === value);
    if (index < 0 || dimension.values.length === 1) return random.pick(dimension.values);
    if (typeof value === 'string') return dimension.values[(index + 1 + random.int(dimension.values.length - 1)) % dimension.values.length];
    const next = index === 0 ? 1 : index === dimension.values.length - 1 ? index - 1 : index + (random.next() < 0.5 ? -1 : 1);
    return dimension.values[next];
  }
  const span = dimension.max - dimension.min;
  const moved = Math.min(dimension.max, Math.max(dimension.min, (value as number) + (random.next() * 2 - 1) * span * 0.1));
  return dimension.integer ? Math.round(moved) : roundSample(moved);
}

/** A stable key for a point: the same values in any key order give the same key. */
export function pointKey(point: ParameterPoint): string {
  return JSON.stringify(Object.keys(point).sort().map((key) => [key, point[key as ExperimentParameterName]]));
}
