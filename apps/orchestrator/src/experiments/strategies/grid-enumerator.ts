import { ParameterPoint, ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { Dimension } from './parameter-space';

/** How many configs a grid has: the product of every dimension's value count. */
export function gridCount(dimensions: Dimension[]): number {
  return dimensions.reduce((count, dimension) => {
    if (dimension.kind !== 'discrete') {
      throw new ServiceException(ServiceErrorCode.ValidationFailed,
        `parameter_space: a grid needs values or a stepped range; "${dimension.name}" has a distribution`, { field: 'parameter_space' });
    }
    return count * dimension.values.length;
  }, 1);
}

/** Every combination, in a fixed order (the last dimension varies fastest). Refuses a grid over `limit` configs. */
export function enumerateGrid(dimensions: Dimension[], limit: number): ParameterPoint[] {
  const count = gridCount(dimensions);
  if (count > limit) {
    throw new ServiceException(ServiceErrorCode.ValidationFailed,
      `parameter_space: the grid has ${count} configs, more than the limit of ${limit}`, { field: 'parameter_space', configs: count, limit });
  }
  let points: ParameterPoint[] = [{}];
  for (const dimension of dimensions) {
    if (dimension.kind !== 'discrete') continue;
    points = points.flatMap((point) => dimension.values.map((value) => ({ ...point, [dimension.name]: value })));
  }
  return points;
}
