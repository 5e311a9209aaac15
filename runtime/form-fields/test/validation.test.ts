import { expect } from 'chai';
import { FIELD_TYPES, type SubtableColumn, type SubtableField } from '../src/fields/schema.js';
import { createTranslate, translateFinishedMessage } from '../src/i18n/translate.js';
import { cellErrors, fieldErrors } from '../src/validation.js';

const zh = createTranslate('zh-CN');
const en = createTranslate('en');

describe('validation of our field types', () => {
  describe('yw-region', () => {
    const region = { id: 'region', type: FIELD_TYPES.region, depth: 'community', validate: { required: true } } as const;

    it('asks for the first level missing down to the depth, in the form\'s language', () => {
      expect(fieldErrors(region, null, zh)).to.deep.equal(['请选择区县。']);
      expect(fieldErrors(region, { district: '450202', street: '450202001' }, zh)).to.deep.equal(['请选择社区。']);
      expect(fieldErrors(region, { district: '450202' }, en)).to.deep.equal(['Choose the Street.']);
    });

    it('accepts a value filled down to the depth, and anything when not required', () => {
      expect(fieldErrors(region, { district: '450202', street: '450202001', community: '450202001001' }, zh)).to.deep.equal([]);
      expect(fieldErrors({ ...region, validate: {} }, null, zh)).to.deep.equal([]);
    });
  });

  describe('yw-location', () => {
    const location = { id: 'location', type: FIELD_TYPES.location };

    it('accepts the boundary coordinates', () => {
      expect(fieldErrors(location, { longitude: -180, latitude: 90 }, zh)).to.deep.equal([]);
      expect(fieldErrors(location, { longitude: 180, latitude: -90, address: '柳州' }, zh)).to.deep.equal([]);
    });

    it('rejects coordinates out of range and one coordinate without the other', () => {
      expect(fieldErrors(location, { longitude: 180.5, latitude: -90.1 }, zh)).to.deep.equal(['经度须在 -180 到 180 之间。', '纬度须在 -90 到 90 之间。']);
      expect(fieldErrors(location, { longitude: 109.4 }, en)).to.deep.equal(['Enter both longitude and latitude.']);
    });

    it('requires a position only when the field is required', () => {
      expect(fieldErrors(location, null, zh)).to.deep.equal([]);
      expect(fieldErrors({ ...location, validate: { required: true } }, { address: '柳州' }, zh)).to.deep.equal(['此项为必填项。']);
    });
  });

  describe('yw-subtable', () => {
    const columns: SubtableColumn[] = [
      { key: 'name', label: '名称', type: 'textfield', required: true, validate: { maxLength: 4, pattern: '^[^0-9]*$' } },
      { key: 'quantity', label: '数量', type: 'number', validate: { min: 1, max: 10 } },
      { key: 'unit', label: '单位', type: 'select', values: [{ label: '个', value: 'piece' }] },
      { key: 'checked', label: '已核实', type: 'checkbox', required: true },
    ];
    const subtable: SubtableField = { id: 'items', type: FIELD_TYPES.subtable, columns, minRows: 2, maxRows: 3 };
    const good = { name: '井盖', quantity: 1, unit: 'piece', checked: true };

    it('counts rows against minRows and maxRows', () => {
      expect(fieldErrors(subtable, [good], zh)).to.deep.equal(['至少需要 2 行。']);
      expect(fieldErrors(subtable, [good, good, good, good], en)).to.deep.equal(['Add at most 3 rows.']);
      const required: SubtableField = { ...subtable, minRows: undefined, validate: { required: true } };
      expect(fieldErrors(required, [], zh)).to.deep.equal(['此项为必填项。']);
    });

    it('names the row and column of every failing cell', () => {
      const errors = fieldErrors(subtable, [good, { name: '井盖一二3', quantity: 11, unit: 'metre', checked: false }], zh);
      expect(errors).to.deep.equal([
        '第 2 行「名称」：长度不能超过 4 个字符。',
        '第 2 行「名称」：格式不正确（须符合 ^[^0-9]*$）。',
        '第 2 行「数量」：不能大于 10。',
        '第 2 行「单位」：请从列表中选择。',
        '第 2 行「已核实」：此项为必填项。',
      ]);
    });

    it('accepts the boundary values of a cell', () => {
      expect(cellErrors(columns[1]!, 10, zh)).to.deep.equal([]);
      expect(cellErrors(columns[1]!, 1, zh)).to.deep.equal([]);
      expect(cellErrors(columns[1]!, 0.5, en)).to.deep.equal(['Field must have minimum value of 1.']);
      expect(cellErrors(columns[0]!, '四个字符', zh)).to.deep.equal([]);
      expect(cellErrors(columns[1]!, undefined, zh)).to.deep.equal([]);
    });
  });
});

describe('i18n - form-js messages', () => {
  it('translates the messages form-js finished in English, values kept', () => {
    expect(translateFinishedMessage('Field is required.', zh)).to.equal('此项为必填项。');
    expect(translateFinishedMessage('Field must have minimum length of 3.', zh)).to.equal('长度不能少于 3 个字符。');
    expect(translateFinishedMessage('Please select a valid value, the two nearest valid values are 0.5 and 1.', zh)).to.equal('请输入有效值，最接近的两个有效值为 0.5 和 1。');
    expect(translateFinishedMessage('Value is expected to have at most 2 decimal digits.', zh)).to.equal('最多 2 位小数。');
  });

  it('leaves English and unknown messages as they are', () => {
    expect(translateFinishedMessage('Field must have maximum value of 9.', en)).to.equal('Field must have maximum value of 9.');
    expect(translateFinishedMessage('Something form-js may say one day.', zh)).to.equal('Something form-js may say one day.');
  });
});
