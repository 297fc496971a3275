import { Injectable } from '@nestjs/common';
import {
  CompareRunsRequest, ItemDelta, PairedDifference, RunComparisonView, RunStatus, ServiceErrorCode, ServiceException,
} from '@yardstick/contracts';
import { pairedBootstrap, pairedTTest } from '@yardstick/statistics';
import { ComparedRun, ItemPair, RunComparisonRepository } from './run-comparison.repository';

/** The bootstrap of the total: fixed, so the same two runs always give the same interval. */
export const BOOTSTRAP = { resamples: 2000, seed: 1 } as const;

/**
 * Compares a candidate run with a base run on the same dataset, item by item (paired by dataset row and replicate):
 * delta = candidate − base; |delta| ≤ tie tolerance is a tie. Both runs must be finished (409 otherwise).
 */
@Injectable()
export class RunComparisonService {
  constructor(private readonly repository: RunComparisonRepository) {}

  async compare(request: CompareRunsRequest): Promise<RunComparisonView> {
    const [base, candidate] = await Promise.all([
      this.finishedRun(request.projectId, request.baseRunId, 'base'),
      this.finishedRun(request.projectId, request.candidateRunId, 'candidate'),
    ]);
    if (base.datasetId !== candidate.datasetId) {
      throw new ServiceException(ServiceErrorCode.Unprocessable, 'the runs are on different datasets and cannot be compared item by item',
        { base_dataset_id: base.datasetId, candidate_dataset_id: candidate.datasetId });
    }
    const pairs = await this.repository.pairs(base.id, candidate.id);
    const tolerance = request.tieTolerance;
    const candidateScorers = new Set(candidate.scorers.map((s) => s.name as string));
    const sharedScorers = base.scorers.map((s) => s.name as string).filter((name) => candidateScorers.has(name));

    const total = difference('total', pairs.map((p) => [p.baseScore, p.candidateScore]), tolerance, true);
    const scorers = sharedScorers.map((name) => difference(name, pairs
      .filter((p) => p.baseScores[name] !== undefined && p.candidateScores[name] !== undefined)
      .map((p) => [p.baseScores[name], p.candidateScores[name]]), tolerance, false));

    const ordered = pairs.map((pair) => ({ pair, delta: pair.candidateScore - pair.baseScore }))
      .sort((a, b) => a.delta - b.delta || a.pair.baseIndex - b.pair.baseIndex);
    const page = ordered.slice(request.offset, request.offset + request.limit);
    const questions = await this.repository.questions(base.id, page.map(({ pair }) => pair.baseIndex));
    return {
      baseRunId: base.id,
      candidateRunId: candidate.id,
      datasetId: base.datasetId,
      tieTolerance: tolerance,
      unpaired: { base: base.itemsTotal - pairs.length, candidate: candidate.itemsTotal - pairs.length },
      total,
      scorers,
      items: {
        items: page.map(({ pair, delta }) => itemDelta(pair, delta, tolerance, sharedScorers, questions.get(pair.baseIndex) ?? '')),
        total: ordered.length, limit: request.limit, offset: request.offset,
      },
    };
  }

  private async finishedRun(projectId: string, runId: string, role: string): Promise<ComparedRun> {
    const run = await this.repository.run(projectId, runId);
    if (!run) throw new ServiceException(ServiceErrorCode.NotFound, `evaluation ${runId} not found`);
    if (run.status === RunStatus.Running || run.status === RunStatus.Paused) {
      throw new ServiceException(ServiceErrorCode.Conflict, `the ${role} evaluation ${runId} is still ${run.status}; compare finished runs`,
        { run_id: runId, status: run.status });
    }
    return run;
  }
}

export function outcome(delta: number, tolerance: number): 'win' | 'loss' | 'tie' {
  // A small epsilon so that 0.7 − 0.6 (0.09999…) against a tolerance of 0.1 counts as a tie, as written.
  if (Math.abs(delta) <= tolerance + 1e-12) return 'tie';
  return delta > 0 ? 'win' : 'loss';
}

function difference(scorer: string, pairs: Array<[number, number]>, tolerance: number, withBootstrap: boolean): PairedDifference {
  const deltas = pairs.map(([base, candidate]) => candidate - base);
  const counts = { wins: 0, losses: 0, ties: 0 };
  const tally = { win: 'wins', loss: 'losses', tie: 'ties' } as const;
  for (const delta of deltas) counts[tally[outcome(delta, tolerance)]]++;
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
  const test = pairedTTest(deltas);
  const result: PairedDifference = {
    scorer,
    pairs: pairs.length,
    baseMean: mean(pairs.map(([base]) => base)),
    candidateMean: mean(pairs.map(([, candidate]) => candidate)),
    meanDelta: test.meanDelta,
    ...counts,
    tTest: { t: finiteOrNull(test.t), degreesOfFreedom: test.degreesOfFreedom, pValue: test.pValue, ci95: test.confidenceInterval },
  };
  if (withBootstrap) {
    const bootstrap = pairedBootstrap(deltas, BOOTSTRAP);
    result.bootstrap = { ci95: bootstrap.confidenceInterval, resamples: bootstrap.resamples, seed: bootstrap.seed };
  }
  return result;
}

/** JSON has no infinity: a t of ±∞ (identical non-zero differences) is sent as null, with p-value 0. */
function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function itemDelta(pair: ItemPair, delta: number, tolerance: number, scorers: string[], question: string): ItemDelta {
  const deltas: Record<string, number> = {};
  for (const name of scorers) {
    const base = pair.baseScores[name];
    const candidate = pair.candidateScores[name];
    if (base !== undefined && candidate !== undefined) deltas[name] = candidate - base;
  }
  return {
    datasetItemId: pair.datasetItemId, replicate: pair.replicate, baseIndex: pair.baseIndex, candidateIndex: pair.candidateIndex,
    category: pair.category, question, baseScore: pair.baseScore, candidateScore: pair.candidateScore, delta,
    outcome: outcome(delta, tolerance), deltas,
  };
}
