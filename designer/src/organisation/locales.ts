/** The organisation's texts, merged into the app's messages under `org`. */
export const zhCN = {
  menu: { group: '组织机构', tenants: '租户管理', departments: '部门管理', posts: '岗位管理', users: '用户管理', roles: '角色管理', groups: '用户组', apiKeys: 'API 密钥' },
  common: {
    search: '查询', reset: '重置', refresh: '刷新', create: '新建', edit: '编辑', delete: '删除', save: '保存', cancel: '取消', close: '关闭',
    actions: '操作', yes: '是', no: '否', enabled: '启用', disabled: '停用', status: '状态', created: '创建时间', code: '编码', name: '名称',
    tenant: '租户', confirmDelete: '确定删除“{name}”吗？', deleted: '已删除', saved: '已保存', required: '必填', more: '更多',
    codeRule: '1-64 位字母、数字、_ 或 -', loginRule: '2-64 位字母、数字、. _ 或 -', tooLong: '最多 {n} 个字符', none: '无',
    nextPage: '下一页', prevPage: '上一页', pageOf: '第 {page} 页',
  },
  tenants: {
    title: '租户管理', id: '区划代码', idRule: '6 位 GB/T 2260 行政区划代码', level: '级别', parent: '上级租户', root: '（根）',
    levels: { national: '国家', regional: '省/自治区', city: '地市', county: '区县' } as Record<string, string>,
    createTitle: '新建租户', editTitle: '编辑租户', moveTitle: '移动租户', move: '移动', newParent: '新的上级', enable: '启用', disable: '停用',
  },
  departments: {
    title: '部门管理', tree: '部门树', dragHint: '拖动部门可调整上级和顺序', addRoot: '新建顶级部门', addChild: '新建下级部门', leader: '负责人账号',
    sortOrder: '排序', parent: '上级部门', noSelection: '在左侧选择一个部门，或新建部门', createTitle: '新建部门', moved: '已移动', members: '查看成员',
    detail: '部门信息',
  },
  posts: { title: '岗位管理', createTitle: '新建岗位', editTitle: '编辑岗位' },
  users: {
    title: '用户管理', id: '账号', displayName: '姓名', email: '邮箱', phone: '手机', departments: '部门', primary: '主部门', posts: '岗位', roles: '角色',
    password: '初始密码', passwordHint: '用户首次登录时须修改密码', searchPlaceholder: '账号、姓名、邮箱或手机', includeSub: '含下级部门', allDepartments: '全部部门',
    locked: '已锁定', mustChange: '待改密', createTitle: '新建用户', editTitle: '编辑用户', resetPassword: '重置密码', newPassword: '新密码',
    passwordReset: '密码已重置，用户下次登录须修改', unlock: '解锁', unlocked: '已解锁', enable: '启用', disable: '停用', import: '导入',
    emailRule: '邮箱格式不正确', phoneRule: '手机号格式不正确',
  },
  import: {
    title: '批量导入用户', hint: 'CSV（UTF-8）或 XLSX 文件，首行为表头：账号、姓名、部门编码、岗位编码、角色编码、邮箱、手机、初始密码（多个编码以逗号或分号分隔）。全部行通过校验才会导入。',
    choose: '选择文件', start: '开始导入', uploading: '正在上传…', checking: '服务器正在校验并导入…', done: '已导入 {n} 个用户',
    failed: '导入失败，没有导入任何用户', row: '行号', field: '字段', message: '问题', template: '下载 CSV 模板', noFile: '请选择文件',
    fileType: '只支持 .csv 或 .xlsx 文件',
  },
  roles: {
    title: '角色管理', nameLike: '角色名称', dataScope: '数据范围', seesDescendants: '可见下级租户', permissions: '权限', all: '全部权限（*）',
    scopes: { all: '全部数据', 'department-and-below': '本部门及下级', department: '本部门', self: '仅本人', 'chosen-departments': '指定部门' } as Record<string, string>,
    chosenDepartments: '指定部门', createTitle: '新建角色', editTitle: '编辑角色', holders: '成员', holdersTitle: '“{name}”的成员', userCount: '成员数',
    menus: '菜单', actions: '操作权限', permissionTree: '权限树', expandAll: '全部展开', allHint: '拥有全部权限，包括以后新增的权限',
  },
  groups: { title: '用户组', nameLike: '组名称', members: '成员', createTitle: '新建用户组', editTitle: '编辑用户组', membersTitle: '“{name}”的成员' },
  picker: { placeholder: '输入账号或姓名搜索', },
  apiKeys: {
    title: 'API 密钥', user: '所属用户', userHint: '留空为当前用户', tenantHint: '留空为用户所在租户', permissions: '权限范围', allPermissions: '（用户的全部权限）',
    expires: '过期时间', never: '永不过期', expiresInDays: '有效天数', lastUsed: '最近使用', neverUsed: '从未使用', createTitle: '新建 API 密钥',
    created: '密钥已创建', copyHint: '请立即复制并妥善保存，关闭后将无法再次查看：', copy: '复制', copied: '已复制', revoke: '吊销',
    confirmRevoke: '吊销后使用此密钥的请求将被拒绝。确定吊销“{name}”吗？', revoked: '已吊销', usage: '调用时添加请求头：Authorization: Bearer <密钥>',
  },
};

