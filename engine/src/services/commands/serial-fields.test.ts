import { expect } from 'chai';
import { DateTime } from 'luxon';
import { BadUserRequestError, ConflictError } from '../../errors/index.js';
import { FormValidationError } from '../../forms/index.js';
import { bpmn, countRows, flow, openTask, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

const TENANT = 'sf-tenant';
const DAY_MS = 24 * 3_600_000;

/** A form-js form: a text field per key, then `extra` components. */
function form(id: string, keys: readonly string[], extra: readonly object[] = []) {
  const fields = keys.map((key) => ({ id: `f_${key}`, type: 'textfield', key, label: key === 'category' ? '类别' : key }));
  return { id, type: 'default', schemaVersion: 16, components: [...fields, ...extra] };
}

const serial = (key: string, rule: string) => ({ id: `f_${key}`, type: 'yw-serial', key, label: key, rule });

/** A report numbered per category and day at the start. */
const REPORT = form('sf-report', ['category', 'title'], [serial('caseNo', '{field:category}-{yyyyMMdd}-{seq:3}')]);
/** 立案 as a task form: the file number (案卷编号) is given at this step, per category and day; `again` sends the case back to it. */
const REGISTER = form('sf-register', ['category'], [serial('fileNo', 'AJ{field:category}{yyyyMMdd}{seq:2}'), { id: 'f_again', type: 'checkbox', key: 'again', label: '退回重新立案' }]);

const PROCESS = bpmn('sf_case', `
  <startEvent id="start" camunda:formRef="sf-report"/>${flow('start', 'register')}
  <userTask id="register" camunda:formRef="sf-register"/>${flow('register', 'decide')}
  <exclusiveGateway id="decide" default="done"/>${flow('decide', 'register', '${again == true}')}
  <sequenceFlow id="done" sourceRef="decide" targetRef="end"/>
  <endEvent id="end"/>`);

describeOnDatabases('services/commands - serial numbers with field parts ({field:key})', (fixture) => {
  let definitionId: string;

  before(async () => {
    const { engine } = fixture();
    const deployed = await engine.repositoryService.deploy({
      name: 'serial-fields', tenantId: TENANT,
      resources: [{ name: 'case.bpmn', content: PROCESS }, { name: 'report.form', content: JSON.stringify(REPORT) }, { name: 'register.form', content: JSON.stringify(REGISTER) }],
    });
    definitionId = deployed.deployedProcessDefinitions[0]!.id;
  });

  /** the engine's day (its clock, its time zone): what {yyyyMMdd} reads */
  const today = () => DateTime.fromJSDate(fixture().clock.now()).toFormat('yyyyMMdd');
  const report = (data: Record<string, unknown>) => fixture().engine.formService.submitStartForm(definitionId, { submission: { data, language: 'en' } });
  const register = async (instanceId: string, data: Record<string, unknown>) => {
    const task = await openTask(fixture().engine, instanceId, 'register');
    return fixture().engine.formService.submitTaskForm(task.id, { data, language: 'en' });
  };

  it('refuses at deploy and save a rule naming no field of the form, a field in a dynamic list or another serial number', async () => {
    const { engine } = fixture();
    const list = { id: 'f_items', type: 'dynamiclist', path: 'items', label: '明细', components: [{ id: 'f_code', type: 'textfield', key: 'code', label: '编码' }] };
    const refused = [
      form('sf-bad-unknown', ['title'], [serial('no', '{field:category}{seq:3}')]),
      form('sf-bad-list', [], [list, serial('no', '{field:items.code}{seq:3}')]),
      form('sf-bad-serial', [], [serial('first', '{seq}'), serial('no', '{field:first}{seq:3}')]),
      // a number's value never passes as a code, so the form would refuse every submission
      form('sf-bad-number', [], [{ id: 'f_level', type: 'number', key: 'level', label: '级别' }, serial('no', '{field:level}{seq:3}')]),
      form('sf-bad-multiple', [], [{ id: 'f_kinds', type: 'yw-dictionary', key: 'kinds', label: '类别', dictionary: 'sf-kinds', multiple: true }, serial('no', '{field:kinds}{seq:3}')]),
      // field values differ in length: with {seq}, A1 + 1 and A + 11 would both read A11
      form('sf-bad-width', ['category'], [serial('no', '{field:category}{seq}')]),
    ];
    for (const bad of refused) {
      const saved = await rejectionOf(engine.formService.saveForm({ form: bad, tenantId: TENANT }));
      expect(saved, bad.id).to.be.instanceOf(BadUserRequestError);
      expect(saved.message, bad.id).to.contain("field 'no'").and.to.contain('{field:');
      const deployed = await rejectionOf(engine.repositoryService.deploy({ name: bad.id, tenantId: TENANT, resources: [{ name: `${bad.id}.form`, content: JSON.stringify(bad) }] }));
      expect(deployed, bad.id).to.be.instanceOf(BadUserRequestError);
    }
    expect((await engine.formService.listForms({ key: 'sf-bad-unknown' })).length).to.equal(0);
  });

  it('counts each category on its own from 1, the same day', async () => {
    const numbers = [];
    for (const category of ['BJ01', 'BJ01', 'SJ02', 'BJ01']) numbers.push((await report({ category, title: '井盖' })).serialNumbers.caseNo);
    expect(numbers).to.deep.equal([`BJ01-${today()}-001`, `BJ01-${today()}-002`, `SJ02-${today()}-001`, `BJ01-${today()}-003`]);
  });

  it('refuses a missing or unsafe category with a 400 naming the field, starting nothing and taking no number', async () => {
    const { engine } = fixture();
    const before = await countRows(engine, ['execution', 'serial_sequence']);
    for (const category of [undefined, '', 'BJ 01', '{seq}', 'BJ/01', 'x'.repeat(33), '类别']) {
      const refusal = await rejectionOf(report(category === undefined ? { title: '无类别' } : { category, title: '坏类别' }));
      expect(refusal, String(category)).to.be.instanceOf(FormValidationError);
      expect((refusal as FormValidationError).errors.map((e) => [e.field, e.rule]), String(category)).to.deep.equal([['category', 'serialPart']]);
      expect((refusal as FormValidationError).errors[0]!.message).to.contain('类别');
    }
    expect(await countRows(engine, ['execution', 'serial_sequence'])).to.deep.equal(before);
    // nothing was counted for the refused ones: the category's next number follows on
    expect((await report({ category: 'SJ09', title: '井盖' })).serialNumbers.caseNo).to.equal(`SJ09-${today()}-001`);
  });

  it('refuses a number past the fixed width of a category\'s sequence, with a 409 naming the rule and the day, starting nothing', async () => {
    const { engine } = fixture();
    await report({ category: 'ZZ99', title: '满' });
    await engine.database.transaction((sql) => sql.execute('UPDATE serial_sequence SET value = 999 WHERE rule = $1', ['ZZ99-{yyyyMMdd}-{seq:3}']));
    const before = await countRows(engine, ['execution', 'serial_sequence']);
    const refusal = await rejectionOf(report({ category: 'ZZ99', title: '满' }));
    expect(refusal).to.be.instanceOf(ConflictError);
    expect(refusal.message).to.contain("'ZZ99-{yyyyMMdd}-{seq:3}'").and.to.contain(today());
    expect(await countRows(engine, ['execution', 'serial_sequence'])).to.deep.equal(before);
  });

  it('numbers on a task form: once, when the task first completes; visited again the case keeps its number, category changed or not', async () => {
    const first = await report({ category: 'BJ07', title: '立案一' });
    const second = await report({ category: 'BJ07', title: '立案二' });
    const registered = await register(first.id, { category: 'BJ07', again: true });
    expect(registered.serialNumbers).to.deep.equal({ fileNo: `AJBJ07${today()}01` });
    // back at 立案 (a 回退): the number stays, though the category is corrected
    const again = await register(first.id, { category: 'SJ08', again: false });
    expect(again.serialNumbers).to.deep.equal({ fileNo: `AJBJ07${today()}01` });
    expect((await fixture().engine.historyService.getProcessInstance(first.id)).state).to.equal('COMPLETED');
    // the task form numbers with the category the submission gives, not the start form's
    expect((await register(second.id, { category: 'SJ08', again: false })).serialNumbers).to.deep.equal({ fileNo: `AJSJ08${today()}01` });
  });

  it('numbers concurrent task-form submissions of one category one after another, without gaps', async () => {
    const started = await Promise.all(Array.from({ length: 8 }, (_, i) => report({ category: 'BJ11', title: `并发 ${i}` })));
    const registered = await Promise.all(started.map((s) => register(s.id, { category: 'SJ12', again: false })));
    const numbers = registered.map((r) => r.serialNumbers.fileNo).sort();
    expect(numbers).to.deep.equal(Array.from({ length: 8 }, (_, i) => `AJSJ12${today()}0${i + 1}`));
  });

  it('starts every category again at 1 on the next day of the engine clock', async () => {
    const { clock } = fixture();
    const yesterday = today();
    expect((await report({ category: 'BJ21', title: '今天' })).serialNumbers.caseNo).to.equal(`BJ21-${yesterday}-001`);
    expect((await report({ category: 'BJ21', title: '今天' })).serialNumbers.caseNo).to.equal(`BJ21-${yesterday}-002`);
    clock.advance(DAY_MS);
    expect(today()).to.not.equal(yesterday);
    expect((await report({ category: 'BJ21', title: '明天' })).serialNumbers.caseNo).to.equal(`BJ21-${today()}-001`);
    expect((await report({ category: 'BJ01', title: '明天' })).serialNumbers.caseNo).to.equal(`BJ01-${today()}-001`);
  });
});
