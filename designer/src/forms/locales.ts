/** The form designer's texts, merged into the app's messages under `forms`. */
export const zhCN = {
  menu: { list: '表单设计', designer: '表单设计器', create: '新建表单' },
  list: {
    nameLike: '表单名称', key: '表单标识', name: '名称', version: '最新版本', tenant: '租户', shared: '共享', created: '保存时间', createdBy: '保存人',
    source: '来源', deployed: '随流程部署', saved: '设计器保存', create: '新建表单', design: '设计', versions: '版本', export: '导出',
    search: '查询', reset: '重置', actions: '操作', empty: '暂无表单',
  },
  designer: {
    key: '表单标识', name: '表单名称', keyRequired: '请输入表单标识', keyRule: '以字母开头，只含字母、数字、_ . -，最多 255 个字符',
    nameRequired: '请输入表单名称', nameTooLong: '最多 255 个字符', design: '设计', preview: '预览', save: '保存版本', saving: '保存中…',
    import: '导入 .form', export: '导出 .form', versions: '版本', unsaved: '有未保存的修改', savedAs: '已保存为版本 {version}',
    unchanged: '内容与版本 {version} 相同，未生成新版本', current: '当前：版本 {version}', draft: '未保存的新表单', loading: '正在加载表单设计器…',
    importInvalid: '不是有效的 .form 文件：{message}', importNoComponents: '文件中没有 components 列表', imported: '已导入“{name}”，保存后生成新版本',
    exportUnsaved: '导出的是已保存的版本 {version}，未保存的修改不在其中', exportNothing: '请先保存表单，再导出',
    validate: '校验', validateServer: '服务器校验', valid: '校验通过', serverValid: '服务器校验通过', invalid: '{count} 个字段未通过校验',
    serverInvalid: '服务器发现 {count} 个问题', previewHint: '在此填写数据，检查必填与校验规则；服务器校验使用与提交时相同的规则。',
    emptyForm: '表单还没有字段：从左侧拖入字段', field: '字段', rule: '规则', message: '说明',
    leaveConfirm: '有未保存的修改，确定离开吗？', leave: '离开', stay: '留下',
  },
  versions: {
    title: '{key} 的版本', version: '版本', name: '名称', created: '保存时间', createdBy: '保存人', deployment: '部署', open: '打开', export: '导出',
    none: '还没有版本',
  },
};

export type FormsMessages = typeof zhCN;

export const en: FormsMessages = {
  menu: { list: 'Form designer', designer: 'Form editor', create: 'New form' },
  list: {
    nameLike: 'Name', key: 'Key', name: 'Name', version: 'Latest version', tenant: 'Tenant', shared: 'Shared', created: 'Saved', createdBy: 'Saved by',
    source: 'Source', deployed: 'Deployed with a process', saved: 'Saved in the designer', create: 'New form', design: 'Design', versions: 'Versions', export: 'Export',
    search: 'Search', reset: 'Reset', actions: 'Actions', empty: 'No forms yet',
  },
  designer: {
    key: 'Form key', name: 'Form name', keyRequired: 'Enter the form key', keyRule: 'Starts with a letter; letters, digits, _ . - only; at most 255 characters',
    nameRequired: 'Enter the form name', nameTooLong: 'At most 255 characters', design: 'Design', preview: 'Preview', save: 'Save version', saving: 'Saving…',
    import: 'Import .form', export: 'Export .form', versions: 'Versions', unsaved: 'Unsaved changes', savedAs: 'Saved as version {version}',
    unchanged: 'Same content as version {version}: no new version', current: 'Showing version {version}', draft: 'New form, not saved', loading: 'Loading the form editor…',
    importInvalid: 'Not a valid .form file: {message}', importNoComponents: 'The file has no components list', imported: 'Imported "{name}": save to make a version',
    exportUnsaved: 'Exports the saved version {version}, without the unsaved changes', exportNothing: 'Save the form before exporting it',
    validate: 'Validate', validateServer: 'Validate on the server', valid: 'All fields pass', serverValid: 'The server accepts the data', invalid: '{count} field(s) fail',
    serverInvalid: 'The server found {count} problem(s)', previewHint: 'Fill in data here to check required fields and rules; the server check applies the rules of a real submission.',
    emptyForm: 'The form has no fields yet: drag some in from the palette', field: 'Field', rule: 'Rule', message: 'Message',
    leaveConfirm: 'Leave with unsaved changes?', leave: 'Leave', stay: 'Stay',
  },
  versions: {
    title: 'Versions of {key}', version: 'Version', name: 'Name', created: 'Saved', createdBy: 'Saved by', deployment: 'Deployment', open: 'Open', export: 'Export',
    none: 'No versions yet',
  },
};