export const en: typeof zhCN = {
  menu: { group: 'Organisation', tenants: 'Tenants', departments: 'Departments', posts: 'Posts', users: 'Users', roles: 'Roles', groups: 'User groups', apiKeys: 'API keys' },
  common: {
    search: 'Search', reset: 'Reset', refresh: 'Refresh', create: 'New', edit: 'Edit', delete: 'Delete', save: 'Save', cancel: 'Cancel', close: 'Close',
    actions: 'Actions', yes: 'Yes', no: 'No', enabled: 'Enabled', disabled: 'Disabled', status: 'Status', created: 'Created', code: 'Code', name: 'Name',
    tenant: 'Tenant', confirmDelete: 'Delete "{name}"?', deleted: 'Deleted', saved: 'Saved', required: 'Required', more: 'More',
    codeRule: '1-64 letters, digits, _ or -', loginRule: '2-64 letters, digits, . _ or -', tooLong: 'At most {n} characters', none: 'None',
    nextPage: 'Next', prevPage: 'Previous', pageOf: 'Page {page}',
  },
  tenants: {
    title: 'Tenants', id: 'Region code', idRule: 'a 6-digit GB/T 2260 region code', level: 'Level', parent: 'Parent tenant', root: '(root)',
    levels: { national: 'National', regional: 'Province', city: 'City', county: 'County' },
    createTitle: 'New tenant', editTitle: 'Edit tenant', moveTitle: 'Move tenant', move: 'Move', newParent: 'New parent', enable: 'Enable', disable: 'Disable',
  },
  departments: {
    title: 'Departments', tree: 'Department tree', dragHint: 'Drag a department to change its parent or order', addRoot: 'New top department', addChild: 'New sub-department',
    leader: 'Leader (login)', sortOrder: 'Order', parent: 'Parent', noSelection: 'Choose a department on the left, or create one', createTitle: 'New department', moved: 'Moved',
    members: 'Members', detail: 'Department',
  },
  posts: { title: 'Posts', createTitle: 'New post', editTitle: 'Edit post' },
  users: {
    title: 'Users', id: 'Login', displayName: 'Name', email: 'E-mail', phone: 'Phone', departments: 'Departments', primary: 'Primary', posts: 'Posts', roles: 'Roles',
    password: 'Initial password', passwordHint: 'The user must change it at first sign-in', searchPlaceholder: 'Login, name, e-mail or phone', includeSub: 'With sub-departments',
    allDepartments: 'All departments', locked: 'Locked', mustChange: 'Must change password', createTitle: 'New user', editTitle: 'Edit user', resetPassword: 'Reset password',
    newPassword: 'New password', passwordReset: 'Password reset; the user must change it at next sign-in', unlock: 'Unlock', unlocked: 'Unlocked', enable: 'Enable',
    disable: 'Disable', import: 'Import', emailRule: 'Not an e-mail address', phoneRule: 'Not a phone number',
  },
  import: {
    title: 'Import users', hint: 'A CSV (UTF-8) or XLSX file with a header row: id, displayName, departments, posts, roles, email, phone, password (several codes separated by commas or semicolons). Users are imported only if every row passes.',
    choose: 'Choose file', start: 'Import', uploading: 'Uploading…', checking: 'The server is checking and importing…', done: '{n} users imported',
    failed: 'Import refused; no user was imported', row: 'Row', field: 'Field', message: 'Problem', template: 'Download a CSV template', noFile: 'Choose a file',
    fileType: 'Only .csv or .xlsx files',
  },
  roles: {
    title: 'Roles', nameLike: 'Role name', dataScope: 'Data scope', seesDescendants: 'Sees sub-tenants', permissions: 'Permissions', all: 'Everything (*)',
    scopes: { all: 'All data', 'department-and-below': 'Own department and below', department: 'Own department', self: 'Own cases only', 'chosen-departments': 'Chosen departments' },
    chosenDepartments: 'Chosen departments', createTitle: 'New role', editTitle: 'Edit role', holders: 'Holders', holdersTitle: 'Holders of "{name}"', userCount: 'Holders',
    menus: 'Menus', actions: 'Actions', permissionTree: 'Permission tree', expandAll: 'Expand all', allHint: 'Every permission, including those added later',
  },
  groups: { title: 'User groups', nameLike: 'Group name', members: 'Members', createTitle: 'New user group', editTitle: 'Edit user group', membersTitle: 'Members of "{name}"' },
  picker: { placeholder: 'Search by login or name' },
  apiKeys: {
    title: 'API keys', user: 'User', userHint: 'Empty: yourself', tenantHint: "Empty: the user's tenant", permissions: 'Permissions', allPermissions: "(all the user's permissions)",
    expires: 'Expires', never: 'Never', expiresInDays: 'Valid for days', lastUsed: 'Last used', neverUsed: 'Never used', createTitle: 'New API key',
    created: 'Key created', copyHint: 'Copy it now and keep it safe; it cannot be shown again:', copy: 'Copy', copied: 'Copied', revoke: 'Revoke',
    confirmRevoke: 'Requests with this key will be refused. Revoke "{name}"?', revoked: 'Revoked', usage: 'Send the header Authorization: Bearer <key>',
  },
};
