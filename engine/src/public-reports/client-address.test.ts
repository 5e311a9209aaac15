import { expect } from 'chai';
import { clientAddress } from './client-address.js';

describe('public-reports - client addresses as the limits count them', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, counts IPv6 by its prefix and refuses what is no address', () => {
    expect(clientAddress('203.0.113.7', 64)).to.deep.equal({ address: '203.0.113.7', key: '203.0.113.7' });
    expect(clientAddress('::ffff:203.0.113.7', 64)).to.deep.equal({ address: '203.0.113.7', key: '203.0.113.7' });
    expect(clientAddress('2001:DB8:1:2:3:4:5:6', 64)).to.deep.equal({ address: '2001:db8:1:2:3:4:5:6', key: '2001:db8:1:2:0:0:0:0/64' });
    expect(clientAddress('2001:db8:1:2::9', 64)?.key).to.equal('2001:db8:1:2:0:0:0:0/64');
    expect(clientAddress('2001:db8:1:2ff::9', 56)?.key).to.equal('2001:db8:1:200:0:0:0:0/56');
    expect(clientAddress('::1', 64)?.key).to.equal('0:0:0:0:0:0:0:0/64');
    expect(clientAddress('fe80::1%eth0', 64)?.key).to.equal('fe80:0:0:0:0:0:0:0/64');
    expect(clientAddress('64:ff9b::203.0.113.7', 128)?.key).to.equal('64:ff9b:0:0:0:0:cb00:7107/128');
    for (const forged of ['', 'unknown', '203.0.113.7, 10.0.0.1', '1.2.3.4.5', '2001:db8::1::2']) expect(clientAddress(forged, 64), forged).to.equal(null);
  });
});
