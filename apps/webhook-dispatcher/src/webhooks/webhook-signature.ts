import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The Standard Webhooks headers of one attempt: the same `webhook-id` on every attempt, the attempt's
 * `webhook-timestamp` (seconds), and one `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per secret,
 * space-separated — during a rotation both the new and the previous secret sign, so either verifies.
 */
export function signatureHeaders(webhookId: string, timestamp: Date, body: string, secrets: readonly string[]): Record<string, string> {
  const seconds = Math.floor(timestamp.getTime() / 1000);
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
    return `v1,${createHmac('sha256', key).update(`${webhookId}.${seconds}.${body}`).digest('base64')}`;
  });
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(seconds),
    ...(signatures.length ? { 'webhook-signature': signatures.join(' ') } : {}),
  };
}
