import { expect } from 'chai';
import { cleanText } from './text.js';
import { newTrackingCode, normaliseTrackingCode, TRACKING_CODE_LENGTH } from './tracking-code.js';

describe('public-reports - tracking codes and citizens\' text', () => {
  it('makes codes of 12 characters without 0, O, 1 or I, each character used evenly', () => {
    // when
    const codes = Array.from({ length: 2000 }, () => newTrackingCode());
    // then
    for (const code of codes) expect(code).to.match(/^[A-HJ-NP-Z2-9]{12}$/);
    expect(new Set(codes).size).to.equal(codes.length);
    const counts = new Map<string, number>();
    for (const character of codes.join('')) counts.set(character, (counts.get(character) ?? 0) + 1);
    expect(counts.size).to.equal(32);
    // 24,000 characters over 32: 750 each on average
    for (const [character, count] of counts) expect(count, character).to.be.within(550, 950);
  });

  it('reads a code as a citizen types it, and nothing longer than a code as one', () => {
    expect(normaliseTrackingCode(' abcdefghjk23 ')).to.equal('ABCDEFGHJK23');
    expect(normaliseTrackingCode('A'.repeat(TRACKING_CODE_LENGTH + 1))).to.equal('');
  });

  it('removes control characters, keeps line feeds and markup, and trims', () => {
    expect(cleanText('\u0000 <a href="x">链接</a>\u0007\r\n第二行\t\u009b ')).to.equal('<a href="x">链接</a>\n第二行');
    expect(cleanText(' 文惠路\n3 号 ', true)).to.equal('文惠路 3 号');
  });
});
