import { Module } from '@nestjs/common';
import { BusJudgeClient, JudgeClient } from './judge/judge-completion.client';
import { ScoreItemHandler } from './score-item.handler';
import { ScorePageHandler } from './score-page.handler';
import { createScorers, ScorerRegistry } from './scorer.registry';
import { ScoringService } from './scoring.service';

@Module({
  providers: [
    { provide: JudgeClient, useClass: BusJudgeClient },
    { provide: ScorerRegistry, inject: [JudgeClient], useFactory: (judge: JudgeClient) => new ScorerRegistry(createScorers({ judge })) },
    ScoringService,
    ScoreItemHandler,
    ScorePageHandler,
  ],
})
export class ScoringModule {}
