import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUrl, MaxLength } from 'class-validator';
import { IsWebhookEventPattern, WEBHOOK_EVENT_NAMES, WEBHOOK_EVENT_PREFIXES } from '@yardstick/contracts';

export class CreateWebhookBody {
  @ApiProperty({ example: 'https://example.com/hooks/yardstick', description: 'Must resolve to a public address.' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2000) url!: string;

  @ApiProperty({
    isArray: true,
    example: ['eval.run.completed', 'eval.experiment.*'],
    description: `Event names (${WEBHOOK_EVENT_NAMES.join(', ')}) or wildcards (${WEBHOOK_EVENT_PREFIXES.map((p) => `${p}.*`).join(', ')}).`,
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique() @IsWebhookEventPattern({ each: true }) events!: string[];
}
