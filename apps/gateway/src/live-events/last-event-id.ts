import { HttpStatus } from '@nestjs/common';
import { ApiErrorCode, ApiException } from '../api/api.exception';

/**
 * Where a reconnecting client resumes: after the `Last-Event-ID` header's event (what EventSource sends), else after
 * `?last_event_id=`, else from the first event (0). Event ids are JetStream stream sequences: non-negative integers.
 */
export function resumeAfter(header: string | undefined, query: number | undefined): number {
  if (header === undefined || header.trim() === '') return query ?? 0;
  const value = header.trim();
  if (!/^\d{1,15}$/.test(value)) {
    throw new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, 'Last-Event-ID must be an event id (a non-negative integer)', {
      problems: [`last-event-id: "${value.slice(0, 40)}" is not a non-negative integer`],
    });
  }
  return Number(value);
}
