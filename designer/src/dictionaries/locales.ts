/** The dictionaries' texts, merged into the app's messages under `dict`. */
export const zhCN = {
  menu: { dictionaries: '数据字典' },
  list: {
    title: '字典', nameLike: '字典名称', owner: '归属', shared: '共享', tenant: '租户 {id}', all: '全部', onlyShared: '仅共享', onlyTenant: '仅租户自有',
    create: '新建字典', prev: '上一页', next: '下一页', page: '第 {page} 页', choose: '在左侧选择一个字典',
  },
  dictionary: {
    code: '字典编码', name: '字典名称', description: '说明', hierarchical: '树形', flat: '列表', kind: '结构', createTitle: '新建字典', editTitle: '编辑字典',
    tenantId: '所属租户', tenantHint: '留空：平台管理员建的为共享字典，其他人建在本租户', edit: '编辑', delete: '删除字典',
  },
  item: {
    code: '编码', label: '名称', labelEn: '英文名称', parent: '上级', sortOrder: '排序', enabled: '启用', extra: '附加数据', extraHint: 'JSON 对象，例如 {"kind":"component"}',
    extraInvalid: '须为 JSON 对象', add: '新建条目', addChild: '新建下级', createTitle: '新建条目', editTitle: '编辑条目', count: '{n} 个条目', expandAll: '全部展开', collapseAll: '全部收起',
    kinds: { component: '部件', matter: '事项' } as Record<string, string>,
    levels: { city: '市', district: '区', county: '县', street: '街道', town: '乡镇', community: '社区', village: '村', grid: '网格' } as Record<string, string>,
  },
  common: {
    required: '必填', codeRule: '1-64 位字母、数字、_ 或 -', tooLong: '最多 {n} 个字符', save: '保存', cancel: '取消', edit: '编辑', delete: '删除', actions: '操作',
    search: '查询', confirmDelete: '确定删除“{name}”吗？', saved: '已保存', deleted: '已删除', yes: '是', no: '否', refresh: '刷新',
  },
};

export const en: typeof zhCN = {
  menu: { dictionaries: 'Dictionaries' },
  list: {
    title: 'Dictionaries', nameLike: 'Dictionary name', owner: 'Owner', shared: 'Shared', tenant: 'Tenant {id}', all: 'All', onlyShared: 'Shared only', onlyTenant: "Tenants' own only",
    create: 'New dictionary', prev: 'Previous', next: 'Next', page: 'Page {page}', choose: 'Choose a dictionary on the left',
  },
  dictionary: {
    code: 'Code', name: 'Name', description: 'Description', hierarchical: 'Tree', flat: 'List', kind: 'Shape', createTitle: 'New dictionary', editTitle: 'Edit dictionary',
    tenantId: 'Tenant', tenantHint: "Empty: shared when the platform administrator creates it, else in one's own tenant", edit: 'Edit', delete: 'Delete dictionary',
  },
  item: {
    code: 'Code', label: 'Label', labelEn: 'English label', parent: 'Parent', sortOrder: 'Order', enabled: 'Enabled', extra: 'Extra data', extraHint: 'A JSON object, e.g. {"kind":"component"}',
    extraInvalid: 'Must be a JSON object', add: 'New item', addChild: 'New sub-item', createTitle: 'New item', editTitle: 'Edit item', count: '{n} items', expandAll: 'Expand all', collapseAll: 'Collapse all',
    kinds: { component: 'Component', matter: 'Matter' },
    levels: { city: 'City', district: 'District', county: 'County', street: 'Street', town: 'Town', community: 'Community', village: 'Village', grid: 'Grid' },
  },
  common: {
    required: 'Required', codeRule: '1-64 letters, digits, _ or -', tooLong: 'At most {n} characters', save: 'Save', cancel: 'Cancel', edit: 'Edit', delete: 'Delete', actions: 'Actions',
    search: 'Search', confirmDelete: 'Delete "{name}"?', saved: 'Saved', deleted: 'Deleted', yes: 'Yes', no: 'No', refresh: 'Refresh',
  },
};
