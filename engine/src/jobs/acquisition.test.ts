import { expect } from 'chai';
import { CommandExecutor, type Command } from '../command/index.js';
import type { JobEntity } from '../persistence/index.js';
import { ProcessEngine } from '../services/index.js';
import { bpmn, deployProcess, flow } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { AcquireJobsCmd } from './index.js';

function acquisition(lockOwner: string): AcquireJobsCmd {
  return new AcquireJobsCmd({ lockOwner, lockTimeMs: 60_000, maxJobs: 10 });
}

// Two acquisitions in flight at once need two transactions at once: MariaDB. SQLite runs one
// command at a time (one engine process owns the file), so there is nothing to race.
describeOnDatabases('jobs - acquisition by engines side by side', (fixture) => {
  it('leaves the due jobs it does not take to an engine acquiring while its own transaction is open', async () => {
    // given: 30 due jobs, and a second engine on the same database
    const { engine, databaseConfig } = fixture();
    const definitionId = await deployProcess(engine, bpmn('acq_concurrent', `
      <startEvent id="start"/>${flow('start', 'work')}
      <task id="work" camunda:asyncBefore="true"/>${flow('work', 'end')}
      <endEvent id="end"/>`));
    for (let i = 0; i < 30; i += 1) await engine.runtimeService.startProcessInstanceByKey('acq_concurrent');
    const other = await ProcessEngine.open({ database: databaseConfig });
    try {
      // when: the second engine acquires between the first one's acquisition and its commit
      let acquiredFirst = (): void => undefined;
      let secondDone = (): void => undefined;
      const firstInFlight = new Promise<void>((resolve) => (acquiredFirst = resolve));
      const secondFinished = new Promise<void>((resolve) => (secondDone = resolve));
      const heldOpen: Command<JobEntity[]> = {
        name: 'AcquireJobsAndHoldTheTransaction',
        async execute(context) {
          const jobs = await acquisition('engine-a').execute(context);
          acquiredFirst();
          await secondFinished;
          return jobs;
        },
      };
      const first = new CommandExecutor(engine.database, engine.environment).execute(heldOpen);
      await firstInFlight;
      const second = await new CommandExecutor(other.database, other.environment).execute(acquisition('engine-b')).finally(secondDone);
      // then: each locked a full batch, and no job is in both
      expect(await first).to.have.length(10);
      expect(second).to.have.length(10);
      const locked = await engine.managementService.listJobs({ processDefinitionId: definitionId });
      expect(locked.filter((job) => job.lockOwner === 'engine-a')).to.have.length(10);
      expect(locked.filter((job) => job.lockOwner === 'engine-b')).to.have.length(10);
    } finally {
      await other.close();
    }
  });
}, ['mariadb']);
