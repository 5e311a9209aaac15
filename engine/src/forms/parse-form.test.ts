import { expect } from 'chai';
import { BadUserRequestError } from '../errors/index.js';
import { fixtureText, formOf } from './fixtures/index.js';
import { parseForm } from './index.js';

function refusal(content: string | object, source = 'case.form'): string {
  try {
    parseForm(typeof content === 'string' ? content : JSON.stringify(content), source);
  } catch (error) {
    expect(error).to.be.instanceOf(BadUserRequestError);
    return (error as Error).message;
  }
  throw new Error('the form was accepted');
}

describe('forms > parseForm', () => {
  it("reads Camunda's own form-js example forms", () => {
    for (const name of ['form.json', 'condition.json', 'groups.json', 'nested-dynamic-list-required.json', 'hidden-fields-nested-path.json', 'case-report.json']) {
      const form = parseForm(fixtureText(name), name);
      expect(form.components, name).to.be.an('array').that.is.not.empty;
      expect(form.type).to.equal('default');
    }
  });

  it('reads a Buffer with a byte-order mark', () => {
    const form = parseForm(Buffer.from(`\uFEFF${JSON.stringify(formOf({ type: 'textfield', key: 'name' }))}`), 'case.form');
    expect(form.id).to.equal('test-form');
  });

  it('refuses what is not JSON, naming the source', () => {
    expect(refusal('{ "id": ', 'broken.form')).to.match(/^表单 broken\.form 不是 JSON .*form broken\.form is not JSON/);
  });

  it('refuses a form without components, without an id or with a bad schemaVersion', () => {
    expect(refusal({ id: 'a', schemaVersion: 19 })).to.contain('has no components array');
    expect(refusal({ schemaVersion: 19, components: [] })).to.contain('has no id');
    expect(refusal({ id: 'a', schemaVersion: 'x', components: [] })).to.contain('schemaVersion must be a positive integer');
    expect(refusal({ id: 'a', type: 'other', schemaVersion: 19, components: [] })).to.contain("type must be 'default'");
  });

  it('refuses an unknown component type, naming the component', () => {
    const message = refusal(formOf({ type: 'signature', id: 'Field_sign', key: 'sign' }));
    expect(message).to.contain('Field_sign (key sign)').and.to.contain("unknown component type 'signature'");
  });

  it('refuses duplicate keys, also across a dotted key and a group path', () => {
    expect(refusal(formOf({ type: 'textfield', id: 'A', key: 'name' }, { type: 'number', id: 'B', key: 'name' }))).to.contain("component B (key name): 'name' binds the same data as A (key name)");
    const group = { type: 'group', id: 'G', path: 'address', components: [{ type: 'textfield', id: 'S', key: 'street' }] };
    expect(refusal(formOf(group, { type: 'textfield', id: 'D', key: 'address.street' }))).to.contain("'address.street' binds the same data");
    expect(refusal(formOf({ type: 'textfield', id: 'L', key: 'address' }, group))).to.contain('component G');
  });

  it('accepts the same key in a list row and outside it, and two groups sharing a path', () => {
    const list = { type: 'dynamiclist', id: 'L', path: 'items', components: [{ type: 'textfield', id: 'N', key: 'name' }] };
    const groups = ['G1', 'G2'].map((id, index) => ({ type: 'group', id, path: 'address', components: [{ type: 'textfield', id: `F${index}`, key: `line${index}` }] }));
    expect(() => parseForm(JSON.stringify(formOf({ type: 'textfield', id: 'T', key: 'name' }, list, ...groups)), 'x')).not.to.throw();
  });

  it('refuses bad keys and paths, a list without a path and duplicate component ids', () => {
    expect(refusal(formOf({ type: 'textfield', id: 'A', key: 'address..street' }))).to.contain("invalid key 'address..street'");
    expect(refusal(formOf({ type: 'textfield', id: 'A', key: '地址' }))).to.contain("invalid key '地址'");
    expect(refusal(formOf({ type: 'textfield', id: 'A' }))).to.contain('the field has no key');
    expect(refusal(formOf({ type: 'group', id: 'G', path: 'a b', components: [] }))).to.contain("invalid path 'a b'");
    expect(refusal(formOf({ type: 'dynamiclist', id: 'L', components: [] }))).to.contain('a dynamic list needs a path');
    expect(refusal(formOf({ type: 'textfield', id: 'A', key: 'a' }, { type: 'textfield', id: 'A', key: 'b' }))).to.contain('duplicate or invalid component id');
  });

  it('refuses broken validation rules and FEEL conditions', () => {
    expect(refusal(formOf({ type: 'textfield', id: 'A', key: 'a', validate: { pattern: '([' } }))).to.contain("validate.pattern '([' is not a valid regular expression");
    expect(refusal(formOf({ type: 'textfield', id: 'A', key: 'a', validate: { minLength: 'three' } }))).to.contain('validate.minLength must be a number');
    expect(refusal(formOf({ type: 'textfield', id: 'A', key: 'a', conditional: { hide: '=a >' } }))).to.contain('conditional.hide is invalid: FEEL syntax error');
    expect(refusal(formOf({ type: 'textfield', id: 'A', key: 'a', conditional: { hide: 'a > 1' } }))).to.contain('must start with =');
    expect(refusal(formOf({ type: 'expression', id: 'E', key: 'total' }))).to.contain('expression must be a FEEL expression');
  });

  it('accepts FEEL limits, which the browser evaluates', () => {
    expect(() => parseForm(JSON.stringify(formOf({ type: 'number', id: 'A', key: 'a', validate: { min: '=low', max: '=high' } })), 'x')).not.to.throw();
  });

  it("checks our field types' own properties", () => {
    expect(refusal(formOf({ type: 'yw-region', id: 'R', key: 'region', depth: 'province' }))).to.contain('depth must be one of district, street, community, grid');
    expect(refusal(formOf({ type: 'yw-dictionary', id: 'D', key: 'category' }))).to.contain('dictionary (the dictionary code) is missing');
    expect(refusal(formOf({ type: 'yw-serial', id: 'S', key: 'caseNo' }))).to.contain('rule (the serial number rule) is missing');
    expect(refusal(formOf({ type: 'yw-subtable', id: 'T', key: 'rows', columns: [] }))).to.contain('a sub-table needs at least one column');
    const column = { key: 'qty', type: 'number' };
    expect(refusal(formOf({ type: 'yw-subtable', id: 'T', key: 'rows', columns: [column, column] }))).to.contain("duplicate column key 'qty'");
    expect(refusal(formOf({ type: 'yw-subtable', id: 'T', key: 'rows', columns: [{ key: 'qty', type: 'slider' }] }))).to.contain('columns[0].type must be one of');
    expect(refusal(formOf({ type: 'yw-subtable', id: 'T', key: 'rows', columns: [column], minRows: 3, maxRows: 2 }))).to.contain('minRows must not exceed maxRows');
  });
});
