/** The shell's texts in Chinese (the default); every key here has its English twin in en.ts. */
export default {
  app: { name: '一网统管', subtitle: '应用维护', title: '一网统管 · 应用维护' },
  menu: {
    home: '首页',
    designer: '应用维护',
    org: '组织机构',
    monitoring: '运行监控',
    system: '系统',
    plugins: '插件',
    statistics: '统计',
    toggle: '展开/收起菜单',
  },
  tabs: { close: '关闭', closeOthers: '关闭其他', closeAll: '关闭全部' },
  layout: { language: '语言', tenant: '租户' },
  home: {
    welcome: '欢迎，{name}',
    user: '用户',
    userId: '用户 ID',
    tenant: '租户',
    tenantLevel: '租户级别',
    departments: '部门',
    roles: '角色',
    dataScope: '数据范围',
    none: '无',
    permissions: '权限数',
  },
  placeholder: {
    statistics: '统计分析尚未提供：将随统计议题（statistics issue）一同上线。本页不展示任何数据。',
    notYet: '尚未提供',
  },
  table: { total: '共 {total} 条', loading: '加载中…', empty: '暂无数据', refresh: '刷新' },
  errors: {
    forbidden: '没有访问该页面的权限',
    notFound: '页面不存在',
    backHome: '返回首页',
  },
  common: { ok: '确定', cancel: '取消', save: '保存', search: '查询', reset: '重置', actions: '操作' },
};
