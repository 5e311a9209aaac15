import { expect } from 'chai';
import { BadUserRequestError } from '../../errors/index.js';
import { TypedValue } from '../../variables/index.js';
import { formatDate, parseDate } from './dates.js';
import { variablesFromRest, variablesToRest } from './variables.js';

describe('api/engine-rest - wire formats', () => {
  it("writes dates in Camunda's format in the platform's zone and reads them back", () => {
    const instant = new Date('2026-11-23T08:34:42.123Z');
    expect(formatDate(instant, 'Asia/Shanghai')).to.equal('2026-11-23T16:34:42.123+0800');
    expect(parseDate('2026-11-23T16:34:42.123+0800', 'due').getTime()).to.equal(instant.getTime());
    expect(parseDate('2026-11-23T08:34:42.123Z', 'due').getTime()).to.equal(instant.getTime());
    expect(parseDate('2026-11-23T16:34:42', 'due', 'Asia/Shanghai').getTime()).to.equal(instant.getTime() - 123);
    expect(() => parseDate('next tuesday', 'dueAfter')).to.throw(BadUserRequestError, /'dueAfter'/);
  });

  it('reads typed variables as camunda-external-task-client-js and Camunda Modeler send them', () => {
    const variables = variablesFromRest(
      {
        text: { type: 'string', value: '井盖缺失' },
        count: { type: 'Integer', value: 3 },
        big: { type: 'long', value: 2 ** 40 },
        ratio: { type: 'double', value: 0.5 },
        ok: { type: 'boolean', value: true },
        at: { type: 'date', value: '2026-11-23T16:34:42.000+0800' },
        data: { type: 'json', value: '{"grid":7}' },
        photo: { type: 'file', value: Buffer.from('jpeg').toString('base64'), valueInfo: { filename: 'a.jpg', mimetype: 'image/jpeg' } },
        nothing: { type: 'null', value: null },
        inferred: { value: 'plain' },
      },
      'variables',
    );
    const typed = (name: string) => variables[name] as TypedValue;
    expect(typed('text')).to.deep.include({ type: 'string', value: '井盖缺失' });
    expect(typed('count')).to.deep.include({ type: 'integer', value: 3 });
    expect(typed('big')).to.deep.include({ type: 'long' });
    expect(typed('at').value).to.deep.equal(new Date('2026-11-23T08:34:42.000Z'));
    expect(typed('data').value).to.deep.equal({ grid: 7 });
    expect((typed('photo').value as Buffer).toString()).to.equal('jpeg');
    expect(typed('photo').valueInfo).to.deep.include({ filename: 'a.jpg', mimeType: 'image/jpeg' });
    expect(variables.inferred).to.equal('plain');
  });

  it('refuses what it cannot read, naming the variable', () => {
    expect(() => variablesFromRest({ x: { type: 'Object', value: 'rO0AB' } }, 'variables')).to.throw(/'x'.*Java serialization/);
    expect(() => variablesFromRest({ x: { type: 'Money', value: 1 } }, 'variables')).to.throw(/'x'.*Unsupported value type 'Money'/);
    expect(() => variablesFromRest({ x: { type: 'json', value: '{' } }, 'variables')).to.throw(/'x'.*valid JSON/);
    expect(() => variablesFromRest({ x: { type: 'file', value: '***' } }, 'variables')).to.throw(/'x'.*base64/);
    expect(() => variablesFromRest([1], 'variables')).to.throw(/'variables' must be an object/);
  });

  it('writes typed values with capitalised types, JSON as text and files without content', () => {
    const rest = variablesToRest(
      new Map([
        ['count', new TypedValue('integer', 3)],
        ['data', new TypedValue('json', { grid: 7 })],
        ['at', new TypedValue('date', new Date('2026-11-23T08:34:42.000Z'))],
        ['photo', new TypedValue('file', Buffer.from('jpeg'), { filename: 'a.jpg', mimeType: 'image/jpeg' })],
      ]),
      'Asia/Shanghai',
    );
    expect(rest.count).to.deep.equal({ type: 'Integer', value: 3, valueInfo: {} });
    expect(rest.data).to.deep.equal({ type: 'Json', value: '{"grid":7}', valueInfo: {} });
    expect(rest.at?.value).to.equal('2026-11-23T16:34:42.000+0800');
    expect(rest.photo).to.deep.equal({ type: 'File', value: null, valueInfo: { filename: 'a.jpg', mimeType: 'image/jpeg', mimetype: 'image/jpeg' } });
  });
});
