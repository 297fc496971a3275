/** What a handler knows about the message it is handling, besides its payload. */
export interface MessageContext {
  messageId: string;
  subject: string;
  correlationId: string;
  occurredAt: string;
  /** 1 on first delivery. */
  deliveryCount: number;
  /** True when JetStream will not deliver this message again if the handler fails. */
  lastDelivery: boolean;
}

export type SubjectHandler = (payload: unknown, context: MessageContext) => Promise<void>;
