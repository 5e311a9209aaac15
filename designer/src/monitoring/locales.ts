/** Monitoring's texts, merged into the app's messages under `monitoring`. */
export const zhCN = {
  menu: { group: '流程监控', definitions: '流程定义', instances: '流程实例', instance: '实例详情', jobs: '失败作业', audit: '审计日志' },
  common: {
    search: '查询', reset: '重置', refresh: '刷新', actions: '操作', view: '查看', loading: '加载中…', empty: '暂无数据',
    tenant: '租户', shared: '共享', all: '全部',
  },
  definitions: {
    title: '流程定义', nameLike: '流程名称', key: '流程标识', name: '名称', version: '版本', latest: '最新版本', versions: '历史版本',
    running: '运行中实例', tag: '版本标签', suspended: '已挂起', active: '正常', state: '状态', instances: '实例',
    showVersions: '全部版本', deployment: '部署 ID', versionsOf: '{name} 的全部版本',
  },
  instances: {
    title: '流程实例', definition: '流程定义', definitionId: '定义 ID', businessKey: '业务编号', status: '状态',
    running: '运行中', finished: '已结束', id: '实例 ID', process: '流程', startTime: '开始时间', endTime: '结束时间',
    startUser: '发起人', duration: '耗时', filteredBy: '仅显示定义 {id}', clearFilter: '清除',
    states: { ACTIVE: '运行中', SUSPENDED: '已挂起', COMPLETED: '已完成', EXTERNALLY_TERMINATED: '已终止', INTERNALLY_TERMINATED: '已终止' } as Record<string, string>,
  },
  instance: {
    title: '实例详情', back: '返回列表', diagram: '流程图', timeline: '办理记录', incidents: '故障', activities: '活动记录', jobs: '失败作业',
    noTimeline: '暂无办理记录', noIncidents: '没有故障', activity: '活动', type: '类型', assignee: '办理人', message: '信息', time: '时间',
    canceled: '已取消', current: '当前', workingTime: '用时 {time}', comment: '意见：{comment}', by: '{user}',
    operations: {
      start: '发起', complete: '办理完成', 'timeout-complete': '超时自动办理', approve: '通过', return: '退回', withdraw: '撤回', reject: '不通过',
      transfer: '转办', delegate: '委派', resolve: '归还', claim: '认领', unclaim: '释放', 'add-signer': '加签', 'remove-signer': '减签', sign: '会签',
      copy: '抄送', urge: '催办', escalate: '上报', comment: '意见', park: '挂账', resume: '恢复', terminate: '终止',
      'extension-request': '申请延期', 'extension-approved': '同意延期', 'extension-rejected': '驳回延期',
      'void-request': '申请作废', 'void-approved': '同意作废', 'void-rejected': '驳回作废',
    } as Record<string, string>,
    lights: { green: '正常', yellow: '预警', red: '超时' } as Record<string, string>,
    selected: '活动 {id}',
  },
  diagram: {
    tokens: '{count} 个令牌停留在此', incidents: '{count} 个故障', failed: '流程图无法显示：{message}',
    legendActive: '当前位置', legendCompleted: '已完成', legendIncident: '故障',
  },
  jobs: {
    title: '失败作业', onlyExhausted: '仅显示重试次数已用完的', instance: '流程实例', processKey: '流程标识', activity: '活动',
    retries: '剩余重试', exception: '异常信息', due: '到期时间', created: '创建时间', retry: '重试', retryAll: '重试所选',
    retryCount: '重试次数', retried: '已重新安排 {count} 个作业', stacktrace: '异常堆栈', confirmRetry: '将作业的重试次数设为 {retries}，作业执行器会再次执行它。',
    retriesInvalid: '重试次数应为 1 到 10 之间的整数',
  },
  audit: {
    title: '审计日志', userId: '用户', action: '操作', objectType: '对象类型', objectId: '对象 ID', period: '时间范围',
    start: '开始时间', end: '结束时间', time: '时间', address: '来源地址', detail: '详情', tenant: '租户',
    invalidAction: '操作名称只能包含字母、数字、点、下划线和连字符，且以字母开头', invalidObjectId: "对象 ID 只能包含字母、数字和 {'@'}:._-",
  },
};

export type MonitoringMessages = typeof zhCN;

