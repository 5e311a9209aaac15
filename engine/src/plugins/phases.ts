import { CommandContext } from '../command/index.js';

/**
 * Runs one step of a plugin command in its own unit of work inside the command's transaction, and
 * flushes it before the next step. The commands a plugin installation is made of (a permission,
 * a role granting it, a deployment, the public channel naming the deployed process) read what the
 * step before wrote, and a unit of work's reads do not find the rows it has inserted but not
 * written yet. Everything still commits or rolls back together: the steps share the command's
 * transaction (its connection), and their audit rows are written with them.
 */
export async function inStep<T>(context: CommandContext, name: string, work: (step: CommandContext) => Promise<T>): Promise<T> {
  const step = new CommandContext(context.session.sql, context.environment, context.userId, context.actor);
  const result = await work(step);
  await step.close(name);
  // what the executor tells after the commit (a job due, fetchable external tasks) travels up to the command
  if (step.earliestJobDue) context.jobScheduled(step.earliestJobDue);
  for (const topic of step.externalTaskTopics) context.externalTaskAvailable(topic);
  return result;
}
