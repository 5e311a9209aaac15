import { expect } from 'chai';
import { DateTime } from 'luxon';
import { formatSerial, serialFieldKeys, serialRuleProblem, withFieldValues } from './serial-numbers.js';

describe('services/commands - serial number rules', () => {
  const day = DateTime.fromISO('2026-03-07T09:30:00', { zone: 'Asia/Shanghai' });
  const none = new Set<string>();

  it('fills in date patterns and the zero-padded number, keeping literal text', () => {
    expect(formatSerial('AJ{yyyyMMdd}{seq:4}', day, 7)).to.equal('AJ202603070007');
    expect(formatSerial('{yy}-{MM}-{seq}', day, 12)).to.equal('26-03-12');
    expect(formatSerial('XC{seq:2}', day, 123)).to.equal('XC123');
  });

  it('fills in field parts first: the counter counts for the rule with the values in it', () => {
    const rule = '{field:category}{yyyyMMdd}{seq:4}';
    expect(serialFieldKeys(`${rule}-{field:grid.code}{field:category}`)).to.deep.equal(['category', 'grid.code']);
    const counted = withFieldValues(rule, { category: 'BJ01001' });
    expect(counted).to.equal('BJ01001{yyyyMMdd}{seq:4}');
    expect(formatSerial(counted, day, 3)).to.equal('BJ01001202603070003');
  });

  it('accepts rules with date patterns, fields of the form and exactly one sequence', () => {
    for (const rule of ['AJ{yyyyMMdd}{seq:4}', '{seq}', '柳城-{yyyy}-{seq:6}']) expect(serialRuleProblem(rule, none), rule).to.equal(null);
    expect(serialRuleProblem('{field:category}{yyyyMMdd}{seq:4}', new Set(['category']))).to.equal(null);
    expect(serialRuleProblem(`{field:a}{field:b}${'x'.repeat(184)}{seq:4}`, new Set(['a', 'b']))).to.equal(null);
  });

  it('refuses empty rules, unknown parts and a missing or repeated sequence, in Chinese and English', () => {
    const problems = ['', 'AJ{yyyy}', 'AJ{HHmm}{seq}', '{seq}{seq:2}', '{seq:13}', `{seq}${'x'.repeat(255)}`].map((rule) => serialRuleProblem(rule, none));
    expect(problems.every((problem) => problem !== null && /[\u4e00-\u9fff]/.test(problem[0]) && /[a-z]/.test(problem[1]))).to.equal(true);
    expect(problems[2]?.[1]).to.contain('{HHmm}');
  });

  it('refuses a field part naming no field the rule may use, and a rule too long once its fields are filled in', () => {
    const fields = new Set(['category']);
    expect(serialRuleProblem('{field:kind}{seq}', fields)?.[1]).to.contain('{field:kind}');
    expect(serialRuleProblem('{field:}{seq}', fields)?.[1]).to.contain('{field:}');
    expect(serialRuleProblem('{field:category}{seq}', fields)?.[1]).to.contain('fixed-width {seq:N}');
    expect(serialRuleProblem('{field:category}{seq:4}{field:category}', fields)?.[1]).to.contain('before {seq:N}');
    expect(serialRuleProblem('{field:category}-{seq:4}-{yyyy}', fields)).to.equal(null);
    // 240 characters as written, 267 with a 32-character category
    expect(serialRuleProblem(`{field:category}${'x'.repeat(218)}{seq:4}`, fields)?.[1]).to.contain('each {field:…} counted as 32');
  });
});
