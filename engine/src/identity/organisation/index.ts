export {
  CreateTenantCmd,
  DeleteTenantCmd,
  getTenant,
  listTenants,
  MoveTenantCmd,
  UpdateTenantCmd,
  type NewTenant,
  type TenantChanges,
  type TenantView,
} from './tenants.js';
export {
  CreateDepartmentCmd,
  DeleteDepartmentCmd,
  departmentTree,
  getDepartment,
  MoveDepartmentCmd,
  UpdateDepartmentCmd,
  type DepartmentChanges,
  type DepartmentMove,
  type DepartmentNode,
  type DepartmentView,
  type NewDepartment,
} from './departments.js';
export { CreatePostCmd, DeletePostCmd, getPost, listPosts, UpdatePostCmd, type PostView } from './posts.js';
export {
  countUsers,
  CreateUserCmd,
  DeleteUserCmd,
  getUser,
  listUsers,
  passwordHashFor,
  ResetPasswordCmd,
  UnlockUserCmd,
  UpdateUserCmd,
  type NewUser,
  type UserChanges,
  type UserDetail,
  type UserQuery,
  type UserSummary,
} from './users.js';
export { IMPORT_LIMITS, ImportRejectedError, importUsers, ImportUsersCmd, readUserSheet, tooLarge, type ImportCaller, type ImportRow, type RowProblem } from './user-import.js';
export { CODE_PATTERN, LOGIN_ID_PATTERN, TENANT_ID_PATTERN, TENANT_LEVELS } from './rules.js';
