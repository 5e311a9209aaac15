import { expect } from 'chai';
import { isEmptyValue, valueAt } from './extra-path.js';

describe('lookups - paths into a dictionary item\'s extra', () => {
  const extra = { department: 'cgj', limits: { A: 'PT1H', B: 'PT4H' }, byRegion: { 450202: 'cz-cgj' } };

  it('walks the keys through nested objects, number-like keys included', () => {
    expect(valueAt(extra, ['department'])).to.equal('cgj');
    expect(valueAt(extra, ['limits', 'B'])).to.equal('PT4H');
    expect(valueAt(extra, ['byRegion', '450202'])).to.equal('cz-cgj');
    expect(valueAt(extra, ['limits'])).to.deep.equal({ A: 'PT1H', B: 'PT4H' });
  });

  it('finds nothing past a missing key, below a value that is no object, or in no extra at all', () => {
    expect(valueAt(extra, ['limits', 'C'])).to.equal(undefined);
    expect(valueAt(extra, ['department', 'length'])).to.equal(undefined);
    expect(valueAt(null, ['department'])).to.equal(undefined);
  });

  it('reads own keys only: a case variable cannot reach prototype members through a path', () => {
    // a tier typed into a form as `constructor` or `__proto__` must not find Object's members
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(valueAt(extra, ['limits', key]), key).to.equal(undefined);
    }
  });

  it('treats unset, null and empty text as empty, and everything else (0, false, an empty list) as a value', () => {
    expect([undefined, null, ''].map(isEmptyValue)).to.deep.equal([true, true, true]);
    expect([0, false, [], 'x'].map(isEmptyValue)).to.deep.equal([false, false, false, false]);
  });
});
