import type { Expression } from '../../expression/index.js';
import type { CopyRecipients } from '../model/index.js';
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionProperties, lowerFirst } from './elements.js';
import type { CompileSupport } from './support.js';

/** The `camunda:properties` that make a task or send task a copy node (抄送节点): comma lists of literals or `${...}`. */
export const COPY_PROPERTIES = {
  users: 'yiwang:copy:users',
  departments: 'yiwang:copy:departments',
  roles: 'yiwang:copy:roles',
} as const;

/**
 * A `bpmn:task` or `bpmn:sendTask` with any `yiwang:copy:` property is a copy node: entering it
 * copies the case to those users, departments' members and roles' holders, and the token moves
 * straight on. Null when the element has none of them (a send task stays an external task). A
 * copy node that is also an external task (camunda:type, camunda:topic), or names nobody, fails the deploy.
 */
export function compileCopyNode(
  support: CompileSupport,
  element: ModdleElement,
  expressionList: (source: string | null) => Expression[],
): { kind: 'copy'; recipients: CopyRecipients } | null {
  const properties = extensionProperties(element);
  const names = Object.values(COPY_PROPERTIES);
  if (!names.some((name) => name in properties)) return null;
  const id = element.id;
  const what = `${lowerFirst(element.$type)} '${id}'`;
  if (attr(element, 'camunda:type') !== null || attr(element, 'camunda:topic') !== null) {
    support.problem(id, `${what} copies the case (${names.join(', ')}) and so cannot be an external task too: remove camunda:type and camunda:topic`);
  }
  const recipients: CopyRecipients = {
    users: expressionList(properties[COPY_PROPERTIES.users] ?? null),
    departments: expressionList(properties[COPY_PROPERTIES.departments] ?? null),
    roles: expressionList(properties[COPY_PROPERTIES.roles] ?? null),
  };
  if (recipients.users.length + recipients.departments.length + recipients.roles.length === 0) {
    support.problem(id, `${what} is a copy node (抄送) but its ${names.join(', ')} name nobody`);
  }
  return { kind: 'copy', recipients };
}
