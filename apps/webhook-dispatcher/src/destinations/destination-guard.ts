import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { blockedClassOf } from './address-ranges';
import { AllowedNetworks } from './allowed-networks';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** A destination that passed the guard: connect to `address` (never re-resolve `hostname`). */
export interface CheckedDestination {
  url: URL;
  /** For the Host header and TLS SNI. */
  hostname: string;
  address: string;
  family: 4 | 6;
}

export type DestinationCheck = { ok: true; destination: CheckedDestination } | { ok: false; reason: string; message: string };

const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Keeps webhooks off the platform's own network (SSRF): a URL is accepted only when every address its host
 * resolves to is public, or inside the WEBHOOK_ALLOWED_HOSTS allow-list. Used at subscription time and again
 * before every attempt, whose connection is then pinned to the address checked here (no second DNS answer).
 */
export class DestinationGuard {
  constructor(
    private readonly allowed: AllowedNetworks,
    private readonly resolve: HostResolver = systemResolver,
  ) {}

  async check(rawUrl: string): Promise<DestinationCheck> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return refuse('invalid_url', 'url is not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('invalid_url', 'url must be http or https');
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    let addresses: ResolvedAddress[];
    if (isIP(hostname)) {
      addresses = [{ address: hostname, family: isIP(hostname) }];
    } else {
      try {
        addresses = await this.resolve(hostname);
      } catch (error) {
        return refuse('unresolvable_host', `url host ${hostname} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
      }
    }
    if (!addresses.length) return refuse('unresolvable_host', `url host ${hostname} does not resolve`);
    for (const { address } of addresses) {
      const blocked = this.allowed.allows(address) ? undefined : blockedClassOf(address);
      if (blocked) {
        const via = address === hostname ? '' : ` (${hostname} resolves to it)`;
        return refuse(`${blocked}_address`, `url points at ${address}${via}, a ${blocked.replace(/_/g, ' ')} address webhooks may not reach`);
      }
    }
    const [first] = addresses;
    return { ok: true, destination: { url, hostname, address: first.address, family: first.family === 6 ? 6 : 4 } };
  }
}

function refuse(reason: string, message: string): DestinationCheck {
  return { ok: false, reason, message };
}
