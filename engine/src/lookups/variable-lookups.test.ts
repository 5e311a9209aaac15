import { expect } from 'chai';
import { CreateDictionaryCmd } from '../dictionaries/index.js';
import { ParseError } from '../errors/index.js';
import type { ProcessEngine } from '../services/index.js';
import { bpmn, countRows, escapeXml, flow, openTask, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../testing/organisation.js';

const CITY = TENANT_TREE.city;
const COUNTY = TENANT_TREE.countyA;

function properties(values: Record<string, string>): string {
  const entries = Object.entries(values).map(([name, value]) => `<camunda:property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`);
  return `<extensionElements><camunda:properties>${entries.join('')}</camunda:properties></extensionElements>`;
}

/** The routing lookup as the case loop's 派遣 step writes it. */
const ROUTING = {
  'yiwang:lookup:department:dictionary': 'routing',
  'yiwang:lookup:department:item': '${category}',
  'yiwang:lookup:department:prefer': 'byRegion.${region.district}',
  'yiwang:lookup:department:field': 'department',
  'yiwang:lookup:department:as': 'department-id',
};

/**
 * start → note (a plain task filling `departmentName` as is) → dispatch (routing) → gateway:
 * `again` leads back to dispatch (as 回退 re-enters it), else → handle → end.
 */
const ROUTED_PROCESS = bpmn('routed', `
  <startEvent id="start"/>${flow('start', 'note')}
  <task id="note">${properties({
    'yiwang:lookup:departmentName:dictionary': 'routing', 'yiwang:lookup:departmentName:item': '${category}', 'yiwang:lookup:departmentName:field': 'departmentName',
  })}</task>${flow('note', 'dispatch')}
  <userTask id="dispatch" camunda:assignee="dispatcher">${properties(ROUTING)}</userTask>${flow('dispatch', 'decide')}
  <exclusiveGateway id="decide" default="onward"/>
  ${flow('decide', 'dispatch', '${again}', 'back')}${flow('decide', 'handle', undefined, 'onward')}
  <userTask id="handle" camunda:assignee="handler"/>${flow('handle', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('lookups - variables filled from dictionaries when an activity is entered (yiwang:lookup)', (fixture) => {
  let engine: ProcessEngine;
  let department: (tenantId: string, code: string) => string;

  before(async () => {
    engine = fixture().engine;
    const organisation = await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [
        { tenantId: CITY, code: 'cgj', name: '市城管执法局' },
        { tenantId: CITY, code: 'zjj', name: '市住房城乡建设局' },
        { tenantId: CITY, code: 'cz-cgj', name: '城中区城管局' },
        { tenantId: COUNTY, code: 'cgj', name: '柳城县城管局' },
      ],
    });
    department = (tenantId, code) => organisation.departmentId(tenantId, code);
    await engine.commandExecutor.execute(new CreateDictionaryCmd({
      code: 'routing', name: '派遣规则', items: [
        { code: 'SJ06010', label: '暴露垃圾', extra: { department: 'cgj', departmentName: '市城管执法局', byRegion: { 450202: 'cz-cgj' } } },
        { code: 'BJ01002', label: '污水井盖', extra: { department: 'zjj', departmentName: '市住房城乡建设局', byRegion: {} } },
        { code: 'SJ09006', label: '占道经营', extra: { departmentName: '（未定）' } },
        { code: 'BJ01037', label: '路灯', extra: { department: 'ldc', departmentName: '路灯管理处' } },
      ],
    }));
    for (const tenantId of [CITY, COUNTY]) {
      await engine.repositoryService.deploy({ name: 'routed', tenantId, resources: [{ name: 'routed.bpmn', content: ROUTED_PROCESS }] });
    }
  });

  async function dispatched(variables: Record<string, unknown>, tenantId: string = CITY) {
    const instance = await engine.runtimeService.startProcessInstanceByKey('routed', { tenantId, variables: { region: null, ...variables } });
    await openTask(engine, instance.id, 'dispatch');
    const values = await engine.runtimeService.getVariables(instance.id);
    return { id: instance.id, department: values.get('department')?.value, departmentName: values.get('departmentName')?.value };
  }

  it("writes the category's department as the id of the department with that code in the instance's tenant", async () => {
    // when
    const city = await dispatched({ category: 'BJ01002', region: { district: '450202' } });
    const county = await dispatched({ category: 'SJ06010' }, COUNTY);
    // then: the same code, each tenant's own department
    expect(city.department).to.equal(department(CITY, 'zjj'));
    expect(county.department).to.equal(department(COUNTY, 'cgj'));
    // and a plain lookup (no conversion) on a plain task copies the value as it is
    expect(city.departmentName).to.equal('市住房城乡建设局');
  });

  it("prefers the item's entry for the case's district, and falls back to the category's department in other districts", async () => {
    // when
    const inDistrict = await dispatched({ category: 'SJ06010', region: { district: '450202', street: '450202001' } });
    const elsewhere = await dispatched({ category: 'SJ06010', region: { district: '450203' } });
    const noRegion = await dispatched({ category: 'SJ06010' });
    // then
    expect(inDistrict.department).to.equal(department(CITY, 'cz-cgj'));
    expect(elsewhere.department).to.equal(department(CITY, 'cgj'));
    expect(noRegion.department).to.equal(department(CITY, 'cgj'));
  });

  it('leaves the variable empty, failing nothing, when there is no route: no category, no item, no department in the item, a department code the tenant has not', async () => {
    // when
    const cases = [
      await dispatched({ category: null }),
      await dispatched({ category: 'SJ99999' }),
      await dispatched({ category: 'SJ09006', department: null }),
      await dispatched({ category: 'BJ01037' }),
    ];
    // then: each waits at dispatch without a department (one set to null at the start stays null)
    expect(cases.map((c) => c.department)).to.deep.equal([undefined, undefined, null, undefined]);
    expect(cases[2]?.departmentName).to.equal('（未定）');
  });

  it("keeps a department that is already chosen: the dispatcher's choice when dispatch is entered again", async () => {
    // given: routed to 住建局 at first
    const routed = await dispatched({ category: 'BJ01002' });
    expect(routed.department).to.equal(department(CITY, 'zjj'));
    // when: the dispatcher sends it to 城管局 and the case comes back to dispatch
    const first = await openTask(engine, routed.id, 'dispatch');
    await engine.taskService.complete(first.id, { department: department(CITY, 'cgj'), again: true });
    const second = await openTask(engine, routed.id, 'dispatch');
    // then
    expect(second.id).to.not.equal(first.id);
    expect((await engine.runtimeService.getVariables(routed.id)).get('department')?.value).to.equal(department(CITY, 'cgj'));
    // and a variable set before the instance reaches dispatch is kept too
    const preset = await dispatched({ category: 'BJ01002', department: department(CITY, 'cz-cgj') });
    expect(preset.department).to.equal(department(CITY, 'cz-cgj'));
  });

  it('refuses at deploy an unknown setting, an unknown conversion, a lookup without its dictionary, item or field, and a path with an empty key, naming the element', async () => {
    // given
    const before = await countRows(engine);
    const xml = bpmn('bad_lookups', `
      <startEvent id="start"/>${flow('start', 'one')}
      <userTask id="one">${properties({ ...ROUTING, 'yiwang:lookup:department:as': 'department-code', 'yiwang:lookup:department:default': 'cgj' })}</userTask>${flow('one', 'two')}
      <task id="two">${properties({ 'yiwang:lookup:department:dictionary': 'routing', 'yiwang:lookup:department:field': 'department' })}</task>${flow('two', 'three')}
      <task id="three">${properties({ ...ROUTING, 'yiwang:lookup:department:prefer': 'byRegion..x', 'yiwang:lookup:department:item': '${category' })}</task>${flow('three', 'end')}
      <endEvent id="end"/>`);
    // when
    const error = await rejectionOf(engine.repositoryService.deploy({ name: 'invalid', tenantId: CITY, resources: [{ name: 'invalid.bpmn', content: xml }] }));
    // then
    expect(error).to.be.instanceOf(ParseError);
    const problems = (error as ParseError).problems.map((p) => `${p.elementId}: ${p.message}`);
    expect(problems).to.have.length(5);
    expect(problems[0]).to.equal("one: 'one': yiwang:lookup:department:default is no lookup setting: write yiwang:lookup:<variable>:<setting>, the setting one of dictionary, item, field, prefer, as");
    expect(problems[1]).to.equal("one: 'one': yiwang:lookup:department:as must be value or department-id, not 'department-code'");
    expect(problems[2]).to.equal("two: 'two': the lookup of 'department' needs yiwang:lookup:department:item (the dictionary, the expression giving the item's code, the path into its extra)");
    expect(problems[3]).to.match(/^three: Invalid expression on 'three': /);
    expect(problems[4]).to.equal("three: 'three': yiwang:lookup:department:prefer 'byRegion..x' is no path into the item's extra: a dot-separated list of keys, none empty");
    expect(await countRows(engine)).to.deep.equal(before);
  });
});
