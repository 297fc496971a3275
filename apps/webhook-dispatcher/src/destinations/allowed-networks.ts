import { BlockList, isIP } from 'node:net';
import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/**
 * The allow-list of WEBHOOK_ALLOWED_HOSTS: IPs or CIDRs that webhooks may reach although they are in a blocked
 * class (local development and tests). Parsed from `127.0.0.0/8,::1/128`-style text; throws naming the bad entry.
 */
export class AllowedNetworks {
  private readonly list = new BlockList();
  readonly entries: string[];

  constructor(text: string) {
    this.entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
    for (const entry of this.entries) {
      const [network, prefixText, ...rest] = entry.split('/');
      const version = isIP(network);
      const max = version === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (!version || rest.length || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
        throw new Error(`"${entry}" is not an IP address or CIDR`);
      }
      this.list.addSubnet(network, prefix, version === 4 ? 'ipv4' : 'ipv6');
    }
  }

  allows(address: string): boolean {
    const version = isIP(address);
    return version !== 0 && this.list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}

@ValidatorConstraint({ name: 'allowedNetworks' })
export class AllowedNetworksConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      new AllowedNetworks(value);
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return '$property must be comma-separated IP addresses or CIDRs, e.g. 127.0.0.0/8,::1/128';
  }
}
