import { expect } from 'chai';
import { BadUserRequestError } from '../errors/index.js';
import { formOf } from './fixtures/index.js';
import { compileForm, fieldPermissionsFrom, formForUser, readOnlyChanges, withoutHidden, type FieldPermissions, type FormComponent } from './index.js';

const components: FormComponent[] = [
  { type: 'textfield', id: 'T', key: 'title', label: '标题', validate: { required: true } },
  { type: 'textfield', id: 'S', key: 'salary', label: '薪资', validate: { required: true } },
  { type: 'group', id: 'G', path: 'review', components: [{ type: 'textarea', id: 'O', key: 'opinion', label: '审核意见', validate: { required: true, minLength: 5 } }] },
  { type: 'dynamiclist', id: 'L', path: 'items', components: [{ type: 'textfield', id: 'N', key: 'name' }, { type: 'number', id: 'P', key: 'price', validate: { required: true } }] },
];
const form = formOf(...components);

describe('forms > field permissions', () => {
  describe('fieldPermissionsFrom', () => {
    it('reads yiwang:field:<key> properties and ignores the others', () => {
      const permissions = fieldPermissionsFrom({ 'yiwang:field:salary': 'hidden', 'yiwang:field:review.opinion': ' readonly ', 'yiwang:field:title': 'editable', other: 'x' });
      expect([...permissions]).to.deep.equal([
        ['salary', 'hidden'],
        ['review.opinion', 'readonly'],
        ['title', 'editable'],
      ]);
    });

    it('refuses an invalid value or key, naming the task property', () => {
      expect(() => fieldPermissionsFrom({ 'yiwang:field:salary': 'secret' }))
        .to.throw(BadUserRequestError)
        .with.property('message')
        .that.contains("task property yiwang:field:salary = 'secret' must be editable, readonly or hidden");
      expect(() => fieldPermissionsFrom({ 'yiwang:field:a..b': 'hidden' })).to.throw(BadUserRequestError, 'yiwang:field:a..b');
    });
  });

  describe('formForUser', () => {
    it('removes hidden fields and marks read-only ones, also through groups and lists', () => {
      const shown = formForUser(form, new Map([['salary', 'hidden'], ['review', 'readonly'], ['items.price', 'hidden']]));
      expect(shown.components.map((component) => component.id)).to.deep.equal(['T', 'G', 'L']);
      const [, group, list] = shown.components;
      expect(group.readonly).to.equal(true);
      expect(group.components?.[0]).to.include({ id: 'O', readonly: true });
      expect(list.components?.map((component) => component.id)).to.deep.equal(['N']);
      expect(form.components).to.have.length(4);
    });

    it('hides a whole group by its path', () => {
      expect(formForUser(form, new Map([['review', 'hidden']])).components.map((component) => component.id)).to.deep.equal(['T', 'S', 'L']);
    });
  });

  describe('withoutHidden', () => {
    it("withholds hidden values, in every row of a list, without touching the caller's data", () => {
      const data = { title: 'a', salary: 9000, review: { opinion: 'ok' }, items: [{ name: 'x', price: 1 }, { name: 'y', price: 2 }] };
      const permissions: FieldPermissions = new Map([['salary', 'hidden'], ['items.price', 'hidden'], ['review', 'readonly']]);
      expect(withoutHidden(data, permissions)).to.deep.equal({ title: 'a', review: { opinion: 'ok' }, items: [{ name: 'x' }, { name: 'y' }] });
      expect(data.salary).to.equal(9000);
      expect(data.items[0].price).to.equal(1);
    });
  });

  describe('validate with permissions', () => {
    const compiled = compileForm(form);

    it('neither requires nor accepts a hidden field', () => {
      const permissions: FieldPermissions = new Map([['salary', 'hidden']]);
      const review = { opinion: '同意，按程序办理' };
      expect(compiled.validate({ title: 'a', review }, { permissions })).to.deep.equal([]);
      const [error] = compiled.validate({ title: 'a', salary: '9000', review }, { permissions, language: 'en' });
      expect(error).to.deep.equal({ field: 'salary', label: '薪资', rule: 'hidden', message: '薪资 is hidden in this task and cannot be submitted' });
    });

    it('hides the fields of a hidden list in every row', () => {
      const permissions: FieldPermissions = new Map([['items.price', 'hidden']]);
      const valid = { title: 'a', salary: '1', review: { opinion: '同意，按程序办理' } };
      expect(compiled.validate({ ...valid, items: [{ name: 'x' }] }, { permissions })).to.deep.equal([]);
      expect(compiled.validate({ ...valid, items: [{ name: 'x', price: 3 }] }, { permissions }).map((error) => error.field)).to.deep.equal(['items[0].price']);
    });

    it('does not validate read-only fields: readOnlyChanges guards them', () => {
      const permissions: FieldPermissions = new Map([['review', 'readonly']]);
      expect(compiled.validate({ title: 'a', salary: '1', review: { opinion: 'ok' } }, { permissions })).to.deep.equal([]);
      expect(compiled.validate({ title: 'a', salary: '1' }, { permissions })).to.deep.equal([]);
      expect(compiled.validate({ title: 'a', salary: '1', review: { opinion: 'ok' } }).map((error) => `${error.field} ${error.rule}`)).to.deep.equal(['review.opinion minLength']);
    });
  });

  describe('readOnlyChanges', () => {
    const permissions: FieldPermissions = new Map([['review.opinion', 'readonly'], ['items.price', 'readonly']]);
    const current = { review: { opinion: '同意' }, items: [{ name: 'x', price: 1 }], title: null };

    it('accepts a read-only field submitted unchanged or left out', () => {
      expect(readOnlyChanges({ review: { opinion: '同意' }, items: [{ name: 'y', price: 1 }] }, current, permissions)).to.deep.equal([]);
      expect(readOnlyChanges({ title: 'new' }, current, permissions)).to.deep.equal([]);
      expect(readOnlyChanges({ review: { opinion: null } }, { review: {} }, permissions)).to.deep.equal([]);
    });

    it('refuses a read-only field submitted with another value, also in a list', () => {
      const changes = readOnlyChanges({ review: { opinion: '驳回' }, items: [{ name: 'x', price: 2 }] }, current, permissions);
      expect(changes.map((change) => `${change.field} ${change.rule}`)).to.deep.equal(['review.opinion readonly', 'items.price readonly']);
      expect(changes[0].message).to.equal('「review.opinion」在此任务中只读，不能修改 (review.opinion is read-only in this task and cannot be changed)');
      expect(readOnlyChanges({ items: [] }, current, permissions, 'en').map((change) => change.field)).to.deep.equal(['items.price']);
    });
  });
});
