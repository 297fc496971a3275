import { blockedClassOf, BlockedAddressClass, embeddedIPv4 } from './address-ranges';
import { AllowedNetworks } from './allowed-networks';
import { DestinationGuard, HostResolver } from './destination-guard';

describe(blockedClassOf.name, () => {
  it.each([
    ['0.0.0.0', BlockedAddressClass.Unspecified],
    ['0.1.2.3', BlockedAddressClass.Unspecified],
    ['::', BlockedAddressClass.Unspecified],
    ['127.0.0.1', BlockedAddressClass.Loopback],
    ['127.255.0.9', BlockedAddressClass.Loopback],
    ['::1', BlockedAddressClass.Loopback],
    ['10.0.0.1', BlockedAddressClass.Private],
    ['172.16.5.4', BlockedAddressClass.Private],
    ['172.31.255.255', BlockedAddressClass.Private],
    ['192.168.1.1', BlockedAddressClass.Private],
    ['100.64.0.1', BlockedAddressClass.SharedAddressSpace],
    ['169.254.169.254', BlockedAddressClass.LinkLocal],
    ['fe80::1', BlockedAddressClass.LinkLocal],
    ['fe80::1%eth0', BlockedAddressClass.LinkLocal],
    ['fc00::1', BlockedAddressClass.UniqueLocal],
    ['fd12:3456::1', BlockedAddressClass.UniqueLocal],
    ['224.0.0.1', BlockedAddressClass.Multicast],
    ['ff02::1', BlockedAddressClass.Multicast],
    ['255.255.255.255', BlockedAddressClass.Reserved],
    ['::ffff:127.0.0.1', BlockedAddressClass.Loopback],
    ['::ffff:7f00:1', BlockedAddressClass.Loopback],
    ['::ffff:169.254.169.254', BlockedAddressClass.LinkLocal],
    ['64:ff9b::a00:1', BlockedAddressClass.Private],
    ['2002:c0a8:101::1', BlockedAddressClass.Private],
    ['::127.0.0.1', BlockedAddressClass.Reserved],
  ])('classes %s as %s', (address, expected) => {
    expect(blockedClassOf(address)).toBe(expected);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('lets public %s through', (address) => {
    expect(blockedClassOf(address)).toBeUndefined();
  });

  it('finds the IPv4 address inside mapped, NAT64 and 6to4 addresses only', () => {
    expect(embeddedIPv4('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(embeddedIPv4('64:ff9b::7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('2002:7f00:1::')).toBe('127.0.0.1');
    expect(embeddedIPv4('2606:4700::1111')).toBeUndefined();
  });
});

describe(AllowedNetworks.name, () => {
  it('reads IPs and CIDRs and refuses anything else, naming it', () => {
    const allowed = new AllowedNetworks(' 127.0.0.0/8, ::1 ,10.1.0.0/16');
    expect([allowed.allows('127.9.9.9'), allowed.allows('::1'), allowed.allows('10.1.2.3'), allowed.allows('10.2.0.1')]).toEqual([true, true, true, false]);
    expect(new AllowedNetworks('').allows('127.0.0.1')).toBe(false);
    expect(() => new AllowedNetworks('localhost')).toThrow('"localhost"');
    expect(() => new AllowedNetworks('10.0.0.0/33')).toThrow('"10.0.0.0/33"');
  });
});

describe(DestinationGuard.name, () => {
  const resolver = (answers: Record<string, string[]>): HostResolver => async (hostname) => {
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const sut = new DestinationGuard(new AllowedNetworks(''), resolver({
    'hooks.example.com': ['93.184.216.34'], 'rebind.example.com': ['93.184.216.34', '127.0.0.1'], 'meta.example.com': ['169.254.169.254'],
  }));

  it('accepts a public host and pins the address it checked', async () => {
    await expect(sut.check('https://hooks.example.com/in')).resolves.toMatchObject({
      ok: true, destination: { hostname: 'hooks.example.com', address: '93.184.216.34', family: 4 },
    });
  });

  it.each([
    ['http://127.0.0.1:8080/', 'loopback_address'],
    ['http://[::1]/', 'loopback_address'],
    ['http://[::ffff:127.0.0.1]/', 'loopback_address'],
    ['http://169.254.169.254/latest/meta-data/', 'link_local_address'],
    ['http://10.0.0.1/', 'private_address'],
    ['http://0.0.0.0/', 'unspecified_address'],
    ['http://2130706433/', 'loopback_address'],
    ['http://meta.example.com/', 'link_local_address'],
    ['http://rebind.example.com/', 'loopback_address'],
    ['http://nowhere.example.com/', 'unresolvable_host'],
    ['ftp://hooks.example.com/', 'invalid_url'],
  ])('refuses %s (%s)', async (url, reason) => {
    await expect(sut.check(url)).resolves.toMatchObject({ ok: false, reason });
  });

  it('lets allow-listed networks through', async () => {
    const dev = new DestinationGuard(new AllowedNetworks('127.0.0.0/8'), resolver({}));
    await expect(dev.check('http://127.0.0.1:9000/')).resolves.toMatchObject({ ok: true, destination: { address: '127.0.0.1' } });
    await expect(dev.check('http://[::1]:9000/')).resolves.toMatchObject({ ok: false, reason: 'loopback_address' });
  });
});
