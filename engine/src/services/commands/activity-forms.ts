import type { Command, CommandContext } from '../../command/index.js';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import { compileForm, type CompiledForm, type FieldPermissions, type FormJson } from '../../forms/index.js';
import {
  FORM_DEFINITION,
  PROCESS_DEFINITION,
  PROCESS_FORM,
  type DbSession,
  type FormDefinitionEntity,
  type FormRef,
  type ProcessDefinitionEntity,
  type TaskEntity,
} from '../../persistence/index.js';
import { DEPLOYED_FORM_KEY } from './deploy-forms.js';
import { formOf } from './form-versions.js';
import { loadOpenTask } from './task.js';

/** Where a start event or user task finds its form, as Camunda describes it: `camunda:formKey` or `camunda:formRef`. */
export interface FormReference {
  readonly formKey: string | null;
  readonly formRef: FormRef | null;
}

/** The form version a start event or user task was pinned to at deploy, with the field permissions of that step. */
export interface ActivityForm {
  readonly version: FormDefinitionEntity;
  readonly form: FormJson;
  readonly compiled: CompiledForm;
  readonly permissions: FieldPermissions;
}

/** A start event's or task's form: its reference, and the pinned form when it is a Camunda form. */
export interface FormOwner extends FormReference {
  /** names the start event or task in messages */
  readonly description: string;
  readonly pinned: ActivityForm | null;
}

/** The pinned form, or the error Camunda's form endpoints answer: no form at all, or one that is not a Camunda form. */
export function requireForm(owner: FormOwner): ActivityForm {
  if (owner.pinned) return owner.pinned;
  const deployed = owner.formRef !== null || (owner.formKey !== null && DEPLOYED_FORM_KEY.test(owner.formKey));
  if (deployed) throw new NotFoundError(`${owner.description} has no pinned form version: its process was deployed before form versions existed; deploy it again`);
  if (owner.formKey) throw new BadUserRequestError(`The form key '${owner.formKey}' of ${owner.description} does not reference a deployed Camunda form`);
  throw new NotFoundError(`${owner.description} has no form: it sets neither camunda:formKey nor camunda:formRef`);
}

/** The form of a definition's start event (the none start event a plain start begins at). */
export async function startFormOf(context: CommandContext, definition: ProcessDefinitionEntity): Promise<FormOwner> {
  const { model } = await context.environment.deployments.get(context.session, definition.id);
  const start = model.root.startActivity;
  const description = `The start event of process definition '${definition.id}'`;
  if (start?.kind !== 'startEvent') return { formKey: null, formRef: null, description, pinned: null };
  return { formKey: start.formKey, formRef: start.formRef, description, pinned: await pinnedForm(context.session, definition.id, start.id, start.fieldPermissions) };
}

/** The form of an open task, with the field permissions of its user task. */
export async function taskFormOf(context: CommandContext, task: TaskEntity): Promise<FormOwner> {
  const { model } = await context.environment.deployments.get(context.session, task.processDefinitionId);
  const activity = model.activities.get(task.taskDefinitionKey);
  const permissions: FieldPermissions = activity?.kind === 'userTask' ? activity.fieldPermissions : new Map();
  const pinned = await pinnedForm(context.session, task.processDefinitionId, task.taskDefinitionKey, permissions);
  return { formKey: task.formKey, formRef: task.formRef, description: `Task '${task.id}'`, pinned };
}

async function pinnedForm(session: DbSession, processDefinitionId: string, activityId: string, permissions: FieldPermissions): Promise<ActivityForm | null> {
  const [pin] = await session.select(PROCESS_FORM, 'process_definition_id = $1 AND activity_id = $2', [processDefinitionId, activityId]);
  const version = pin ? await session.findById(FORM_DEFINITION, pin.formDefinitionId) : null;
  if (!version) return null;
  const form = formOf(version);
  return { version, form, compiled: compileForm(form), permissions };
}

/** Reads through a command: the compiled model lives in the engine's deployment cache. */
export class ReadStartFormCmd implements Command<FormOwner & { readonly definition: ProcessDefinitionEntity }> {
  readonly name = 'ReadStartForm';

  constructor(private readonly processDefinitionId: string) {}

  async execute(context: CommandContext): Promise<FormOwner & { readonly definition: ProcessDefinitionEntity }> {
    const definition = await context.session.findById(PROCESS_DEFINITION, this.processDefinitionId);
    if (!definition) throw new NotFoundError(`Process definition '${this.processDefinitionId}' does not exist`);
    return { ...(await startFormOf(context, definition)), definition };
  }
}

export class ReadTaskFormCmd implements Command<FormOwner & { readonly task: TaskEntity }> {
  readonly name = 'ReadTaskForm';

  constructor(private readonly taskId: string) {}

  async execute(context: CommandContext): Promise<FormOwner & { readonly task: TaskEntity }> {
    const task = await loadOpenTask(context, this.taskId);
    return { ...(await taskFormOf(context, task)), task };
  }
}
