import { expect } from 'chai';
import type { Command, CommandContext } from '../command/index.js';
import { ConflictError } from '../errors/index.js';
import { describeOnDatabases } from '../testing/databases.js';
import { unusedTrackingCode } from './submission.js';
import { PUBLIC_REPORT } from './tables.js';

describeOnDatabases('public-reports - tracking codes of new reports', (fixture) => {
  const TAKEN = 'TAKENCODE234';

  before(async () => {
    await fixture().engine.commandExecutor.execute({
      name: 'StoreReport',
      execute: async (context: CommandContext) => {
        context.session.insert(PUBLIC_REPORT, {
          id: context.newId(), rev: 1, tenantId: 't', trackingCode: TAKEN, processInstanceId: 'p', category: 'c', categoryLabel: null, description: 'd',
          latitude: null, longitude: null, clientAddress: null, reporterPhone: null, submittedAt: context.now(), ratingScore: null, ratingComment: null, ratedAt: null,
          channel: null, mergedInto: null, mergedAt: null,
        });
      },
    } satisfies Command<void>);
  });

  const draw = (codes: string[]) => fixture().engine.commandExecutor.execute({ name: 'DrawCode', execute: (context: CommandContext) => unusedTrackingCode(context, () => codes.shift() as string) });

  it('draws a second code when the first is in use, and gives up with a 409 when that one is too', async () => {
    expect(await draw([TAKEN, 'FREECODE2345'])).to.equal('FREECODE2345');
    const refused = await draw([TAKEN, TAKEN]).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(ConflictError);
  });
});
