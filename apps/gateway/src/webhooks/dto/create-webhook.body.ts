import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsUrl, MaxLength } from 'class-validator';
import { WEBHOOK_EVENTS, WebhookEvent } from '@yardstick/contracts';

export class CreateWebhookBody {
  @ApiProperty({ example: 'https://example.com/hooks/yardstick' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2000) url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['eval.run.completed', 'eval.run.failed'] })
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(WEBHOOK_EVENTS, { each: true }) events!: WebhookEvent[];
}
