import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { WebhookDeliveryStatus } from '@yardstick/contracts';
import { PageQuery } from '../../api/page.query';

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: WebhookDeliveryStatus })
  @IsOptional() @IsIn(Object.values(WebhookDeliveryStatus)) status?: WebhookDeliveryStatus;

  @ApiPropertyOptional({ example: 'eval.run.completed' })
  @IsOptional() @IsString() @MaxLength(200) event_type?: string;
}
