import { Module } from '@nestjs/common';
import { EvaluationEventsController } from './evaluation-events.controller';
import { ExperimentEventsController } from './experiment-events.controller';
import { LiveStreamService } from './live-stream.service';

/**
 * Server-Sent Events of live progress. `LiveStreamService` serves any `LiveSubjects` subject: a new watched aggregate
 * (experiments) adds a controller route that checks the aggregate exists, then calls `stream()` with its subject.
 */
@Module({
  controllers: [EvaluationEventsController, ExperimentEventsController],
  providers: [LiveStreamService],
  exports: [LiveStreamService],
})
export class LiveEventsModule {}
