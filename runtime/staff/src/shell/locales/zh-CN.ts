/** The staff shell's and shared components' texts in Chinese (the default); every key has its English twin in en.ts. */
export default {
  app: { name: '一网统管', subtitle: '工作台', title: '一网统管 · 工作台' },
  layout: { menu: '菜单', messages: '消息', more: '更多' },
  errors: { forbidden: '没有访问该页面的权限', notFound: '页面不存在', backHome: '返回待办' },
  common: {
    ok: '确定', cancel: '取消', search: '查询', reset: '重置', refresh: '刷新', total: '共 {total} 条', empty: '暂无数据', loading: '加载中…',
    none: '无', back: '返回', open: '打开', comment: '意见', attachments: '附件', submit: '提交', close: '关闭',
  },
  light: { green: '正常', yellow: '临期', red: '超期', none: '无时限', due: '截止时间：{due}', noDue: '未设置时限' },
  files: {
    add: '添加附件', camera: '拍照', uploading: '上传中 {percent}%', remove: '移除', failed: '上传失败', hint: '图片、PDF、Office 文档，单个不超过 {size}',
  },
  user: { label: '用户账号', placeholder: '输入姓名或账号查找', typeId: '请输入对方的用户账号（如 lz.handler）：您没有查询人员的权限', required: '请选择用户' },
  state: { ACTIVE: '办理中', COMPLETED: '已办结', EXTERNALLY_TERMINATED: '已终止', INTERNALLY_TERMINATED: '已终止', SUSPENDED: '已挂起' },
};
