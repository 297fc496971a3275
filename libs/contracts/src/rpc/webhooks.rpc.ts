import { ArrayMinSize, IsArray, IsIn, IsInt, IsUUID, IsUrl, Max, Min } from 'class-validator';
import { Subjects } from '../subjects';

/** Events a webhook can subscribe to. */
export const WEBHOOK_EVENTS = [Subjects.RunCompleted, Subjects.RunFailed, Subjects.RunCancelled] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export class CreateWebhookRequest {
  @IsUUID() projectId!: string;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) url!: string;
  @IsArray() @ArrayMinSize(1) @IsIn(WEBHOOK_EVENTS, { each: true }) events!: WebhookEvent[];
}

export class ListWebhooksRequest {
  @IsUUID() projectId!: string;
  @IsInt() @Min(1) @Max(500) limit!: number;
  @IsInt() @Min(0) offset!: number;
}

export interface WebhookView {
  id: string;
  projectId: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
}
