import { expect } from 'chai';
import { invalidCaseReport, validCaseReport } from './fixtures/case-report-data.js';
import { fixtureText, formOf } from './fixtures/index.js';
import { compileForm, formVariables, parseForm, type FieldError, type FormComponent } from './index.js';

/** The rules that fail, as `field rule`. */
function failures(components: FormComponent[], data: Record<string, unknown>): string[] {
  return compileForm(formOf(...components)).validate(data).map(({ field, rule }) => `${field} ${rule}`);
}

function fixture(name: string) {
  return compileForm(parseForm(fixtureText(name), name));
}

describe('forms > validate', () => {
  describe('each rule rejects what it should and accepts its boundary', () => {
    it('required: missing, null, empty text, empty list, unchecked checkbox', () => {
      const components: FormComponent[] = [
        { type: 'textfield', key: 'name', validate: { required: true } },
        { type: 'checklist', key: 'ways', values: [{ label: 'A', value: 'a' }], validate: { required: true } },
        { type: 'checkbox', key: 'agreed', validate: { required: true } },
      ];
      expect(failures(components, {})).to.deep.equal(['name required', 'ways required', 'agreed required']);
      expect(failures(components, { name: '', ways: [], agreed: false })).to.deep.equal(['name required', 'ways required', 'agreed required']);
      expect(failures(components, { name: null, ways: null, agreed: null })).to.have.length(3);
      expect(failures(components, { name: 'x', ways: ['a'], agreed: true })).to.deep.equal([]);
    });

    it('minLength and maxLength: exactly the limit passes, one beyond fails; an empty optional field passes', () => {
      const components: FormComponent[] = [{ type: 'textfield', key: 'code', validate: { minLength: 3, maxLength: 5 } }];
      expect(failures(components, { code: 'abc' })).to.deep.equal([]);
      expect(failures(components, { code: 'abcde' })).to.deep.equal([]);
      expect(failures(components, { code: 'ab' })).to.deep.equal(['code minLength']);
      expect(failures(components, { code: 'abcdef' })).to.deep.equal(['code maxLength']);
      expect(failures(components, { code: '' })).to.deep.equal([]);
      expect(failures(components, { code: '城市管理' })).to.deep.equal([]);
    });

    it('pattern, email and phone (form-js patterns)', () => {
      const components: FormComponent[] = [
        { type: 'textfield', key: 'no', validate: { pattern: '^C-[0-9]+$' } },
        { type: 'textfield', key: 'mail', validate: { validationType: 'email' } },
        { type: 'textfield', key: 'tel', validate: { validationType: 'phone' } },
      ];
      expect(failures(components, { no: 'C-1', mail: 'li@example.cn', tel: '+8613812345678' })).to.deep.equal([]);
      expect(failures(components, { no: 'C-', mail: 'li@', tel: '13812345678' })).to.deep.equal(['no pattern', 'mail email', 'tel phone']);
    });

    it('min and max: exactly the limit passes; decimalDigits and increment', () => {
      const components: FormComponent[] = [
        { type: 'number', key: 'score', decimalDigits: 0, validate: { min: 1, max: 5 } },
        { type: 'number', key: 'price', decimalDigits: 2, increment: 0.05 },
      ];
      expect(failures(components, { score: 1, price: 0.05 })).to.deep.equal([]);
      expect(failures(components, { score: 5, price: 19.95 })).to.deep.equal([]);
      expect(failures(components, { score: 0, price: 0.07 })).to.deep.equal(['score min', 'price increment']);
      expect(failures(components, { score: 6, price: 1.001 })).to.have.members(['score max', 'price decimalDigits', 'price increment']);
      expect(failures(components, { score: 2.5 })).to.deep.equal(['score decimalDigits']);
      expect(failures(components, { score: '3' })).to.deep.equal(['score type']);
    });

    it('enum: static options only; dynamic options take any text', () => {
      const values = [{ label: '一般', value: 'normal' }, { label: '紧急', value: 'urgent' }];
      const components: FormComponent[] = [
        { type: 'select', key: 'urgency', values },
        { type: 'taglist', key: 'tags', values },
        { type: 'radio', key: 'source', valuesKey: 'sources' },
      ];
      expect(failures(components, { urgency: 'urgent', tags: ['normal', 'urgent'], source: 'anything' })).to.deep.equal([]);
      expect(failures(components, { urgency: 'critical', tags: ['normal', 'other'] })).to.deep.equal(['urgency enum', 'tags[1] enum']);
    });

    it('dates, times and date-times as form-js writes them', () => {
      const components: FormComponent[] = [
        { type: 'datetime', key: 'day', subtype: 'date' },
        { type: 'datetime', key: 'at', subtype: 'time' },
        { type: 'datetime', key: 'when', subtype: 'datetime' },
      ];
      for (const [at, when] of [['08:30', '2026-02-28T08:30'], ['23:59Z', '2024-02-29T00:00Z'], ['08:30+08:00', '2026-11-20T09:05+08:00'], ['08:30:15', '2026-11-20T09:05:00-05:00']]) {
        expect(failures(components, { day: '2026-02-28', at, when }), `${at} ${when}`).to.deep.equal([]);
      }
      expect(failures(components, { day: '2026-02-29', at: '24:00', when: '2026-11-20' })).to.deep.equal(['day format', 'at format', 'when format']);
      expect(failures(components, { day: '2026/11/20', at: '8:30', when: '2026-11-20T25:00' })).to.have.length(3);
    });

    it('required fields inside groups and dotted keys report their full path', () => {
      const components: FormComponent[] = [
        { type: 'group', path: 'reporter', components: [{ type: 'textfield', key: 'address.street', label: '街道', validate: { required: true } }] },
      ];
      expect(failures(components, {})).to.deep.equal(['reporter.address.street required']);
      expect(failures(components, { reporter: { address: {} } })).to.deep.equal(['reporter.address.street required']);
      expect(failures(components, { reporter: { address: { street: '文惠路' } } })).to.deep.equal([]);
      expect(failures(components, { reporter: 'x' })).to.deep.equal(['reporter type']);
    });

    it('dynamic list rows: every row checked, errors at items[n].key', () => {
      const list: FormComponent = {
        type: 'dynamiclist',
        path: 'items',
        components: [
          { type: 'textfield', key: 'name', label: '名称', validate: { required: true } },
          { type: 'number', key: 'qty', validate: { min: 1 } },
        ],
      };
      expect(failures([list], { items: [{ name: 'a', qty: 1 }, { name: 'b' }] })).to.deep.equal([]);
      expect(failures([list], { items: [{ name: 'a', qty: 0 }, { qty: 2 }, 'x'] })).to.deep.equal(['items[1].name required', 'items[0].qty min', 'items[2] type']);
      expect(failures([list], { items: [{ name: 'a', colour: 'red' }] })).to.deep.equal(['items[0].colour unknown']);
    });

    it('sub-table (明细表): column rules, required columns, row counts', () => {
      const table: FormComponent = {
        type: 'yw-subtable',
        key: 'goods',
        label: '明细',
        minRows: 1,
        maxRows: 2,
        columns: [
          { key: 'name', label: '名称', type: 'textfield', required: true, validate: { maxLength: 4 } },
          { key: 'qty', label: '数量', type: 'number', validate: { min: 1, max: 10 } },
          { key: 'unit', label: '单位', type: 'select', values: [{ label: '件', value: 'piece' }] },
          { key: 'on', label: '日期', type: 'datetime' },
          { key: 'ok', label: '合格', type: 'checkbox' },
        ],
      };
      expect(failures([table], { goods: [{ name: '井盖', qty: 10, unit: 'piece', on: '2026-11-20', ok: false }, { name: '护栏', qty: 1 }] })).to.deep.equal([]);
      expect(failures([table], { goods: [{ name: '', qty: 11, unit: 'kg', on: '20.11.2026' }] })).to.deep.equal([
        'goods[0].name required',
        'goods[0].qty max',
        'goods[0].unit enum',
        'goods[0].on format',
      ]);
      expect(failures([table], { goods: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] })).to.deep.equal(['goods maxItems']);
      expect(failures([table], { goods: [{ name: 'a', colour: 1 }] })).to.deep.equal(['goods[0].colour unknown']);
      const [error] = compileForm(formOf(table)).validate({ goods: [{ qty: 0, name: 'ab' }] });
      expect(error).to.deep.include({ field: 'goods[0].qty', label: '数量', rule: 'min' });
    });

    it('location: longitude -180..180, latitude -90..90, both needed', () => {
      const location: FormComponent[] = [{ type: 'yw-location', key: 'at', label: '位置', validate: { required: true } }];
      expect(failures(location, { at: { longitude: 180, latitude: -90 } })).to.deep.equal([]);
      expect(failures(location, { at: { longitude: -180, latitude: 90, address: '文惠路' } })).to.deep.equal([]);
      expect(failures(location, { at: { longitude: 180.0001, latitude: -90.5 } })).to.deep.equal(['at.longitude max', 'at.latitude min']);
      expect(failures(location, { at: { longitude: 109.4, address: '' } })).to.deep.equal(['at.latitude required']);
      expect(failures(location, { at: {} })).to.deep.equal(['at required']);
      const [error] = compileForm(formOf(...location)).validate({ at: { longitude: 200, latitude: 0 } });
      expect(error.message).to.equal('「位置 · 经度」不能大于 180 (位置 · 经度 must be at most 180)');
    });

    it('region: a required region reaches its depth, and nothing finer', () => {
      const region: FormComponent[] = [{ type: 'yw-region', key: 'grid', depth: 'community', validate: { required: true } }];
      expect(failures(region, { grid: { district: '450202', street: '450202001', community: '450202001003' } })).to.deep.equal([]);
      expect(failures(region, { grid: { district: '450202', street: '450202001' } })).to.deep.equal(['grid.community required']);
      expect(failures(region, { grid: { district: '450202', street: '1', community: '2', grid: '3' } })).to.deep.equal(['grid.grid unknown']);
      expect(failures([{ type: 'yw-region', key: 'grid', depth: 'street' }], { grid: { district: '450202' } })).to.deep.equal([]);
    });

    it('file picker: one file unless multiple, each a reference with an id', () => {
      const single: FormComponent[] = [{ type: 'filepicker', key: 'photo' }];
      expect(failures(single, { photo: [{ id: 'f1', name: 'a.jpg' }] })).to.deep.equal([]);
      expect(failures(single, { photo: [{ id: 'f1' }, { id: 'f2' }] })).to.deep.equal(['photo maxItems']);
      expect(failures(single, { photo: [{ name: 'a.jpg' }] })).to.deep.equal(['photo[0].id required']);
      expect(failures([{ type: 'filepicker', key: 'photo', multiple: true }], { photo: [{ id: 'f1' }, { id: 'f2' }] })).to.deep.equal([]);
    });

    it('people, departments and dictionary items: ids, one or several', () => {
      const components: FormComponent[] = [
        { type: 'yw-user', key: 'handler', validate: { required: true } },
        { type: 'yw-department', key: 'departments', multiple: true },
        { type: 'yw-dictionary', key: 'category', dictionary: 'case-category' },
      ];
      expect(failures(components, { handler: 'zhangwei', departments: ['d1', 'd2'], category: 'road' })).to.deep.equal([]);
      expect(failures(components, { handler: ['zhangwei'], departments: ['d1', 'd1'], category: 3 })).to.deep.equal(['handler type', 'departments uniqueItems', 'category type']);
    });

    it('refuses keys the form does not have', () => {
      expect(failures([{ type: 'textfield', key: 'name' }], { name: 'a', admin: true })).to.deep.equal(['admin unknown']);
    });
  });

  describe('conditional.hide (FEEL on the submitted data)', () => {
    const remark: FormComponent = { type: 'textarea', key: 'remark', label: '办结说明', validate: { required: true, minLength: 5 }, conditional: { hide: '=status != "closed"' } };
    const status: FormComponent = { type: 'select', key: 'status', values: [{ label: '处置中', value: 'open' }, { label: '已办结', value: 'closed' }] };

    it('a required field hidden by its condition is not required, nor validated', () => {
      expect(failures([status, remark], { status: 'open' })).to.deep.equal([]);
      expect(failures([status, remark], { status: 'open', remark: 'x' })).to.deep.equal([]);
      expect(failures([status, remark], { status: 'closed' })).to.deep.equal(['remark required']);
      expect(failures([status, remark], { status: 'closed', remark: 'x' })).to.deep.equal(['remark minLength']);
    });

    it('hides everything inside a hidden group', () => {
      const form = fixture('hidden-fields-nested-path.json');
      const required = formOf({ type: 'checkbox', key: 'hide' }, { type: 'group', path: 'g', conditional: { hide: '=hide' }, components: [{ type: 'textfield', key: 'name', validate: { required: true } }] });
      expect(compileForm(required).validate({ hide: true }).map((error) => error.field)).to.deep.equal([]);
      expect(compileForm(required).validate({ hide: false }).map((error) => error.field)).to.deep.equal(['g.name']);
      expect(form.validate({ hideGroup: true, request: { profileDetails: { name: 'x' }, otherDetails: { other: 'y' } } })).to.deep.equal([]);
    });

    it('evaluates row conditions with this, parent and i as form-js does', () => {
      const list: FormComponent = {
        type: 'dynamiclist',
        path: 'items',
        components: [
          { type: 'select', key: 'unit', values: [{ label: '件', value: 'piece' }, { label: '其他', value: 'other' }] },
          { type: 'textfield', key: 'note', validate: { required: true }, conditional: { hide: '=this.unit != "other"' } },
          { type: 'textfield', key: 'first', validate: { required: true }, conditional: { hide: '=i[1] > 1' } },
          { type: 'textfield', key: 'kind', validate: { required: true }, conditional: { hide: '=parent.simple' } },
        ],
      };
      const rows = [{ unit: 'piece', first: 'x' }, { unit: 'other' }, { unit: 'other', note: 'set' }];
      expect(failures([{ type: 'checkbox', key: 'simple' }, list], { simple: true, items: rows })).to.deep.equal(['items[1].note required']);
      expect(failures([{ type: 'checkbox', key: 'simple' }, list], { simple: false, items: rows })).to.deep.equal([
        'items[0].kind required',
        'items[1].note required',
        'items[1].kind required',
        'items[2].kind required',
      ]);
    });

    it('hides a whole dynamic list', () => {
      const list: FormComponent = { type: 'dynamiclist', path: 'items', conditional: { hide: '=none' }, components: [{ type: 'textfield', key: 'name', validate: { required: true } }] };
      expect(failures([{ type: 'checkbox', key: 'none' }, list], { none: true, items: [{}] })).to.deep.equal([]);
      expect(failures([{ type: 'checkbox', key: 'none' }, list], { none: false, items: [{}] })).to.deep.equal(['items[0].name required']);
    });

    it("reads an empty value as form-js's feelin does: a comparison with null is a unary test on null, which holds", () => {
      const text: FormComponent = { type: 'textfield', key: 'text', validate: { required: true }, conditional: { hide: '=amount <= 2' } };
      const amount: FormComponent = { type: 'number', key: 'amount' };
      expect(failures([amount, text], { amount: 5 })).to.deep.equal(['text required']);
      expect(failures([amount, text], { amount: 2 })).to.deep.equal([]);
      expect(failures([amount, text], {})).to.deep.equal([]);
      expect(fixture('condition.json').validate({ amount: 1, text: 'hidden, not checked' })).to.deep.equal([]);
    });
  });

  describe('messages', () => {
    it('are zh-CN with the English in parentheses by default, English alone on request', () => {
      const form = compileForm(formOf({ type: 'textfield', key: 'address', label: '地址', validate: { required: true } }));
      expect(form.validate({})[0].message).to.equal('「地址」为必填项 (地址 is required)');
      expect(form.validate({}, { language: 'en' })[0]).to.deep.equal({ field: 'address', label: '地址', rule: 'required', message: '地址 is required' });
      expect(form.validate({ x: 1 }, { language: 'en' })[0].message).to.equal('x is not a field of this form');
    });
  });

  describe("Camunda's example forms round-trip", () => {
    it('the invoice form: good data passes, bad data fails field by field', () => {
      const form = fixture('form.json');
      const good = {
        creditor: 'Acme',
        invoiceNumber: 'C-123',
        amount: 1000,
        approved: true,
        approvedBy: 'li',
        approverComments: '',
        product: 'camunda-cloud',
        mailto: ['manager'],
        language: null,
        conversation: '2026-11-20T08:15Z',
        tags: ['tag1', 'tag5'],
      };
      expect(form.validate(good)).to.deep.equal([]);
      const bad: FieldError[] = form.validate({ ...good, creditor: '', invoiceNumber: 'D-1', amount: -1, product: 'jbpm', mailto: 'manager', conversation: '2026-11-20', tags: ['tag6'] });
      expect(bad.map(({ field, rule }) => `${field} ${rule}`)).to.deep.equal([
        'creditor required',
        'invoiceNumber pattern',
        'amount min',
        'product enum',
        'mailto type',
        'conversation format',
        'tags[0] enum',
      ]);
      expect(bad[0].label).to.equal('Creditor');
    });

    it('nested dynamic lists and groups', () => {
      expect(fixture('nested-dynamic-list-required.json').validate({ outer: [{ inner: [{ value: 1 }, { value: null }] }] }).map((error) => error.field)).to.deep.equal([
        'outer[0].inner[1].value',
      ]);
      expect(fixture('groups.json').validate({ text_root: 'a', pathed: { text_pathed: 'b' }, separated: { path: { text_separated: 'c' } }, separated2: { key: 'd' } })).to.deep.equal([]);
    });

    it('our case report: a realistic submission passes, a faulty one lists every fault', () => {
      const form = fixture('case-report.json');
      expect(form.validate(validCaseReport())).to.deep.equal([]);
      const errors = form.validate(invalidCaseReport(8)).map(({ field, rule }) => `${field} ${rule}`);
      expect(errors).to.have.members([
        'occurredOn required',
        'address.street required',
        'closingRemark required',
        'items[0].name required',
        'items[2].unitNote required',
        'items[4].name required',
        'items[6].unitNote required',
        'title minLength',
        'source enum',
        'reporter.phone phone',
        'reporter.email email',
        'region.street required',
        'region.community required',
        'location.longitude max',
        'estimatedLoss decimalDigits',
        'items[1].quantity decimalDigits',
        'items[5].quantity decimalDigits',
      ]);
    });
  });

  describe('compiled forms', () => {
    it('are cached by object and by content', () => {
      const form = formOf({ type: 'textfield', key: 'a' });
      expect(compileForm(form)).to.equal(compileForm(form));
      expect(compileForm(JSON.parse(JSON.stringify(form)))).to.equal(compileForm(form));
      expect(compileForm(formOf({ type: 'textfield', key: 'b' }))).not.to.equal(compileForm(form));
    });
  });

  describe('formVariables', () => {
    it('one variable per top-level key, without serial numbers or unknown keys, expression fields computed by the server', () => {
      const form = fixture('case-report.json');
      const variables = formVariables({ ...validCaseReport(3), caseNo: 'forged', totalAmount: 999, hacker: 1 }, form);
      expect(variables).not.to.have.any.keys('caseNo', 'hacker');
      expect(variables.totalAmount).to.equal(12.25 + 24.5 + 36.75);
      expect(variables.reporter).to.deep.include({ name: '李明' });
      expect((variables.items as unknown[]).length).to.equal(3);
    });

    it('keeps nothing of a field its condition hides: it was not validated', () => {
      const form = compileForm(formOf(
        { type: 'select', key: 'status', values: [{ label: '办结', value: 'closed' }, { label: '处理中', value: 'open' }] },
        { type: 'number', key: 'hours', validate: { max: 10 }, conditional: { hide: '=status != "closed"' } },
      ));
      const submitted = { status: 'open', hours: 'x'.repeat(5000) };
      expect(form.validate(submitted)).to.deep.equal([]);
      expect(formVariables(submitted, form)).to.deep.equal({ status: 'open' });
      expect(formVariables({ status: 'closed', hours: 8 }, form)).to.deep.equal({ status: 'closed', hours: 8 });
    });
  });
});
