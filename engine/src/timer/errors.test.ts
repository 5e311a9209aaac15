import { expect } from 'chai';
import { parseTimer, TimerSyntaxError, type TimerType } from './index.js';

/** The error `parseTimer` throws for `text`, failing the test if it parses. */
function syntaxError(type: TimerType, text: string): TimerSyntaxError {
  try {
    parseTimer(type, text, { timeZone: 'UTC' });
  } catch (error) {
    expect(error).to.be.instanceOf(TimerSyntaxError);
    return error as TimerSyntaxError;
  }
  return expect.fail(`expected a TimerSyntaxError for ${type} '${text}'`);
}

describe('timer > errors', () => {
  it('throws TimerSyntaxError, an Error named after its class', () => {
    // when
    const error = syntaxError('timeDuration', 'PT5X');
    // then
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal('TimerSyntaxError');
  });

  it('keeps the inner error of a time cycle as its cause', () => {
    // when
    const error = syntaxError('timeCycle', 'R3/PT5X');
    // then
    expect(error.cause).to.be.instanceOf(TimerSyntaxError);
    expect((error.cause as Error).message).to.equal("'PT5X' is not an ISO 8601 duration");
  });

  it('tells repeating intervals from cron by the leading R', () => {
    expect(syntaxError('timeCycle', 'RX').message).to.match(/is not a valid time cycle/);
    expect(syntaxError('timeCycle', 'PT1H').message).to.match(/is neither an ISO 8601 repeating interval/);
  });

  describe('timeDate', () => {
    it('rejects text that is not a date-time, naming it', () => {
      expect(syntaxError('timeDate', 'tomorrow').message).to.equal("'tomorrow' is not a valid ISO 8601 date-time");
      expect(syntaxError('timeDate', '2026-02-30').message).to.equal("'2026-02-30' is not a valid ISO 8601 date-time");
      expect(syntaxError('timeDate', '2026-11-24 10:00:00').message).to.equal("'2026-11-24 10:00:00' is not a valid ISO 8601 date-time");
    });

    it('rejects a time without a date instead of reading it as today', () => {
      expect(syntaxError('timeDate', '10:00').message).to.equal("'10:00' is not a valid ISO 8601 date-time");
    });
  });

  describe('timeDuration', () => {
    it('rejects text that is not a duration, naming it', () => {
      expect(syntaxError('timeDuration', 'PT5X').message).to.equal("'PT5X' is not an ISO 8601 duration");
      expect(syntaxError('timeDuration', '5 minutes').message).to.equal("'5 minutes' is not an ISO 8601 duration");
      expect(syntaxError('timeDuration', '').message).to.equal("'' is not an ISO 8601 duration");
    });

    it('rejects zero and negative durations', () => {
      expect(syntaxError('timeDuration', 'PT0S').message).to.equal("'PT0S' is zero: a timer needs a positive duration");
      expect(syntaxError('timeDuration', 'P').message).to.equal("'P' is zero: a timer needs a positive duration");
      expect(syntaxError('timeDuration', '-PT5M').message).to.equal("'-PT5M' is negative: a timer needs a positive duration");
      expect(syntaxError('timeDuration', 'P1DT-1H').message).to.equal("'P1DT-1H' is negative: a timer needs a positive duration");
    });

    it('rejects a fraction of a calendar unit', () => {
      expect(syntaxError('timeDuration', 'P1.5M').message).to.equal(
        "'P1.5M' has a fraction of a calendar unit: only hours, minutes and seconds may be fractional",
      );
      expect(syntaxError('timeDuration', 'P0.5D').message).to.contain("'P0.5D' has a fraction of a calendar unit");
    });
  });

  describe('timeCycle > repeating interval', () => {
    it('rejects R0', () => {
      expect(syntaxError('timeCycle', 'R0/PT1H').message).to.equal("'R0/PT1H' is not a valid time cycle: 'R0' allows no firing at all");
    });

    it('rejects a bad repetition count', () => {
      expect(syntaxError('timeCycle', 'Rx/PT1H').message).to.equal(
        "'Rx/PT1H' is not a valid time cycle: 'Rx' is not a repetition count (R or Rn); " +
          'expected R[n]/<duration>, R[n]/<start>/<duration> or R[n]/<start>/<end>',
      );
    });

    it('names the bad part', () => {
      expect(syntaxError('timeCycle', 'R3/PT5X').message).to.equal(
        "'R3/PT5X' is not a valid time cycle: 'PT5X' is not an ISO 8601 duration",
      );
      expect(syntaxError('timeCycle', 'R/PT0S').message).to.equal(
        "'R/PT0S' is not a valid time cycle: 'PT0S' is zero: a timer needs a positive duration",
      );
      expect(syntaxError('timeCycle', 'R/2026-13-01T00:00:00/PT1H').message).to.equal(
        "'R/2026-13-01T00:00:00/PT1H' is not a valid time cycle: '2026-13-01T00:00:00' is not a valid ISO 8601 date-time",
      );
    });

    it('rejects the wrong number of parts', () => {
      for (const text of ['R', 'R/2026-03-05T08:00:00Z/PT1H/PT1H']) {
        expect(syntaxError('timeCycle', text).message).to.equal(
          `'${text}' is not a valid time cycle: expected R[n]/<duration>, R[n]/<start>/<duration> or R[n]/<start>/<end>`,
        );
      }
    });

    it('rejects a cycle given by its end', () => {
      expect(syntaxError('timeCycle', 'R3/PT1H/2026-03-05T08:00:00Z').message).to.equal(
        "'R3/PT1H/2026-03-05T08:00:00Z' is not a valid time cycle: a cycle that ends at '2026-03-05T08:00:00Z' " +
          'is not supported, give its start: R[n]/<start>/<duration>',
      );
    });

    it('rejects an end that is not after the start', () => {
      expect(syntaxError('timeCycle', 'R/2026-03-05T08:00:00Z/2026-03-05T08:00:00Z').message).to.equal(
        "'R/2026-03-05T08:00:00Z/2026-03-05T08:00:00Z' is not a valid time cycle: the end '2026-03-05T08:00:00Z' is not after the start",
      );
    });
  });

  describe('timeCycle > cron', () => {
    it('rejects a cron that can never fire', () => {
      expect(syntaxError('timeCycle', '0 0 12 30 2 ?').message).to.equal("'0 0 12 30 2 ?' is a cron expression that never fires");
    });

    it('rejects a day of month together with a day of week, as Quartz does', () => {
      expect(syntaxError('timeCycle', '0 0 12 15 * MON').message).to.equal(
        "'0 0 12 15 * MON' restricts both the day of month and the day of week: use '?' in one of them",
      );
    });

    it('rejects the wrong number of fields and garbage', () => {
      for (const text of ['0 12 * * ?', '0 0 12 * * ? 2027 1', 'every hour', '']) {
        expect(syntaxError('timeCycle', text).message).to.equal(
          `'${text}' is neither an ISO 8601 repeating interval (R[n]/…) nor a cron expression ` +
            '(6 or 7 fields: second minute hour day-of-month month day-of-week [year])',
        );
      }
    });

    it('passes on what the cron library found wrong in a field', () => {
      expect(syntaxError('timeCycle', '0 0 25 * * ?').message).to.equal(
        "'0 0 25 * * ?' is not a valid cron expression: Invalid value for hour: 25",
      );
      expect(syntaxError('timeCycle', '0 0 12 ? * 0').message).to.match(/^'0 0 12 \? \* 0' is not a valid cron expression: /);
      expect(syntaxError('timeCycle', '0 0 12 ? * XYZ').message).to.match(/^'0 0 12 \? \* XYZ' is not a valid cron expression: /);
    });
  });
});
