import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyBody {
  @ApiProperty({ example: 'ci pipeline' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}
