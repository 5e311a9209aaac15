/** The working calendar's texts, merged into the app's messages under `cal`. */
export const zhCN = {
  menu: { calendars: '工作日历' },
  owner: {
    tenant: '租户', own: '本租户', shared: '平台默认日历', source: '当前生效', sources: { tenant: '租户自有日历', default: '平台默认日历', 'built-in': '内置日历（周一至周五 09:00–17:00）' } as Record<string, string>,
    inherited: '该租户还没有自己的日历，当前使用{source}。保存每周规则后即建立自己的日历，之后才能维护节假日。', updated: '{by} 于 {time} 修改',
  },
  rule: {
    title: '每周规则与工作时间', name: '日历名称', timeZone: '时区', workDays: '工作日', workHours: '工作时段', addHours: '添加时段', start: '开始', end: '结束',
    weekdays: { 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六', 7: '周日' } as Record<number, string>, hourRule: '时间格式 HH:mm', endBeforeStart: '结束须晚于开始', overlap: '时段不能重叠',
    atLeastOne: '至少一个工作时段', workingDay: '一个工作日计 {hours} 小时',
  },
  days: {
    title: '节假日与调休', year: '年份', day: '日期', kind: '类型', name: '名称', add: '添加日期', holiday: '节假日', workday: '调休上班', count: '节假日 {holidays} 天，调休上班 {workdays} 天',
    holidayOnDayOff: '节假日须落在工作日（按每周规则）', workdayOnWorkday: '调休上班日须落在非工作日（按每周规则）', duplicate: '日期重复', outsideYear: '日期不在 {year} 年',
    saved: '{year} 年已保存：节假日 {holidays} 天，调休上班 {workdays} 天', needsOwn: '须先保存每周规则建立自己的日历', empty: '该年没有节假日或调休',
  },
  due: {
    title: '到期时间预览', start: '开始时间', startHint: '留空为现在', limit: '时限', limitHint: 'PT4H（4 工作小时）、P2D（2 个工作日）或工作小时数', preview: '计算', due: '到期时间',
    limitMs: '折合工作时长', hours: '{n} 小时',
  },
  common: { save: '保存', delete: '删除', required: '必填', saved: '已保存', actions: '操作', tooLong: '最多 {n} 个字符', reload: '重新读取' },
};

export const en: typeof zhCN = {
  menu: { calendars: 'Working calendars' },
  owner: {
    tenant: 'Tenant', own: 'Own tenant', shared: 'Platform default calendar', source: 'In effect', sources: { tenant: "The tenant's own calendar", default: 'The platform default calendar', 'built-in': 'The built-in calendar (Monday–Friday 09:00–17:00)' },
    inherited: 'This tenant has no calendar of its own and uses {source}. Saving the weekly rule creates its own; holidays can be kept after that.', updated: 'changed by {by} at {time}',
  },
  rule: {
    title: 'Weekly rule and working hours', name: 'Calendar name', timeZone: 'Time zone', workDays: 'Working days', workHours: 'Working hours', addHours: 'Add interval', start: 'From', end: 'To',
    weekdays: { 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat', 7: 'Sun' }, hourRule: 'Times as HH:mm', endBeforeStart: 'Must end after it starts', overlap: 'Intervals must not overlap',
    atLeastOne: 'At least one interval', workingDay: 'A working day counts {hours} hours',
  },
  days: {
    title: 'Holidays and make-up working days', year: 'Year', day: 'Date', kind: 'Kind', name: 'Name', add: 'Add date', holiday: 'Holiday', workday: 'Make-up working day', count: '{holidays} holidays, {workdays} make-up working days',
    holidayOnDayOff: 'A holiday must fall on a working weekday', workdayOnWorkday: 'A make-up working day must fall on a day off', duplicate: 'Listed twice', outsideYear: 'Not in {year}',
    saved: '{year} saved: {holidays} holidays, {workdays} make-up working days', needsOwn: 'Save the weekly rule first to create an own calendar', empty: 'No holidays or make-up days this year',
  },
  due: {
    title: 'Due-time preview', start: 'Start', startHint: 'Empty: now', limit: 'Time limit', limitHint: 'PT4H (4 working hours), P2D (2 working days) or a number of working hours', preview: 'Compute', due: 'Due',
    limitMs: 'Working time', hours: '{n} hours',
  },
  common: { save: 'Save', delete: 'Delete', required: 'Required', saved: 'Saved', actions: 'Actions', tooLong: 'At most {n} characters', reload: 'Reload' },
};
