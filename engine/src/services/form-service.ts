import type { Command } from '../command/index.js';
import { NotFoundError } from '../errors/index.js';
import { compileForm, formForUser, parseForm, withoutHidden, type FieldAccess, type FieldError, type FieldPermissions, type FormJson, type FormLanguage } from '../forms/index.js';
import { FORM_DEFINITION, HI_TASK, TASK, type FormDefinitionEntity, type TaskEntity } from '../persistence/index.js';
import { TypedValue } from '../variables/index.js';
import { ReadStartFormCmd, ReadTaskFormCmd, requireForm, type ActivityForm, type FormReference } from './commands/activity-forms.js';
import { fieldValues, plainValues, SubmitStartFormCmd, SubmitTaskFormCmd, type AcceptedSubmission, type FormSubmission, type StartFormSubmission } from './commands/form-submission.js';
import { formOf, latestFormVersion, SaveFormCmd, type SaveFormInput } from './commands/form-versions.js';
import type { ProcessInstance } from './commands/process-instance.js';
import type { CompletionNote } from './commands/task.js';
import { runNumberingCommand } from './commands/serial-numbers.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { visibleVariables } from './runtime-service.js';
import { ServiceBase } from './service-base.js';

export type { FormReference } from './commands/activity-forms.js';

export interface FormQuery extends Page, Sorting<'key' | 'name' | 'created'> {
  readonly key?: string;
  readonly nameLike?: string;
  readonly tenantId?: string;
}

const FORM_SORT = { key: 'key_', name: 'name', created: 'created' } as const;

/** One form version with the JSON Schema derived from it. */
export interface FormVersionView {
  readonly definition: FormDefinitionEntity;
  readonly form: FormJson;
  readonly schema: Record<string, unknown>;
}

/** A step's form as its user gets it: hidden fields left out, read-only ones flagged, and the values it shows. */
export interface FormView {
  readonly formKey: string;
  readonly formVersion: number;
  readonly form: FormJson;
  /** the JSON Schema of the form as this user sees it */
  readonly schema: Record<string, unknown>;
  readonly data: Record<string, unknown>;
  /** the fields that are not editable at this step */
  readonly permissions: Record<string, FieldAccess>;
}

/** What validating data against a form needs: a stored version (by key, the latest unless `version` says) or a form being designed. */
export type FormToValidate =
  | { readonly key: string; readonly version?: number; readonly tenantId?: string }
  | { readonly form: unknown };


/**
 * Forms: Camunda's FormService (the form references of start events and tasks, the deployed
 * forms, form submissions), and the form definitions with their versions (`/api/forms`). A
 * deployed process shows the form versions pinned when it was deployed (`commands/deploy-forms.ts`);
 * every submission is validated against the pinned form as its step shows it.
 */
export class FormService extends ServiceBase {
  async getStartFormReference(processDefinitionId: string): Promise<FormReference> {
    const { formKey, formRef } = await this.run(new ReadStartFormCmd(processDefinitionId));
    return { formKey, formRef };
  }

  async getTaskFormReference(taskId: string): Promise<FormReference> {
    const { formKey, formRef } = await this.run(new ReadTaskFormCmd((await this.visibleTask(taskId)).id));
    return { formKey, formRef };
  }

  /** The start form as its user gets it (without field permissions unless the start event sets some). */
  async getDeployedStartForm(processDefinitionId: string): Promise<FormJson> {
    const pinned = requireForm(await this.run(new ReadStartFormCmd(processDefinitionId)));
    return formForUser(pinned.form, pinned.permissions);
  }

  /** The task's form as its user gets it: hidden fields left out, read-only ones flagged. */
  async getDeployedTaskForm(taskId: string): Promise<FormJson> {
    const pinned = requireForm(await this.run(new ReadTaskFormCmd((await this.visibleTask(taskId)).id)));
    return formForUser(pinned.form, pinned.permissions);
  }

  /** The variables the task's form shows: everything the task sees, except the values of fields hidden at this step. */
  async getTaskFormVariables(taskId: string): Promise<Map<string, TypedValue>> {
    const task = await this.visibleTask(taskId);
    const { pinned } = await this.run(new ReadTaskFormCmd(task.id));
    const variables = await this.query((s) => visibleVariables(s, task.executionId));
    return pinned ? withoutHiddenVariables(variables, pinned.permissions) : variables;
  }

  /** `GET /api/process-definitions/{id}/start-form`. */
  async getStartForm(processDefinitionId: string): Promise<FormView> {
    return formView(requireForm(await this.run(new ReadStartFormCmd(processDefinitionId))), {});
  }

  /** `GET /api/tasks/{id}/form`: the form and the current values of its fields. */
  async getTaskForm(taskId: string): Promise<FormView> {
    const task = await this.visibleTask(taskId);
    const pinned = requireForm(await this.run(new ReadTaskFormCmd(task.id)));
    const variables = await this.query((s) => visibleVariables(s, task.executionId));
    return formView(pinned, plainValues(variables));
  }

  /** Validates and completes, in one command; Camunda clients' typed variables complete a task without a form unvalidated, as in Camunda. */
  async submitTaskForm(taskId: string, submission: FormSubmission, note?: CompletionNote): Promise<AcceptedSubmission> {
    // a case the caller's data scope hides is not theirs to complete, whoever it is offered to
    await this.requireVisible(HI_TASK, taskId, 'Task');
    return this.runNumbering(new SubmitTaskFormCmd(taskId, submission, note));
  }

