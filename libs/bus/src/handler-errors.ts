/** The handler's effect could not be made now but may succeed later: the message is redelivered after a delay. */
export class TransientHandlerError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'TransientHandlerError';
  }
}

/** The message can never be handled: it is terminated and dead-lettered, never redelivered. */
export class PermanentHandlerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentHandlerError';
  }
}
