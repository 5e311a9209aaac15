import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, NotFoundError } from '../errors/index.js';
import { PROCESS_DEFINITION, RESOURCE, type DbSession, type FormRef, type ResourceEntity } from '../persistence/index.js';
import { Filter } from './query.js';
import { ServiceBase } from './service-base.js';
import { loadOpenTask } from './commands/task.js';

/** Where a start event or user task finds its form: `camunda:formKey` or `camunda:formRef`. */
export interface FormReference {
  readonly formKey: string | null;
  readonly formRef: FormRef | null;
}

/** What a deployed Camunda form is resolved against: the deployment of the process, and its tenant. */
interface FormOwner extends FormReference {
  readonly deploymentId: string;
  readonly tenantId: string | null;
  /** names the start event or task in messages */
  readonly description: string;
}

/** `camunda-forms:deployment:NAME.form` and `camunda-forms:app:NAME.form` both name a resource of the deployment. */
const DEPLOYED_FORM_KEY = /^camunda-forms:(?:deployment|app):(.+)$/;

/**
 * Camunda's FormService, as far as Tasklist-style clients need it: the form references of start
 * events and user tasks, and the JSON of deployed Camunda forms. Forms are found among the `.form`
 * resources by their `id` (versions counted by deployment order) until the forms issue brings
 * form definitions of their own.
 */
export class FormService extends ServiceBase {
  async getStartFormReference(processDefinitionId: string): Promise<FormReference> {
    const { formKey, formRef } = await this.run(new StartFormCmd(processDefinitionId));
    return { formKey, formRef };
  }

  async getTaskFormReference(taskId: string): Promise<FormReference> {
    const { formKey, formRef } = await this.run(new TaskFormCmd(taskId));
    return { formKey, formRef };
  }

  /** The start form's JSON. */
  async getDeployedStartForm(processDefinitionId: string): Promise<Buffer> {
    const owner = await this.run(new StartFormCmd(processDefinitionId));
    return this.query((s) => deployedForm(s, owner));
  }

  /** The task form's JSON. */
  async getDeployedTaskForm(taskId: string): Promise<Buffer> {
    const owner = await this.run(new TaskFormCmd(taskId));
    return this.query((s) => deployedForm(s, owner));
  }
}

/** Reads through a command: the compiled model lives in the engine's deployment cache. */
class StartFormCmd implements Command<FormOwner> {
  readonly name = 'GetStartForm';

  constructor(private readonly processDefinitionId: string) {}

  async execute(context: CommandContext): Promise<FormOwner> {
    const definition = await context.session.findById(PROCESS_DEFINITION, this.processDefinitionId);
    if (!definition) throw new NotFoundError(`Process definition '${this.processDefinitionId}' does not exist`);
    const { model } = await context.environment.deployments.get(context.session, definition.id);
    const start = model.root.startActivity;
    const reference = start?.kind === 'startEvent' ? { formKey: start.formKey, formRef: start.formRef } : { formKey: null, formRef: null };
    return { ...reference, deploymentId: definition.deploymentId, tenantId: definition.tenantId, description: `The start event of process definition '${definition.id}'` };
  }
}

class TaskFormCmd implements Command<FormOwner> {
  readonly name = 'GetTaskForm';

  constructor(private readonly taskId: string) {}

  async execute(context: CommandContext): Promise<FormOwner> {
    const task = await loadOpenTask(context, this.taskId);
    const definition = await context.session.findById(PROCESS_DEFINITION, task.processDefinitionId);
    if (!definition) throw new NotFoundError(`Process definition '${task.processDefinitionId}' of task '${task.id}' does not exist`);
    return { formKey: task.formKey, formRef: task.formRef, deploymentId: definition.deploymentId, tenantId: task.tenantId, description: `Task '${task.id}'` };
  }
}

async function deployedForm(session: DbSession, owner: FormOwner): Promise<Buffer> {
  if (owner.formRef) return formByRef(session, owner, owner.formRef);
  const match = owner.formKey ? DEPLOYED_FORM_KEY.exec(owner.formKey) : null;
  if (match) {
    const [resource] = await session.select(RESOURCE, 'deployment_id = $1 AND name = $2', [owner.deploymentId, match[1] as string]);
    if (!resource) throw new NotFoundError(`The form '${match[1]}' of ${owner.description} is not a resource of deployment '${owner.deploymentId}'`);
    return resource.content;
  }
  if (owner.formKey) throw new BadUserRequestError(`The form key '${owner.formKey}' of ${owner.description} does not reference a deployed Camunda form`);
  throw new NotFoundError(`${owner.description} has no form: it sets neither camunda:formKey nor camunda:formRef`);
}

/** `camunda:formRef` by binding: the form of that id in the same deployment, the latest one, or its n-th version. */
async function formByRef(session: DbSession, owner: FormOwner, ref: FormRef): Promise<Buffer> {
  const filter = new Filter().raw("r.name LIKE '%.form'").equals('r.tenant_id', owner.tenantId);
  if (ref.binding === 'deployment') filter.equals('r.deployment_id', owner.deploymentId);
  const ids = await session.sql.select(
    `SELECT r.id FROM resource r JOIN deployment d ON d.id = r.deployment_id WHERE ${filter.where} ORDER BY d.deploy_time, d.id`,
    filter.bindings,
  );
  const byId = new Filter().in('id', ids.map((row) => String(row.id)));
  const resources = ids.length === 0 ? [] : await session.select(RESOURCE, byId.where, byId.bindings);
  const order = new Map(ids.map((row, index) => [String(row.id), index]));
  const versions = resources.filter((r) => formId(r) === ref.key).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const found = ref.binding === 'version' ? versions[(ref.version ?? 0) - 1] : versions.at(-1);
  if (!found) {
    const which = ref.binding === 'version' ? `version ${ref.version}` : ref.binding === 'deployment' ? `deployment '${owner.deploymentId}'` : 'any deployment';
    throw new NotFoundError(`The form '${ref.key}' referenced by ${owner.description} (binding ${ref.binding}) was not found in ${which}`);
  }
  return found.content;
}

function formId(resource: ResourceEntity): string | null {
  try {
    const form = JSON.parse(resource.content.toString('utf8')) as { id?: unknown };
    return typeof form.id === 'string' ? form.id : null;
  } catch {
    return null;
  }
}