  /** Validates and starts, in one command. */
  submitStartForm(processDefinitionId: string, input: StartFormSubmission): Promise<ProcessInstance & AcceptedSubmission> {
    return this.runNumbering(new SubmitStartFormCmd(processDefinitionId, input));
  }

  /** The latest version of each form key per tenant the caller sees. */
  listForms(query: FormQuery = {}): Promise<FormDefinitionEntity[]> {
    const filter = latestFormFilter(query);
    return this.query((s) => s.select(FORM_DEFINITION, filter.where, filter.bindings, orderAndPage(query, FORM_SORT, 'key', query)));
  }

  countForms(query: FormQuery = {}): Promise<number> {
    const filter = latestFormFilter(query);
    return this.query((s) => s.count(FORM_DEFINITION, filter.where, filter.bindings));
  }

  /** Every version of a key, newest first: the named tenant's, else the caller's own tenant's, else the shared ones. */
  async listFormVersions(key: string, tenantId?: string): Promise<FormDefinitionEntity[]> {
    const owner = await this.formOwner(key, tenantId);
    const filter = new Filter().equals('key_', key).equals('tenant_id', owner);
    return this.query((s) => s.select(FORM_DEFINITION, filter.where, filter.bindings, 'ORDER BY version DESC'));
  }

  async getFormVersion(key: string, version: number, tenantId?: string): Promise<FormVersionView> {
    const owner = await this.formOwner(key, tenantId);
    const filter = new Filter().equals('key_', key).equals('tenant_id', owner).equals('version', version);
    const [definition] = await this.query((s) => s.select(FORM_DEFINITION, filter.where, filter.bindings));
    if (!definition) throw new NotFoundError(`Form '${key}' has no version ${version}`);
    return versionView(definition);
  }

  /** A new version of the form's key, unless the latest version holds the same content (`created` false). */
  async saveForm(input: SaveFormInput): Promise<FormVersionView & { readonly created: boolean }> {
    const { definition, created } = await this.run(new SaveFormCmd(input));
    return { ...versionView(definition), created };
  }

  /** The designer's live preview: every failing field of `data`, [] when it passes. */
  async validateFormData(target: FormToValidate, data: Record<string, unknown>, language: FormLanguage): Promise<FieldError[]> {
    const form = 'form' in target
      ? parseForm(JSON.stringify(target.form), '(request)')
      : target.version === undefined
        ? formOf(await this.latestVisible(target.key, target.tenantId))
        : (await this.getFormVersion(target.key, target.version, target.tenantId)).form;
    return compileForm(form).validate(data, { language });
  }

  /** The task as the caller's queries see it (their data scope applies), or 404. */
  private async visibleTask(taskId: string): Promise<TaskEntity> {
    const task = await this.query((s) => s.findById(TASK, taskId));
    if (!task) throw new NotFoundError(`Task '${taskId}' does not exist`);
    return task;
  }

  /** Whose versions of a key are meant: the named tenant's, else those of the latest version the caller sees (their tenant's before the shared one). */
  private async formOwner(key: string, tenantId: string | undefined): Promise<string | null> {
    if (tenantId !== undefined) return tenantId;
    return (await this.latestVisible(key)).tenantId;
  }

  private async latestVisible(key: string, tenantId?: string): Promise<FormDefinitionEntity> {
    const latest = await this.query((s) => latestFormVersion(s, key, tenantId ?? this.caller.actor?.tenantId ?? null));
    if (!latest || (tenantId !== undefined && latest.tenantId !== tenantId)) throw new NotFoundError(`Form '${key}' does not exist`);
    return latest;
  }

  /**
   * Runs a submission that may take serial numbers: when the day's counter does not exist yet it
   * is created, and when a concurrent submission took the number first the whole command runs
   * again — nothing of the failed attempt was written.
   */
  private runNumbering<T>(command: Command<T>): Promise<T> {
    return runNumberingCommand(command, (next) => this.run(next), this.executor);
  }
}

function versionView(definition: FormDefinitionEntity): FormVersionView {
  const form = formOf(definition);
  return { definition, form, schema: compileForm(form).jsonSchema };
}

/** The newest version of each key within its tenant. */
function latestFormFilter(query: FormQuery): Filter {
  return new Filter()
    .equals('key_', query.key)
    .like('name', query.nameLike)
    .equals('tenant_id', query.tenantId)
    .raw(`NOT EXISTS (SELECT 1 FROM form_definition newer WHERE newer.key_ = form_definition.key_ AND newer.version > form_definition.version
      AND (newer.tenant_id = form_definition.tenant_id OR (newer.tenant_id IS NULL AND form_definition.tenant_id IS NULL)))`);
}

function formView(pinned: ActivityForm, current: Record<string, unknown>): FormView {
  const form = formForUser(pinned.form, pinned.permissions);
  return {
    formKey: pinned.version.key,
    formVersion: pinned.version.version,
    form,
    schema: compileForm(form).jsonSchema,
    data: withoutHidden(fieldValues(current, pinned), pinned.permissions),
    permissions: Object.fromEntries(pinned.permissions),
  };
}

/** The variables without the values of hidden fields; a Json variable loses only the hidden parts of its value. */
function withoutHiddenVariables(variables: ReadonlyMap<string, TypedValue>, permissions: FieldPermissions): Map<string, TypedValue> {
  const visible = withoutHidden(plainValues(variables), permissions);
  const kept = [...variables].filter(([name]) => name in visible);
  return new Map(kept.map(([name, typed]) => [name, typed.type === 'json' ? new TypedValue('json', visible[name], typed.valueInfo) : typed]));
}
