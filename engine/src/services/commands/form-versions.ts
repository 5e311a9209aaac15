import { createHash } from 'node:crypto';
import type { Command, CommandContext } from '../../command/index.js';
import { compileForm, parseForm, type CompiledForm, type FormComponent, type FormField, type FormJson } from '../../forms/index.js';
import { FORM_DEFINITION, type DbSession, type FormDefinitionEntity } from '../../persistence/index.js';
import { Filter } from '../query.js';
import { lockDeployments, ownerTenant } from './ownership.js';
import { checkSerialRule, SERIAL_REFERABLE_TYPES } from './serial-numbers.js';

/** A form that passed every check before anything is written, with the text and hash it is stored under. */
export interface CheckedForm {
  readonly form: FormJson;
  readonly compiled: CompiledForm;
  /** the JSON as stored: compact, so formatting alone never makes a new version */
  readonly content: string;
  readonly contentHash: string;
}

/** Parses and checks a form (parseForm builds its model, so it compiles) and its serial-number rules; problems name `source`. */
export function checkForm(content: Buffer | string, source: string): CheckedForm {
  const form = parseForm(content, source);
  const compiled = compileForm(form);
  // what a rule's {field:key} may name: one text value per submission, given by the submitter
  const referable = new Set(
    declaredFields(form, compiled)
      .filter(({ field, component }) => field.list === null && SERIAL_REFERABLE_TYPES.has(field.type) && component.multiple !== true)
      .map(({ field }) => field.key),
  );
  for (const field of serialFields(form, compiled)) checkSerialRule(field.rule, source, field.key, referable);
  const stored = JSON.stringify(form);
  return { form, compiled, content: stored, contentHash: createHash('sha256').update(stored).digest('hex') };
}

/** A field of a form with the component that declares it: what the field list does not tell (a serial rule, a dictionary). */
export interface DeclaredField {
  readonly field: FormField;
  readonly component: FormComponent;
}

/** The form's fields with their components; 明细表 columns, which are no components, are left out. */
export function declaredFields(form: FormJson, compiled: CompiledForm): DeclaredField[] {
  const components = new Map(keyedComponents(form.components, ''));
  return compiled.fields.flatMap((field) => {
    const component = components.get(field.key);
    return component ? [{ field, component }] : [];
  });
}

/** Components by the key of their value, as the form's fields are keyed: groups and dynamic lists nest their children under their `path`. */
function keyedComponents(components: readonly FormComponent[], prefix: string): [string, FormComponent][] {
  return components.flatMap((component): [string, FormComponent][] => {
    if (component.components) return keyedComponents(component.components, component.path ? `${prefix}${component.path}.` : prefix);
    return component.key ? [[`${prefix}${component.key}`, component]] : [];
  });
}

/** The `yw-serial` fields of a form with their rules; not those in the rows of a dynamic list (a number belongs to a submission, not to a row). */
export function serialFields(form: FormJson, compiled: CompiledForm): { key: string; rule: string }[] {
  return declaredFields(form, compiled)
    .filter(({ field }) => field.type === 'yw-serial' && field.list === null)
    .map(({ field, component }) => ({ key: field.key, rule: typeof component.rule === 'string' ? component.rule : '' }));
}

/** The form a stored version holds. */
export function formOf(definition: FormDefinitionEntity): FormJson {
  return parseForm(definition.content, `form '${definition.key}' version ${definition.version}`);
}

/**
 * The latest version of `key` a tenant uses: its own, else the shared one; for a tenant of null
 * (shared definitions), the shared one only. Read through the session's scope.
 */
export async function latestFormVersion(session: DbSession, key: string, tenantId: string | null): Promise<FormDefinitionEntity | null> {
  const filter = ownOrShared(key, tenantId);
  const [latest] = await session.select(FORM_DEFINITION, filter.where, filter.bindings, 'ORDER BY CASE WHEN tenant_id IS NULL THEN 1 ELSE 0 END, version DESC LIMIT 1');
  return latest ?? null;
}

/** Version `version` of `key`: the tenant's own, else the shared one. */
export async function formVersionNumbered(session: DbSession, key: string, version: number, tenantId: string | null): Promise<FormDefinitionEntity | null> {
  const filter = ownOrShared(key, tenantId).equals('version', version);
  const [found] = await session.select(FORM_DEFINITION, filter.where, filter.bindings, 'ORDER BY CASE WHEN tenant_id IS NULL THEN 1 ELSE 0 END LIMIT 1');
  return found ?? null;
}

function ownOrShared(key: string, tenantId: string | null): Filter {
  const filter = new Filter().equals('key_', key);
  return tenantId === null ? filter.isNull('tenant_id', true) : filter.raw('(tenant_id = ? OR tenant_id IS NULL)', tenantId);
}

export interface StoredFormVersion {
  readonly definition: FormDefinitionEntity;
  /** false: the tenant's latest version of the key already held this content */
  readonly created: boolean;
}

/**
 * The tenant's version of the form holding this content: its latest one when the content is
 * unchanged, else a new version numbered after it. Callers hold the deployment lock, which
 * numbers form versions one after another as it does process definitions.
 */
export async function storeFormVersion(
  context: CommandContext,
  tenantId: string | null,
  checked: CheckedForm,
  origin: { readonly name: string | null; readonly deploymentId: string | null },
): Promise<StoredFormVersion> {
  const own = new Filter().equals('key_', checked.form.id).equals('tenant_id', tenantId);
  const [latest] = await context.session.select(FORM_DEFINITION, own.where, own.bindings, 'ORDER BY version DESC LIMIT 1');
  if (latest?.contentHash === checked.contentHash) return { definition: latest, created: false };
  const definition = context.session.insert(FORM_DEFINITION, {
    id: context.newId(),
    rev: 1,
    tenantId,
    key: checked.form.id,
    version: (latest?.version ?? 0) + 1,
    name: origin.name,
    content: checked.content,
    contentHash: checked.contentHash,
    deploymentId: origin.deploymentId,
    created: context.now(),
    createdBy: context.userId,
  });
  return { definition, created: true };
}

export interface SaveFormInput {
  /** the form-js JSON */
  readonly form: unknown;
  readonly name?: string | null;
  /** a tenant the caller sees; default: their own (the platform administrator's: shared) */
  readonly tenantId?: string | null;
}

/** `/api/forms`: a new version of the form's key in the tenant, unless its latest version holds the same content. */
export class SaveFormCmd implements Command<StoredFormVersion> {
  readonly name = 'SaveForm';

  constructor(private readonly input: SaveFormInput) {}

  async execute(context: CommandContext): Promise<StoredFormVersion> {
    const checked = checkForm(JSON.stringify(this.input.form), '(request)');
    await lockDeployments(context);
    const tenantId = await ownerTenant(context, this.input.tenantId ?? null, 'save a form');
    const stored = await storeFormVersion(context, tenantId, checked, { name: this.input.name ?? checked.form.id, deploymentId: null });
    if (stored.created) {
      const { id, key, version } = stored.definition;
      context.audit({ action: 'form.save', objectType: 'FormDefinition', objectId: id, tenantId, detail: { key, version } });
    }
    return stored;
  }
}
