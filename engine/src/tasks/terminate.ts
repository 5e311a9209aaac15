import type { Command, CommandContext } from '../command/index.js';
import { ConflictError, NotFoundError } from '../errors/index.js';
import { HI_PROCESS_INSTANCE } from '../persistence/index.js';
import { DeleteProcessInstanceCmd } from '../services/commands/process-instance.js';
import type { OperationInput } from './operation.js';
import { recordAction } from './timeline.js';

/** Ends a running case at once, every open task with it; its history and timeline stay. */
export async function terminateCase(context: CommandContext, processInstanceId: string, reason: string, operation: string, input: OperationInput): Promise<void> {
  const instance = await context.session.findById(HI_PROCESS_INSTANCE, processInstanceId);
  if (!instance) throw new NotFoundError(`Process instance '${processInstanceId}' does not exist`);
  if (instance.endTime) throw new ConflictError(`Process instance '${processInstanceId}' has already ended (${instance.state})`);
  await recordAction(context, { processInstanceId, tenantId: instance.tenantId, operation, input });
  await new DeleteProcessInstanceCmd(processInstanceId, reason).execute(context);
}

/** 终止: an administrator (`instance:terminate`) ends a case, saying why. */
export class TerminateCaseCmd implements Command<void> {
  readonly name = 'TerminateCase';

  constructor(
    private readonly processInstanceId: string,
    private readonly input: OperationInput & { readonly comment: string },
  ) {}

  execute(context: CommandContext): Promise<void> {
    return terminateCase(context, this.processInstanceId, `terminated: ${this.input.comment.trim()}`, 'terminate', this.input);
  }
}
