/** A resource of a Camunda Modeler deployment: the diagram and the files deployed with it. */
export interface ModelerResource {
  readonly name: string;
  readonly content: string;
}

export interface ModelerDeployment {
  readonly name: string;
  readonly resources: readonly ModelerResource[];
  readonly tenantId?: string;
  /** Modeler sends `deploy-changed-only=true`; tests may ask for plain duplicate filtering instead */
  readonly fields?: Record<string, string>;
}

/**
 * The multipart body Camunda Modeler's Deploy button sends to `POST /deployment/create`: its
 * fields, then every resource as a file part whose field name is its file name.
 */
export function modelerDeploymentForm(deployment: ModelerDeployment): FormData {
  const form = new FormData();
  form.append('deployment-name', deployment.name);
  form.append('deployment-source', 'Camunda Modeler');
  form.append('deploy-changed-only', 'true');
  if (deployment.tenantId) form.append('tenant-id', deployment.tenantId);
  for (const [name, value] of Object.entries(deployment.fields ?? {})) form.set(name, value);
  for (const resource of deployment.resources) {
    form.append(resource.name, new Blob([resource.content], { type: 'application/octet-stream' }), resource.name);
  }
  return form;
}

/** A Camunda form (form-js schema) with one text field per key. */
export function camundaForm(id: string, fields: readonly string[]): string {
  return JSON.stringify({
    id,
    type: 'default',
    schemaVersion: 16,
    components: fields.map((key) => ({ type: 'textfield', key, label: key, id: `field_${key}` })),
  });
}