export const en: MonitoringMessages = {
  menu: { group: 'Monitoring', definitions: 'Definitions', instances: 'Instances', instance: 'Instance', jobs: 'Failed jobs', audit: 'Audit log' },
  common: {
    search: 'Search', reset: 'Reset', refresh: 'Refresh', actions: 'Actions', view: 'View', loading: 'Loading…', empty: 'No data',
    tenant: 'Tenant', shared: 'Shared', all: 'All',
  },
  definitions: {
    title: 'Process definitions', nameLike: 'Name', key: 'Key', name: 'Name', version: 'Version', latest: 'Latest version', versions: 'Versions',
    running: 'Running instances', tag: 'Version tag', suspended: 'Suspended', active: 'Active', state: 'State', instances: 'Instances',
    showVersions: 'All versions', deployment: 'Deployment', versionsOf: 'All versions of {name}',
  },
  instances: {
    title: 'Process instances', definition: 'Definition', definitionId: 'Definition id', businessKey: 'Business key', status: 'Status',
    running: 'Running', finished: 'Finished', id: 'Instance id', process: 'Process', startTime: 'Started', endTime: 'Ended',
    startUser: 'Started by', duration: 'Duration', filteredBy: 'Only definition {id}', clearFilter: 'Clear',
    states: { ACTIVE: 'Running', SUSPENDED: 'Suspended', COMPLETED: 'Completed', EXTERNALLY_TERMINATED: 'Terminated', INTERNALLY_TERMINATED: 'Terminated' },
  },
  instance: {
    title: 'Instance', back: 'Back to the list', diagram: 'Diagram', timeline: 'Timeline', incidents: 'Incidents', activities: 'Activities', jobs: 'Failed jobs',
    noTimeline: 'Nothing recorded yet', noIncidents: 'No incidents', activity: 'Activity', type: 'Type', assignee: 'Assignee', message: 'Message', time: 'Time',
    canceled: 'Cancelled', current: 'Current', workingTime: 'took {time}', comment: 'Comment: {comment}', by: '{user}',
    operations: {
      start: 'Started', complete: 'Completed', 'timeout-complete': 'Completed on timeout', approve: 'Approved', return: 'Sent back', withdraw: 'Withdrawn', reject: 'Rejected',
      transfer: 'Transferred', delegate: 'Delegated', resolve: 'Handed back', claim: 'Claimed', unclaim: 'Released', 'add-signer': 'Signers added', 'remove-signer': 'Signer removed', sign: 'Signed',
      copy: 'Copied', urge: 'Urged', escalate: 'Escalated', comment: 'Comment', park: 'Parked', resume: 'Resumed', terminate: 'Terminated',
      'extension-request': 'Extension requested', 'extension-approved': 'Extension approved', 'extension-rejected': 'Extension refused',
      'void-request': 'Voiding requested', 'void-approved': 'Voiding approved', 'void-rejected': 'Voiding refused',
    },
    lights: { green: 'On time', yellow: 'Warning', red: 'Overdue' },
    selected: 'Activity {id}',
  },
  diagram: {
    tokens: '{count} token(s) here', incidents: '{count} incident(s)', failed: 'The diagram cannot be shown: {message}',
    legendActive: 'Current position', legendCompleted: 'Completed', legendIncident: 'Incident',
  },
  jobs: {
    title: 'Failed jobs', onlyExhausted: 'Only jobs out of retries', instance: 'Instance', processKey: 'Process key', activity: 'Activity',
    retries: 'Retries left', exception: 'Exception', due: 'Due', created: 'Created', retry: 'Retry', retryAll: 'Retry selected',
    retryCount: 'Retries', retried: '{count} job(s) scheduled again', stacktrace: 'Stack trace', confirmRetry: 'Sets the job\'s retries to {retries}; the job executor runs it again.',
    retriesInvalid: 'Retries must be a whole number from 1 to 10',
  },
  audit: {
    title: 'Audit log', userId: 'User', action: 'Action', objectType: 'Object type', objectId: 'Object id', period: 'Period',
    start: 'From', end: 'To', time: 'Time', address: 'Address', detail: 'Detail', tenant: 'Tenant',
    invalidAction: 'An action has letters, digits, dots, underscores and hyphens, starting with a letter', invalidObjectId: "An object id has letters, digits and {'@'}:._-",
  },
};
