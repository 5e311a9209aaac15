import { expect } from 'chai';
import { DateTime } from 'luxon';
import { formatSerial, serialRuleProblem } from './serial-numbers.js';

describe('services/commands - serial number rules', () => {
  const day = DateTime.fromISO('2026-03-07T09:30:00', { zone: 'Asia/Shanghai' });

  it('fills in date patterns and the zero-padded number, keeping literal text', () => {
    expect(formatSerial('AJ{yyyyMMdd}{seq:4}', day, 7)).to.equal('AJ202603070007');
    expect(formatSerial('{yy}-{MM}-{seq}', day, 12)).to.equal('26-03-12');
    expect(formatSerial('XC{seq:2}', day, 123)).to.equal('XC123');
  });

  it('accepts rules with date patterns and exactly one sequence', () => {
    for (const rule of ['AJ{yyyyMMdd}{seq:4}', '{seq}', '柳城-{yyyy}-{seq:6}']) expect(serialRuleProblem(rule), rule).to.equal(null);
  });

  it('refuses empty rules, unknown parts and a missing or repeated sequence, in Chinese and English', () => {
    const problems = ['', 'AJ{yyyy}', 'AJ{HHmm}{seq}', '{seq}{seq:2}', '{seq:13}', `{seq}${'x'.repeat(255)}`].map((rule) => serialRuleProblem(rule));
    expect(problems.every((problem) => problem !== null && /[\u4e00-\u9fff]/.test(problem[0]) && /[a-z]/.test(problem[1]))).to.equal(true);
    expect(problems[2]?.[1]).to.contain('{HHmm}');
  });
});
