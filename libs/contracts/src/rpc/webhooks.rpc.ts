import {
  ArrayMinSize, ArrayUnique, IsArray, IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, IsUrl, Max, MaxLength, Min, registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { Subjects } from '../subjects';

/** Events a webhook is delivered. */
export const WEBHOOK_EVENTS = [
  Subjects.RunCompleted, Subjects.RunFailed, Subjects.RunCancelled,
  Subjects.ExperimentStarted, Subjects.ExperimentConfigStarted, Subjects.ExperimentConfigCompleted, Subjects.ExperimentNewBest,
  Subjects.ExperimentCompleted, Subjects.ExperimentStopped, Subjects.ExperimentBudgetExhausted,
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Event families a subscription may name as `<prefix>.*` (public contract). */
export const WEBHOOK_EVENT_PREFIXES = ['eval.run', 'eval.experiment'] as const;

/** Event names a subscription may name exactly: every event subject under a known prefix. */
export const WEBHOOK_EVENT_NAMES: readonly string[] = Object.values(Subjects)
  .filter((subject) => WEBHOOK_EVENT_PREFIXES.some((prefix) => subject.startsWith(`${prefix}.`)));

/** An exact known event name, or `<known prefix>.*`. */
export function isWebhookEventPattern(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (WEBHOOK_EVENT_NAMES.includes(value)) return true;
  return value.endsWith('.*') && (WEBHOOK_EVENT_PREFIXES as readonly string[]).includes(value.slice(0, -2));
}

export function IsWebhookEventPattern(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isWebhookEventPattern',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: {
        message: `each value in $property must be one of ${WEBHOOK_EVENT_NAMES.join(', ')} or a wildcard ${WEBHOOK_EVENT_PREFIXES.map((p) => `${p}.*`).join(', ')}`,
        ...options,
      },
      validator: { validate: (value: unknown) => isWebhookEventPattern(value) },
    });
}

export enum WebhookSubscriptionStatus {
  Active = 'active',
  Disabled = 'disabled',
}

/** Why a subscription stopped receiving deliveries (public contract, shown as `disabled_reason`). */
export enum WebhookDisabledReason {
  /** The receiver answered 410 Gone. */
  EndpointGone = 'endpoint_gone',
  /** Every attempt failed for longer than WEBHOOK_DISABLE_AFTER_MS. */
  FailingTooLong = 'failing_too_long',
}

export enum WebhookDeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  Failed = 'failed',
}

export class CreateWebhookRequest {
  @IsUUID() projectId!: string;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2000) url!: string;
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsWebhookEventPattern({ each: true }) events!: string[];
}

export class ListWebhooksRequest {
  @IsUUID() projectId!: string;
  @IsInt() @Min(1) @Max(500) limit!: number;
  @IsInt() @Min(0) offset!: number;
}

export class WebhookRequest {
  @IsUUID() projectId!: string;
  @IsUUID() webhookId!: string;
}

export class ListWebhookDeliveriesRequest extends WebhookRequest {
  @IsOptional() @IsIn(Object.values(WebhookDeliveryStatus)) status?: WebhookDeliveryStatus;
  @IsOptional() @IsString() @MaxLength(200) eventType?: string;
  @IsInt() @Min(1) @Max(500) limit!: number;
  @IsInt() @Min(0) offset!: number;
}

export class RedeliverWebhookDeliveryRequest extends WebhookRequest {
  @IsUUID() deliveryId!: string;
}

export class RedeliverWebhookRangeRequest extends WebhookRequest {
  @IsDateString() from!: string;
  @IsDateString() to!: string;
}

export interface WebhookView {
  id: string;
  projectId: string;
  url: string;
  events: string[];
  status: WebhookSubscriptionStatus;
  disabledReason: WebhookDisabledReason | null;
  disabledAt: string | null;
  /** Since when every attempt has failed; null while deliveries succeed. */
  failingSince: string | null;
  createdAt: string;
}

/** Returned once, at creation and on rotation: the signing secret is never shown again. */
export interface WebhookSecretView {
  webhook: WebhookView;
  secret: string;
  /** Until when the previous secret still signs deliveries too (rotation only). */
  previousSecretExpiresAt: string | null;
}

export interface WebhookAttemptView {
  attempt: number;
  startedAt: string;
  latencyMs: number;
  responseStatus: number | null;
  error: string | null;
  delivered: boolean;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attempts: WebhookAttemptView[];
}
