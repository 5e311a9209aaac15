/**
 * The permission catalogue as a tree: menus under their parent menus (`menu:org` above
 * `menu:org:user`), actions grouped by their object (`user:read`, `user:write` under `user`).
 * Nodes that are not permissions themselves (the two roots, the action groups) carry no `permission`.
 */
import type { Permission } from './api';

export interface PermissionNode {
  /** a permission id, or `group:<name>` for a grouping node */
  id: string;
  label: string;
  permission: boolean;
  children: PermissionNode[];
}

export function permissionTree(catalogue: readonly Permission[], english: boolean, titles: { menus: string; actions: string }): PermissionNode[] {
  const label = (permission: Permission) => (english ? permission.nameEn : permission.nameZh);
  const menus: PermissionNode = { id: 'group:menus', label: titles.menus, permission: false, children: [] };
  const actions: PermissionNode = { id: 'group:actions', label: titles.actions, permission: false, children: [] };
  const nodes = new Map<string, PermissionNode>();
  const sorted = [...catalogue].sort((a, b) => a.id.localeCompare(b.id));
  for (const permission of sorted) nodes.set(permission.id, { id: permission.id, label: label(permission), permission: true, children: [] });
  for (const permission of sorted) {
    const node = nodes.get(permission.id) as PermissionNode;
    if (permission.kind === 'menu') {
      const parent = nearestMenuParent(permission.id, nodes);
      (parent ? parent.children : menus.children).push(node);
    } else {
      const object = permission.id.split(':')[0] as string;
      const groupId = `group:action:${object}`;
      let group = nodes.get(groupId);
      if (!group) {
        group = { id: groupId, label: object, permission: false, children: [] };
        nodes.set(groupId, group);
        actions.children.push(group);
      }
      group.children.push(node);
    }
  }
  // an action group of one permission is that permission
  actions.children = actions.children.map((group) => (group.children.length === 1 ? (group.children[0] as PermissionNode) : group));
  // a group is named after its read permission: 查看用户 → 用户
  for (const group of actions.children) {
    if (group.permission) continue;
    const read = group.children.find((child) => child.id.endsWith(':read'));
    if (read) group.label = read.label.replace(/^(查看|Read)\s*/, '');
  }
  return [menus, actions];
}

function nearestMenuParent(id: string, nodes: Map<string, PermissionNode>): PermissionNode | undefined {
  const parts = id.split(':');
  for (let length = parts.length - 1; length >= 2; length--) {
    const parent = nodes.get(parts.slice(0, length).join(':'));
    if (parent) return parent;
  }
  return undefined;
}

/** Every id below a node, the node's own included. */
export function idsBelow(node: PermissionNode): string[] {
  return [node.id, ...node.children.flatMap(idsBelow)];
}

/** The chain of nodes from a root down to the node of `id`. */
export function pathTo(nodes: readonly PermissionNode[], id: string): PermissionNode[] | null {
  for (const node of nodes) {
    if (node.id === id) return [node];
    const below = pathTo(node.children, id);
    if (below) return [node, ...below];
  }
  return null;
}
