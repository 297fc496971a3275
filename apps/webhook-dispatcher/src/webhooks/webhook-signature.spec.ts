import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signatureHeaders } from './webhook-signature';

describe(signatureHeaders.name, () => {
  const body = JSON.stringify({ id: 'evt-1', type: 'eval.run.completed', data: { score: 0.9 } });

  it('signs so that the standardwebhooks library verifies the body', () => {
    const secret = generateWebhookSecret();
    const headers = signatureHeaders('evt-1', new Date(), body, [secret]);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('matches the signature the reference implementation computes', () => {
    const secret = generateWebhookSecret();
    const timestamp = new Date('2024-11-30T10:00:00Z');
    expect(signatureHeaders('msg_1', timestamp, body, [secret])['webhook-signature']).toBe(new Webhook(secret).sign('msg_1', timestamp, body));
  });

  it('refuses a tampered body or another secret', () => {
    const secret = generateWebhookSecret();
    const headers = signatureHeaders('evt-1', new Date(), body, [secret]);
    expect(() => new Webhook(secret).verify(body.replace('0.9', '1.0'), headers)).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('signs with every secret during a rotation, so the old and the new secret each verify', () => {
    const [previous, current] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signatureHeaders('evt-1', new Date(), body, [current, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
  });
});

describe(generateWebhookSecret.name, () => {
  it('makes a distinct whsec_ secret of 32 random bytes each time', () => {
    const [a, b] = [generateWebhookSecret(), generateWebhookSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});
