import type { PermissionEntity } from '../persistence/index.js';

type CorePermission = Omit<PermissionEntity, 'source'>;

const menu = (id: string, nameZh: string, nameEn: string): CorePermission => ({ id, kind: 'menu', nameZh, nameEn });
const action = (id: string, nameZh: string, nameEn: string): CorePermission => ({ id, kind: 'action', nameZh, nameEn });

/**
 * The engine's own permission strings. Routes declare one of these; roles may grant only strings
 * of the catalogue (these, plus what plugins contribute), so a typo in a role is a 400, not a
 * silently useless grant. The catalogue is written to the `permission` table at start.
 */
export const CORE_PERMISSIONS: readonly CorePermission[] = [
  menu('menu:designer', '应用维护', 'Designer'),
  menu('menu:designer:process', '流程设计', 'Process designer'),
  menu('menu:designer:form', '表单设计', 'Form designer'),
  menu('menu:designer:dictionary', '数据字典', 'Dictionaries'),
  menu('menu:org', '组织机构', 'Organisation'),
  menu('menu:org:tenant', '租户管理', 'Tenants'),
  menu('menu:org:department', '部门管理', 'Departments'),
  menu('menu:org:post', '岗位管理', 'Posts'),
  menu('menu:org:user', '用户管理', 'Users'),
  menu('menu:org:role', '角色管理', 'Roles'),
  menu('menu:org:group', '用户组', 'User groups'),
  menu('menu:org:api-key', 'API 密钥', 'API keys'),
  menu('menu:audit', '审计日志', 'Audit log'),
  menu('menu:runtime', '业务办理', 'Work'),
  menu('menu:runtime:inbox', '待办事项', 'Inbox'),
  menu('menu:runtime:start', '发起流程', 'Start a process'),
  action('tenant:read', '查看租户', 'Read tenants'),
  action('tenant:write', '维护租户', 'Manage tenants'),
  action('department:read', '查看部门', 'Read departments'),
  action('department:write', '维护部门', 'Manage departments'),
  action('post:read', '查看岗位', 'Read posts'),
  action('post:write', '维护岗位', 'Manage posts'),
  action('user:read', '查看用户', 'Read users'),
  action('user:write', '维护用户', 'Manage users'),
  action('user:import', '批量导入用户', 'Import users'),
  action('role:read', '查看角色', 'Read roles'),
  action('role:write', '维护角色', 'Manage roles'),
  action('permission:read', '查看权限', 'Read permissions'),
  action('permission:write', '维护权限', 'Manage permissions'),
  action('group:read', '查看用户组', 'Read user groups'),
  action('group:write', '维护用户组', 'Manage user groups'),
  action('api-key:read', '查看 API 密钥', 'Read API keys'),
  action('api-key:write', '维护 API 密钥', 'Manage API keys'),
  action('audit:read', '查看审计日志', 'Read the audit log'),
  action('identity:read', '查询人员与组织', 'Look up people and groups'),
  action('process:read', '查看流程定义', 'Read process definitions'),
  action('process:deploy', '部署流程', 'Deploy processes'),
  action('process:start', '发起流程', 'Start processes'),
  action('instance:read', '查看流程实例', 'Read process instances'),
  action('instance:manage', '管理流程实例', 'Manage process instances'),
  action('task:read', '查看任务', 'Read tasks'),
  action('task:handle', '办理任务', 'Handle tasks'),
  action('task:assign', '分派任务', 'Assign tasks to others'),
  action('external-task:read', '查看外部任务', 'Read external tasks'),
  action('external-task:work', '执行外部任务', 'Work on external tasks'),
  action('history:read', '查看历史', 'Read history'),
  action('job:manage', '作业与故障管理', 'Manage jobs and incidents'),
  action('file:read', '查看附件', 'Read uploaded files'),
  action('file:write', '上传附件', 'Upload files'),
  action('dictionary:read', '查看数据字典', 'Read dictionaries'),
  action('dictionary:write', '维护数据字典', 'Manage dictionaries'),
  action('form:read', '查看表单', 'Read forms'),
  action('form:write', '维护表单', 'Manage forms'),
  menu('menu:designer:calendar', '工作日历', 'Working calendars'),
  menu('menu:runtime:messages', '消息中心', 'Messages'),
  action('calendar:read', '查看工作日历', 'Read working calendars'),
  action('calendar:write', '维护工作日历', 'Manage working calendars'),
  action('case:supervise', '督办与挂账', 'Park, resume and supervise cases'),
  action('case-request:approve', '审批延期与作废', 'Approve extensions and voiding'),
  action('instance:terminate', '终止流程实例', 'Terminate process instances'),
  action('notification-channel:read', '查看通知渠道', 'Read notification channels'),
  action('notification-channel:write', '维护通知渠道', 'Manage notification channels'),
  action('public-channel:read', '查看公众上报渠道', 'Read the public reporting channel'),
  action('public-channel:write', '维护公众上报渠道', 'Manage the public reporting channel'),
  action('public-report:read', '查看公众上报统计', 'Read public report statistics'),
  action('public-report:submit', '代市民上报、查询与评价（公众渠道接入）', 'Report, follow and rate for citizens (public channel API clients)'),
  action('public-report:merge', '合并重复的公众上报', 'Merge duplicate public reports'),
  action('exchange:assign', '上级平台交办任务', 'Assign tasks as an exchange partner (supervision platforms)'),
  menu('menu:designer:plugins', '插件管理', 'Plugins'),
  action('plugin:read', '查看插件', 'Read plugins and their state'),
  action('plugin:write', '安装与维护插件', 'Install, upgrade, disable and uninstall plugins'),
];

const CORE_IDS = new Set(CORE_PERMISSIONS.map((permission) => permission.id));

/** Whether `permission` is one of the engine's own strings (routes may declare only these). */
export function isCorePermission(permission: string): boolean {
  return CORE_IDS.has(permission);
}
