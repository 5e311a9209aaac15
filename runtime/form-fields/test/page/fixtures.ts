import { createMemoryDataSource } from '../../src/index.js';

/** The organisation and dictionaries the test forms pick from. */
export const dataSource = createMemoryDataSource({
  users: [
    { id: 'lz.supervisor', displayName: '韦晓岚' },
    { id: 'lz.handler', displayName: '覃建华' },
    { id: 'lz.dispatcher', displayName: '莫丽萍' },
  ],
  departments: [
    { id: 'd-cgj', code: 'cgj', name: '城市管理局', tenantId: '450200' },
    { id: 'd-cgj-zhzx', code: 'cgj-zhzx', name: '指挥中心', tenantId: '450200' },
    { id: 'd-sz', code: 'sz', name: '市政工程处', tenantId: '450200' },
  ],
  dictionaries: {
    'case-category': [
      { code: 'bj', label: '部件', labelEn: 'Component', children: [
        { code: 'bj-gy', label: '公用设施', labelEn: 'Public utilities' },
        { code: 'bj-dl', label: '道路交通', labelEn: 'Roads and traffic' },
      ] },
      { code: 'sj', label: '事件', labelEn: 'Event', children: [{ code: 'sj-sr', label: '市容环境', labelEn: 'City appearance' }] },
    ],
  },
  regions: [
    { code: '450202', label: '城中区', children: [
      { code: '450202001', label: '城中街道', children: [
        { code: '450202001001', label: '文笔社区', children: [{ code: '450202001001G01', label: '文笔一网格' }] },
      ] },
    ] },
    { code: '450203', label: '鱼峰区' },
  ],
});

/** Every type of ours and a few of form-js's own, as an administrator would draw the case form. */
export const caseForm = {
  id: 'case-report',
  type: 'default',
  schemaVersion: 19,
  components: [
    { id: 'title', type: 'textfield', key: 'title', label: '案件标题', validate: { required: true, maxLength: 40 } },
    { id: 'amount', type: 'number', key: 'amount', label: '涉及数量', validate: { min: 0 } },
    { id: 'handler', type: 'yw-user', key: 'handler', label: '处置人', validate: { required: true } },
    { id: 'copyTo', type: 'yw-user', key: 'copyTo', label: '抄送', multiple: true },
    { id: 'department', type: 'yw-department', key: 'department', label: '责任部门', validate: { required: true } },
    { id: 'category', type: 'yw-dictionary', key: 'category', label: '案件类别', dictionary: 'case-category', validate: { required: true } },
    { id: 'region', type: 'yw-region', key: 'region', label: '所属网格', depth: 'grid', validate: { required: true } },
    { id: 'location', type: 'yw-location', key: 'location', label: '案发位置', tileUrl: '/tiles/{z}/{x}/{y}.png', validate: { required: true } },
    { id: 'offlineLocation', type: 'yw-location', key: 'offlineLocation', label: '备用位置', tileUrl: '/no-tiles/{z}/{x}/{y}.png' },
    {
      id: 'items', type: 'yw-subtable', key: 'items', label: '物资明细', minRows: 1, maxRows: 5,
      columns: [
        { key: 'name', label: '名称', type: 'textfield', required: true, validate: { maxLength: 20 } },
        { key: 'quantity', label: '数量', type: 'number', required: true, validate: { min: 1 } },
        { key: 'unit', label: '单位', type: 'select', values: [{ label: '个', value: 'piece' }, { label: '米', value: 'metre' }] },
        { key: 'due', label: '完成时间', type: 'datetime' },
        { key: 'urgent', label: '加急', type: 'checkbox' },
      ],
    },
    { id: 'caseNo', type: 'yw-serial', key: 'caseNo', label: '案件编号', rule: 'AJ{yyyyMMdd}{seq:4}' },
    { id: 'submit', type: 'button', action: 'submit', label: '提交' },
  ],
};

export const emptyForm = { id: 'designed', type: 'default', schemaVersion: 19, components: [] };
