import { Module } from '@nestjs/common';
import { ScoreItemHandler } from './score-item.handler';
import { ScorerRegistry } from './scorer.registry';
import { ScoringService } from './scoring.service';

@Module({
  providers: [{ provide: ScorerRegistry, useValue: new ScorerRegistry() }, ScoringService, ScoreItemHandler],
})
export class ScoringModule {}
