import type { CommandContext } from '../../command/index.js';
import type { ProcessModel, StartEventActivity, UserTaskActivity } from '../../bpmn/model/index.js';
import { compileForm } from '../../forms/index.js';
import { BadUserRequestError, type ValidationProblem } from '../../errors/index.js';
import { PROCESS_FORM, type DeploymentEntity, type FormDefinitionEntity } from '../../persistence/index.js';
import { checkForm, formOf, formVersionNumbered, latestFormVersion, storeFormVersion, type CheckedForm } from './form-versions.js';

const FORM_RESOURCE = /\.form$/i;

/** `camunda-forms:deployment:NAME.form` and `camunda-forms:app:NAME.form` both name a resource of the deployment. */
export const DEPLOYED_FORM_KEY = /^camunda-forms:(?:deployment|app):(.+)$/;

/** What may carry a form: a start event or a user task. */
export type FormActivity = UserTaskActivity | StartEventActivity;

/**
 * The `.form` resources of a deployment by resource name, each parsed and compiled before
 * anything is written: a broken form fails the whole deployment, naming the resource.
 */
export function checkFormResources(resources: readonly { readonly name: string; readonly content: Buffer }[]): Map<string, CheckedForm> {
  const forms = new Map<string, CheckedForm>();
  const resourceOfId = new Map<string, string>();
  for (const resource of resources.filter((r) => FORM_RESOURCE.test(r.name))) {
    const checked = checkForm(resource.content, `'${resource.name}'`);
    const other = resourceOfId.get(checked.form.id);
    if (other) throw new BadUserRequestError(`Form resources '${other}' and '${resource.name}' both have the id '${checked.form.id}': a deployment holds one version of a form`);
    resourceOfId.set(checked.form.id, resource.name);
    forms.set(resource.name, checked);
  }
  return forms;
}

/**
 * The version of each deployed form in the deployment's tenant, by resource name: a new version
 * where the content differs from the latest, else the latest. Forms Camunda Modeler sends along
 * unchanged (deploy-changed-only leaves them out of the deployment) count as the deployment's own.
 */
export async function storeDeployedForms(context: CommandContext, deployment: DeploymentEntity, forms: ReadonlyMap<string, CheckedForm>): Promise<Map<string, FormDefinitionEntity>> {
  const versions = new Map<string, FormDefinitionEntity>();
  for (const [resourceName, checked] of forms) {
    const origin = { name: resourceName.replace(FORM_RESOURCE, ''), deploymentId: deployment.id };
    versions.set(resourceName, (await storeFormVersion(context, deployment.tenantId, checked, origin)).definition);
  }
  return versions;
}

export interface FormPin {
  readonly activityId: string;
  readonly form: FormDefinitionEntity;
}

/**
 * The form version each start event and user task of a model shows from now on, resolved once,
 * at deploy: the deployment's own form first, else the latest version of the key in the tenant,
 * else the shared one; `camunda:formRefBinding="version"` that version. A reference that finds no
 * form, and a field permission naming no field of the form, are problems that fail the deploy.
 */
export async function planFormPins(
  context: CommandContext,
  model: ProcessModel,
  resource: string,
  tenantId: string | null,
  deployed: ReadonlyMap<string, FormDefinitionEntity>,
): Promise<{ pins: FormPin[]; problems: ValidationProblem[] }> {
  const pins: FormPin[] = [];
  const problems: ValidationProblem[] = [];
  for (const activity of model.activities.values()) {
    if (activity.kind !== 'userTask' && activity.kind !== 'startEvent') continue;
    const found = await formAtDeploy(context, activity, tenantId, deployed);
    if (found === null) continue;
    if (typeof found === 'string') {
      problems.push({ resource, elementId: activity.id, message: found });
      continue;
    }
    pins.push({ activityId: activity.id, form: found });
    for (const message of unknownPermissionFields(activity, found)) problems.push({ resource, elementId: activity.id, message });
  }
  return { pins, problems };
}

/** The pinned version, a problem, or null when the activity shows no Camunda form (none, or an embedded or external one). */
async function formAtDeploy(
  context: CommandContext,
  activity: FormActivity,
  tenantId: string | null,
  deployed: ReadonlyMap<string, FormDefinitionEntity>,
): Promise<FormDefinitionEntity | string | null> {
  const what = `${activity.kind === 'userTask' ? 'User task' : 'Start event'} '${activity.id}'`;
  const ref = activity.formRef;
  if (ref) {
    if (ref.binding === 'version') {
      const version = ref.version ?? 0;
      const own = [...deployed.values()].find((form) => form.key === ref.key && form.version === version);
      return own ?? (await formVersionNumbered(context.session, ref.key, version, tenantId)) ?? `${what} references version ${version} of form '${ref.key}' (camunda:formRef), which does not exist`;
    }
    const own = [...deployed.values()].find((form) => form.key === ref.key);
    return own ?? (await latestFormVersion(context.session, ref.key, tenantId)) ?? `${what} references the form '${ref.key}' (camunda:formRef), which is neither in this deployment nor deployed before: deploy the form with the process`;
  }
  const resourceName = activity.formKey ? DEPLOYED_FORM_KEY.exec(activity.formKey)?.[1] : undefined;
  if (resourceName === undefined) return null;
  return deployed.get(resourceName) ?? `${what} references the form resource '${resourceName}' (camunda:formKey), which is not part of this deployment: deploy the form with the process`;
}

/** `yiwang:field:<key>` must name a field of the pinned form (or a group or list of them), or the permission would silently guard nothing. */
function unknownPermissionFields(activity: FormActivity, form: FormDefinitionEntity): string[] {
  const keys = compileForm(formOf(form)).fields.map((field) => field.key);
  return [...activity.fieldPermissions.keys()]
    .filter((key) => !keys.some((field) => field === key || field.startsWith(`${key}.`)))
    .map((key) => `The property yiwang:field:${key} of '${activity.id}' names no field of form '${form.key}' version ${form.version}`);
}

/** Records the pins of a new process definition. */
export function pinForms(context: CommandContext, processDefinitionId: string, pins: readonly FormPin[]): void {
  for (const { activityId, form } of pins) {
    context.session.insert(PROCESS_FORM, { id: context.newId(), processDefinitionId, activityId, formDefinitionId: form.id });
  }
}
