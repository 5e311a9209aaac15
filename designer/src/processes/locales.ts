/** The process designer's texts, merged into the app's messages under `processes`. */
export const zhCN = {
  drafts: {
    save: '保存草稿', saving: '保存中…', saved: '草稿已保存', savedAt: '草稿保存于 {time}', notSaved: '未保存草稿',
    noProcess: '图中没有流程，无法保存草稿', conflict: '保存失败：{message}',
    page: '流程草稿', title: '流程草稿', empty: '还没有草稿', updated: '保存时间', updatedBy: '保存人', open: '打开', delete: '删除',
    confirmDelete: '删除草稿 {key}？已部署的版本不受影响。', deleted: '草稿 {key} 已删除', opened: '已打开草稿 {key}',
  },
  menu: { group: '流程设计', list: '流程列表', designer: '流程设计器', versions: '版本对比' },
  apply: '应用', cancel: '取消',
  list: {
    name: '流程名称', key: '流程标识', version: '版本', tenant: '租户', shared: '共享', actions: '操作', search: '查询', new: '新建流程',
    edit: '设计', versions: '版本', empty: '还没有部署的流程', category: '流程分类',
  },
  process: {
    category: '流程分类', noCategory: '未分类', unknownCategory: '{code}（字典中没有）',
    categoryHint: '取自“流程分类”字典，待办可按分类筛选',
  },
  designer: {
    newProcess: '新流程', import: '导入', export: '导出 BPMN', exportSvg: '导出图片', undo: '撤销', redo: '重做', deploy: '部署', versions: '版本',
    business: '业务配置', camunda: '属性', selectTask: '选择一个用户任务或开始事件以配置办理人、表单、时限、按钮和会签',
    importWarnings: '导入时有 {n} 条警告', discard: '当前流程有未部署的修改，导入会丢弃它们。继续？', imported: '已导入 {name}',
    importFailed: '无法导入：{message}',
  },
  groups: { assignment: '办理人', form: '表单', timeLimit: '时限', operations: '按钮', multiInstance: '多实例（会签）' },
  assignment: {
    kinds: {
      user: '用户', role: '角色', dept: '部门', 'dept-leader': '部门负责人', leader: '发起人的上级领导', post: '岗位', group: '用户组',
      initiator: '发起人', 'field-user': '表单字段中的用户', 'field-dept': '表单字段中的部门', 'field-dept-leader': '表单字段中部门的负责人',
      expression: '表达式',
    },
    kind: '类型', search: '输入名称搜索', add: '添加', levels: '上溯级数（1 = 发起人所在部门）', variable: '字段（变量名）',
    leaderLevels: '发起人的第 {n} 级领导', empty: '未设置办理人：任何能看到此任务的人都可办理', pickFirst: '请先选择',
    expressionFormat: "表达式写作 ${'{'}...{'}'}", variableFormat: '变量名只能包含字母、数字和下划线，且不能以数字开头', duplicate: '已经添加过了',
    toAssignee: '直接指派给此人', toCandidates: '作为候选人，由其中一人认领', nobody: '',
    includeSub: '部门包含下级部门的成员', fallback: '找不到办理人时交给', fallbackHint: '默认：系统管理员',
  },
  form: {
    form: '表单', pick: '选择表单', version: '版本', latest: '部署时的最新版本', permissions: '字段权限', field: '字段', permission: '权限',
    editable: '可编辑', readonly: '只读', hidden: '隐藏', noFields: '此表单没有可设置权限的字段', notFound: '找不到表单 {key}',
    formKey: '此节点使用表单标识 {key}（非 Camunda 表单引用）', orphans: '以下权限指向表单中不存在的字段，部署会失败：{keys}', dropOrphans: '移除',
  },
  timeLimit: {
    mode: '时限', none: '不限时', fixed: '固定时限', dictionary: '按字典项', limit: '办理时限（工作时间）', hours: '工作小时', days: '工作日',
    expression: '表达式', dictionaryName: '字典', variable: '存放字典项编码的变量', field: '字典项扩展字段（默认 timeLimit）',
    action: '超时处理', warnAt: '预警点（时限的百分比）',
    actions: { remind: '仅提醒', escalate: '提醒并上报部门负责人', 'auto-complete': '自动通过', 'auto-return': '自动退回上一步' },
    expressionFormat: "写作 PT8H、P2D 或 ${'{'}...{'}'} 表达式", amountFormat: '请输入正整数', dictionaryFormat: '请选择字典并填写变量名',
  },
  operations: {
    customise: '自定义按钮（不勾选时使用默认按钮：通过、退回、转办、委派、加签、抄送、撤回、催办）', operation: '操作', label: '按钮文字',
    codes: {
      approve: '通过', reject: '不通过', return: '退回', transfer: '转办', delegate: '委派', 'add-signer': '加签', copy: '抄送',
      withdraw: '撤回', urge: '催办', park: '挂账', extend: '延期', void: '作废', merge: '合并（公众上报）',
    },
    rejectTarget: '不通过后转到', rejectEnds: '结束流程（不通过）', resubmit: '退回后重新提交', sequential: '按流程顺序', direct: '直接回到退回人',
  },
  multiInstance: {
    enabled: '多实例', parallel: '并行', sequential: '依次', collection: '集合（变量名或表达式）', elementVariable: '元素变量',
    mode: '完成方式', all: '会签（全部完成）', any: '或签（一人完成）', ratio: '按比例', ratioValue: '完成比例',
    conditionSet: '已设置完成条件（在“属性”页中）', collectionFormat: "写作变量名或 ${'{'}...{'}'} 表达式", variableFormat: '变量名格式不对',
    ratioFormat: '比例须大于 0 且不超过 1',
  },
  problems: {
    title: '问题', errors: '{n} 个错误', warnings: '{n} 个警告', none: '没有发现问题', severity: '级别', error: '错误', warning: '警告',
    element: '元素', message: '说明', source: '来源', server: '部署检查', notOnCanvas: '元素 {id} 不在画布上',
  },
  deploy: {
    title: '部署流程', name: '部署名称', file: '文件', nameRequired: '请填写部署名称', nameTooLong: '名称最长 255 个字符',
    fixFirst: '还有 {n} 个错误，请先修正（见下方问题列表）', unchanged: '流程没有变化，未产生新版本', done: '已部署：{versions}',
    refused: '部署被拒绝：{n} 个问题，见下方问题列表', failed: '部署失败',
  },
  versions: {
    title: '{key} 的版本', compare: '对比', pickTwo: '勾选两个版本进行对比', deployment: '部署', tag: '版本标签',
    changedLines: '{n} 行不同', split: '并排', unified: '合并',
  },
};

