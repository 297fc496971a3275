import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class LiveEventsQuery {
  /** For clients that cannot send the `Last-Event-ID` header: resume after this event id. The header wins when both are sent. */
  @ApiPropertyOptional({ type: Number, minimum: 0, description: 'Resume after this event id (same as the Last-Event-ID header).' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) last_event_id?: number;
}
