import { IsDefined, IsInt, IsISO8601, IsNotEmpty, IsObject, IsString, Min } from 'class-validator';

/**
 * Every message on the bus is an envelope. Its `id` is also the JetStream `Nats-Msg-Id`,
 * so a publish repeated inside the duplicate window is stored once.
 */
export class MessageEnvelope<T = unknown> {
  @IsString() @IsNotEmpty() id!: string;
  @IsString() @IsNotEmpty() subject!: string;
  @IsInt() @Min(1) schema_version!: number;
  @IsISO8601() occurred_at!: string;
  /** The run (or other aggregate) the message belongs to; used to follow one run across services. */
  @IsString() @IsNotEmpty() correlation_id!: string;
  @IsDefined() @IsObject() data!: T;
}