export const en: typeof zhCN = {
  drafts: {
    save: 'Save draft', saving: 'Saving…', saved: 'Draft saved', savedAt: 'Draft saved at {time}', notSaved: 'No draft saved',
    noProcess: 'The diagram has no process to save', conflict: 'Not saved: {message}',
    page: 'Process draft', title: 'Drafts', empty: 'No drafts yet', updated: 'Saved', updatedBy: 'Saved by', open: 'Open', delete: 'Delete',
    confirmDelete: 'Delete the draft {key}? Deployed versions stay.', deleted: 'Draft {key} deleted', opened: 'Draft {key} opened',
  },
  menu: { group: 'Processes', list: 'Processes', designer: 'Process designer', versions: 'Versions' },
  apply: 'Apply', cancel: 'Cancel',
  list: {
    name: 'Name', key: 'Key', version: 'Version', tenant: 'Tenant', shared: 'Shared', actions: 'Actions', search: 'Search', new: 'New process',
    edit: 'Design', versions: 'Versions', empty: 'No process deployed yet', category: 'Category',
  },
  process: {
    category: 'Category', noCategory: 'Uncategorised', unknownCategory: '{code} (not in the dictionary)',
    categoryHint: 'From the process-category dictionary; the inbox filters by it',
  },
  designer: {
    newProcess: 'New process', import: 'Import', export: 'Export BPMN', exportSvg: 'Export image', undo: 'Undo', redo: 'Redo', deploy: 'Deploy', versions: 'Versions',
    business: 'Business', camunda: 'Properties', selectTask: 'Select a user task or a start event to set its handlers, form, time limit, buttons and signing',
    importWarnings: '{n} warnings while importing', discard: 'The process has changes that were not deployed; importing discards them. Continue?', imported: 'Imported {name}',
    importFailed: 'Cannot import: {message}',
  },
  groups: { assignment: 'Handlers', form: 'Form', timeLimit: 'Time limit', operations: 'Buttons', multiInstance: 'Multi-instance (signing)' },
  assignment: {
    kinds: {
      user: 'User', role: 'Role', dept: 'Department', 'dept-leader': 'Department leader', leader: "Initiator's leader", post: 'Post', group: 'User group',
      initiator: 'Initiator', 'field-user': 'User in a form field', 'field-dept': 'Department in a form field', 'field-dept-leader': 'Leader of the department in a form field',
      expression: 'Expression',
    },
    kind: 'Kind', search: 'Type to search', add: 'Add', levels: "Levels up (1 = the initiator's department)", variable: 'Field (variable name)',
    leaderLevels: "Initiator's leader, level {n}", empty: 'No handler: anyone who sees the task may work on it', pickFirst: 'Choose one first',
    expressionFormat: "Write an expression as ${'{'}...{'}'}", variableFormat: 'A variable name has letters, digits and underscores and does not start with a digit', duplicate: 'Already added',
    toAssignee: 'Assigned to this person', toCandidates: 'Offered as candidates; one of them claims it', nobody: '',
    includeSub: 'Departments include the members of their sub-departments', fallback: 'When nobody is found, give it to', fallbackHint: 'Default: the administrator',
  },
  form: {
    form: 'Form', pick: 'Choose a form', version: 'Version', latest: 'Latest at deployment', permissions: 'Field permissions', field: 'Field', permission: 'Permission',
    editable: 'Editable', readonly: 'Read-only', hidden: 'Hidden', noFields: 'This form has no fields to set', notFound: 'Form {key} not found',
    formKey: 'This step uses the form key {key} (not a Camunda form reference)', orphans: 'These permissions name fields the form does not have; the deploy would fail: {keys}', dropOrphans: 'Remove',
  },
  timeLimit: {
    mode: 'Time limit', none: 'None', fixed: 'Fixed', dictionary: 'From a dictionary', limit: 'Limit (working time)', hours: 'working hours', days: 'working days',
    expression: 'Expression', dictionaryName: 'Dictionary', variable: "Variable holding the item's code", field: "Item's extra field (default timeLimit)",
    action: 'When overdue', warnAt: 'Warn at (share of the limit)',
    actions: { remind: 'Remind only', escalate: 'Remind and escalate to the department leader', 'auto-complete': 'Approve automatically', 'auto-return': 'Send back to the previous step' },
    expressionFormat: "Write PT8H, P2D or a ${'{'}...{'}'} expression", amountFormat: 'Enter a whole number from 1', dictionaryFormat: 'Choose a dictionary and name the variable',
  },
  operations: {
    customise: 'Choose the buttons (otherwise the defaults: approve, return, transfer, delegate, add signer, copy, withdraw, urge)', operation: 'Operation', label: 'Button text',
    codes: {
      approve: 'Approve', reject: 'Reject', return: 'Return', transfer: 'Transfer', delegate: 'Delegate', 'add-signer': 'Add signer', copy: 'Copy',
      withdraw: 'Withdraw', urge: 'Urge', park: 'Park', extend: 'Extend', void: 'Void', merge: 'Merge (public report)',
    },
    rejectTarget: 'Rejecting goes to', rejectEnds: 'End the case (rejected)', resubmit: 'After a return, resubmit', sequential: 'through the process', direct: 'straight back to who returned it',
  },
  multiInstance: {
    enabled: 'Multi-instance', parallel: 'Parallel', sequential: 'Sequential', collection: 'Collection (variable or expression)', elementVariable: 'Element variable',
    mode: 'Completes when', all: 'All complete (会签)', any: 'One completes (或签)', ratio: 'A share completes', ratioValue: 'Share',
    conditionSet: 'A completion condition is set (on the Properties tab)', collectionFormat: "A variable name or a ${'{'}...{'}'} expression", variableFormat: 'Not a variable name',
    ratioFormat: 'The share must be above 0 and at most 1',
  },
  problems: {
    title: 'Problems', errors: '{n} errors', warnings: '{n} warnings', none: 'No problems found', severity: 'Severity', error: 'Error', warning: 'Warning',
    element: 'Element', message: 'Message', source: 'Source', server: 'Deploy check', notOnCanvas: 'Element {id} is not on the canvas',
  },
  deploy: {
    title: 'Deploy the process', name: 'Deployment name', file: 'File', nameRequired: 'Enter a deployment name', nameTooLong: 'At most 255 characters',
    fixFirst: '{n} errors left: fix them first (see the problems below)', unchanged: 'Nothing changed: no new version', done: 'Deployed: {versions}',
    refused: 'The deploy was refused: {n} problems, listed below', failed: 'The deploy failed',
  },
  versions: {
    title: 'Versions of {key}', compare: 'Compare', pickTwo: 'Tick two versions to compare', deployment: 'Deployment', tag: 'Version tag',
    changedLines: '{n} lines differ', split: 'Side by side', unified: 'Unified',
  },
};
