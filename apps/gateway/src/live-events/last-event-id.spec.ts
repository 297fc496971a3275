import { ApiException } from '../api/api.exception';
import { resumeAfter } from './last-event-id';

describe(resumeAfter.name, () => {
  it('resumes after the Last-Event-ID header, which wins over the query parameter', () => {
    expect(resumeAfter('42', 7)).toBe(42);
  });

  it('falls back to ?last_event_id=, then to the first event', () => {
    expect(resumeAfter(undefined, 7)).toBe(7);
    expect(resumeAfter('  ', undefined)).toBe(0);
  });

  it.each(['abc', '-1', '1.5', '1e3', '9'.repeat(16)])('rejects the header %p with a 400 naming it', (header) => {
    expect(() => resumeAfter(header, undefined)).toThrow(ApiException);
    try {
      resumeAfter(header, undefined);
    } catch (error) {
      expect((error as ApiException).status).toBe(400);
      expect(JSON.stringify((error as ApiException).details)).toContain('last-event-id');
    }
  });
});
