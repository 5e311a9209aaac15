export { changeOrganisation, readAs } from './calls.js';
export {
  CORE_SOURCE,
  CreatePermissionCmd,
  DeletePermissionCmd,
  PERMISSION_ID_PATTERN,
  PERMISSION_SOURCE_PATTERN,
  SyncPermissionCatalogueCmd,
  UpdatePermissionCmd,
  listPermissions,
  syncPermissionCatalogue,
  type PermissionInput,
  type PermissionKind,
  type PermissionQuery,
} from './permission-catalogue.js';
export { CreateRoleCmd, DATA_SCOPES, DeleteRoleCmd, SetRoleUsersCmd, UpdateRoleCmd, type RoleInput } from './roles.js';
export { countRoles, getRole, listRoles, usersOfRole, type RoleDetail, type RoleQuery, type RoleSortKey, type RoleView } from './role-queries.js';
export { CreateGroupCmd, DeleteGroupCmd, GROUP_NOUN, SetGroupMembersCmd, UpdateGroupCmd, type GroupInput } from './groups.js';
export { countGroups, getGroup, listGroups, type GroupDetail, type GroupQuery, type GroupSortKey, type GroupView } from './group-queries.js';
