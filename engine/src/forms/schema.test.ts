import { expect } from 'chai';
import { fixtureText, formOf } from './fixtures/index.js';
import { compileForm, JSON_SCHEMA_2020_12, parseForm, type FormComponent } from './index.js';

type Schema = Record<string, any>;

function schemaOf(...components: FormComponent[]): Schema {
  return compileForm(formOf(...components)).jsonSchema;
}

function propertyOf(component: FormComponent): Schema {
  return schemaOf(component).properties[component.key as string];
}

describe('forms > JSON Schema derived from a form', () => {
  it('is a 2020-12 object schema without additional properties, titled by the form id', () => {
    const schema = schemaOf({ type: 'textfield', key: 'name', label: '姓名' });
    expect(schema).to.include({ $schema: JSON_SCHEMA_2020_12, title: 'test-form', type: 'object', additionalProperties: false });
    expect(schema.properties.name).to.deep.equal({ type: ['string', 'null'], description: '姓名' });
  });

  it('turns text rules into string keywords, email and phone into formats', () => {
    const validate = { required: true, minLength: 2, maxLength: 10, pattern: '^[A-Z]', validationType: 'email' };
    expect(propertyOf({ type: 'textfield', key: 'a', validate })).to.deep.equal({ type: 'string', minLength: 2, maxLength: 10, pattern: '^[A-Z]', format: 'email' });
    expect(propertyOf({ type: 'textarea', key: 'a', validate: { required: true, validationType: 'phone' } })).to.deep.equal({ type: 'string', format: 'phone' });
  });

  it('leaves FEEL limits to the browser', () => {
    expect(propertyOf({ type: 'number', key: 'a', validate: { required: true, min: '=low', max: 5 } })).to.deep.equal({ type: 'number', maximum: 5 });
  });

  it('turns number rules into minimum, maximum and multipleOf (decimalDigits, increment)', () => {
    expect(propertyOf({ type: 'number', key: 'a', decimalDigits: 2, increment: '0.5', validate: { required: true, min: 0, max: 100 } })).to.deep.equal({
      type: 'number',
      minimum: 0,
      maximum: 100,
      multipleOf: 0.01,
      allOf: [{ multipleOf: 0.5 }],
    });
    expect(propertyOf({ type: 'number', key: 'a', serializeToString: true, validate: { required: true } })).to.include({ type: 'string' });
  });

  it('makes static options an enum and dynamic ones a plain string', () => {
    const values = [{ label: '一般', value: 'normal' }, { label: '紧急', value: 'urgent' }];
    expect(propertyOf({ type: 'select', key: 'a', values, validate: { required: true } })).to.deep.equal({ type: 'string', enum: ['normal', 'urgent'] });
    expect(propertyOf({ type: 'radio', key: 'a', values })).to.deep.equal({ type: ['string', 'null'], enum: ['normal', 'urgent', null] });
    expect(propertyOf({ type: 'select', key: 'a', valuesKey: 'options', validate: { required: true } })).to.deep.equal({ type: 'string' });
    expect(propertyOf({ type: 'radio', key: 'a', valuesExpression: '=options', validate: { required: true } })).to.deep.equal({ type: 'string' });
    expect(propertyOf({ type: 'checklist', key: 'a', values, validate: { required: true } })).to.deep.equal({ type: 'array', items: { type: 'string', enum: ['normal', 'urgent'] } });
    expect(propertyOf({ type: 'taglist', key: 'a', valuesKey: 'tags', validate: { required: true } })).to.deep.equal({ type: 'array', items: { type: 'string' } });
    expect(propertyOf({ type: 'checkbox', key: 'a', validate: { required: true } })).to.deep.equal({ type: 'boolean' });
  });

  it('gives datetime subtypes the formats date, time and date-time', () => {
    expect(propertyOf({ type: 'datetime', key: 'a', validate: { required: true } })).to.deep.equal({ type: 'string', format: 'date' });
    expect(propertyOf({ type: 'datetime', key: 'a', subtype: 'time', validate: { required: true } })).to.deep.equal({ type: 'string', format: 'time' });
    expect(propertyOf({ type: 'datetime', key: 'a', subtype: 'datetime', validate: { required: true } })).to.deep.equal({ type: 'string', format: 'date-time' });
  });

  it('nests dot-path keys and group paths, with nested required lists', () => {
    const schema = parseAndDerive('groups.json');
    expect(Object.keys(schema.properties)).to.deep.equal(['text_root', 'text_flat', 'text_nested', 'pathed', 'separated', 'separated2']);
    expect(schema.properties.separated.properties.path.properties.text_separated).to.deep.equal({ type: ['string', 'null'] });
    const nested = schemaOf({ type: 'group', path: 'case', components: [{ type: 'textfield', key: 'address.street', validate: { required: true } }, { type: 'textfield', key: 'address.no' }] });
    expect(nested.required).to.deep.equal(['case']);
    expect(nested.properties.case.required).to.deep.equal(['address']);
    expect(nested.properties.case.properties.address.required).to.deep.equal(['street']);
  });

  it('makes dynamic lists arrays of row objects, nested lists too', () => {
    const schema = parseAndDerive('nested-dynamic-list-required.json');
    const inner = schema.properties.outer.items.properties.inner;
    expect(inner.type).to.equal('array');
    expect(inner.items).to.deep.equal({ type: 'object', properties: { value: { type: 'number', description: 'Value' } }, required: ['value'], additionalProperties: false });
    expect(schema.required).to.equal(undefined);
  });

  it('does not require a field that a condition may hide', () => {
    const schema = schemaOf({ type: 'textfield', key: 'remark', validate: { required: true }, conditional: { hide: '=status != "closed"' } }, { type: 'textfield', key: 'status' });
    expect(schema.required).to.equal(undefined);
    expect(schema.properties.remark.type).to.equal('string');
  });

  it('gives presentation components no value, expression fields and serial numbers read-only ones', () => {
    const schema = parseAndDerive('form.json');
    expect(schema.properties).not.to.have.keys('submit', 'reset');
    expect(schema.required).to.deep.equal(['creditor']);
    expect(propertyOf({ type: 'expression', key: 'total', expression: '=1 + 1' })).to.deep.equal({ readOnly: true });
    expect(propertyOf({ type: 'yw-serial', key: 'caseNo', rule: 'AJ{seq:4}' })).to.deep.equal({ type: ['string', 'null'], readOnly: true });
  });

  it('makes file pickers arrays of file references, one file unless multiple', () => {
    const file = { type: 'object', properties: { id: { type: 'string', minLength: 1 }, name: { type: 'string' } }, required: ['id'], additionalProperties: false };
    expect(propertyOf({ type: 'filepicker', key: 'a', validate: { required: true } })).to.deep.equal({ type: 'array', items: file, maxItems: 1 });
    expect(propertyOf({ type: 'filepicker', key: 'a', multiple: true, validate: { required: true } })).to.deep.equal({ type: 'array', items: file });
  });

  it('derives our field types: people, departments, dictionary items, region, location, sub-table', () => {
    expect(propertyOf({ type: 'yw-user', key: 'a', validate: { required: true } })).to.deep.equal({ type: 'string', minLength: 1 });
    expect(propertyOf({ type: 'yw-department', key: 'a', multiple: true, validate: { required: true } })).to.deep.equal({ type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true });
    expect(propertyOf({ type: 'yw-region', key: 'a', depth: 'street', validate: { required: true } })).to.deep.equal({
      type: 'object',
      properties: { district: { type: 'string', minLength: 1 }, street: { type: 'string', minLength: 1 } },
      required: ['district', 'street'],
      additionalProperties: false,
    });
    expect(propertyOf({ type: 'yw-location', key: 'a', validate: { required: true } }).properties.latitude).to.deep.equal({ type: 'number', minimum: -90, maximum: 90 });
    const table = propertyOf({
      type: 'yw-subtable',
      key: 'a',
      minRows: 2,
      maxRows: 5,
      columns: [
        { key: 'name', label: '名称', type: 'textfield', required: true, validate: { maxLength: 20 } },
        { key: 'unit', type: 'select', values: [{ label: '件', value: 'piece' }] },
      ],
      validate: { required: true },
    });
    expect(table).to.deep.equal({
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string', maxLength: 20, description: '名称' }, unit: { type: 'string', enum: ['piece'] } },
        required: ['name'],
        additionalProperties: false,
      },
      minItems: 2,
      maxItems: 5,
    });
  });

  it('lists every value-carrying field with its dot path, label and list', () => {
    const { fields } = compileForm(parseForm(fixtureText('case-report.json'), 'case-report.json'));
    const byKey = new Map(fields.map((field) => [field.key, field]));
    expect(byKey.get('reporter.phone')).to.include({ label: '联系电话', type: 'textfield', required: false, list: null });
    expect(byKey.get('items.unitNote')).to.include({ label: '单位说明', required: true, list: 'items' });
    expect(byKey.get('occurredOn')).to.include({ label: '发生日期', required: true });
    expect(byKey.has('submit')).to.equal(false);
  });
});

function parseAndDerive(fixture: string): Schema {
  return compileForm(parseForm(fixtureText(fixture), fixture)).jsonSchema;
}
