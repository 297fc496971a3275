import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';

/** Failed deliveries created in [from, to) are sent again. */
export class RedeliverRangeBody {
  @ApiProperty({ example: '2024-11-30T00:00:00Z' }) @IsISO8601({ strict: true }) from!: string;
  @ApiProperty({ example: '2024-12-01T00:00:00Z' }) @IsISO8601({ strict: true }) to!: string;
}
