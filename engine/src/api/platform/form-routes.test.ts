import { expect } from 'chai';
import { DateTime } from 'luxon';
import sharp from 'sharp';
import { bpmn, countRows, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, type BuiltOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { city, countyA, countyB } = TENANT_TREE;

interface FormVersionJson {
  id: string;
  tenantId: string | null;
  key: string;
  version: number;
  name: string | null;
  deploymentId: string | null;
  form: { id: string; components: { key: string; label: string; readonly?: boolean }[] };
  schema: { properties: Record<string, unknown> };
}
interface FormViewJson {
  formKey: string;
  formVersion: number;
  form: { components: { key: string; readonly?: boolean }[] };
  schema: { properties: Record<string, unknown> };
  data: Record<string, unknown>;
  permissions: Record<string, string>;
}
interface Started {
  processInstanceId: string;
  businessKey: string | null;
  serialNumbers: Record<string, string>;
}

/** A form-js form with a text field per key; `title` is required. */
function form(id: string, keys: readonly string[], extra: readonly object[] = []) {
  const fields = keys.map((key) => ({ id: `f_${key}`, type: 'textfield', key, label: key, ...(key === 'title' ? { validate: { required: true } } : {}) }));
  return { id, type: 'default', schemaVersion: 16, components: [...fields, ...extra] };
}

/** A report with a case number (流水号) given at the start, a title and an internal remark the handler does not see. */
const REPORT = form('fr-report', ['title', 'remark'], [{ id: 'f_caseNo', type: 'yw-serial', key: 'caseNo', label: '案件编号', rule: 'AJ{yyyyMMdd}{seq:4}' }]);

const REPORT_PROCESS = bpmn('fr_report', `
  <startEvent id="start" camunda:formRef="fr-report"/>${flow('start', 'handle')}
  <userTask id="handle" name="处置" camunda:formRef="fr-report" camunda:candidateGroups="role:clerk">
    <extensionElements><camunda:properties>
      <camunda:property name="yiwang:field:remark" value="hidden"/>
      <camunda:property name="yiwang:field:title" value="readonly"/>
    </camunda:properties></extensionElements>
  </userTask>${flow('handle', 'end')}
  <endEvent id="end"/>`);

/** An inspection: photos (uploads), a category from a dictionary, and a list of findings each with its kind from the same dictionary. */
const INSPECTION = form('fr-inspection', [], [
  { id: 'f_photos', type: 'filepicker', key: 'photos', label: '照片', multiple: true },
  { id: 'f_category', type: 'yw-dictionary', key: 'category', label: '类别', dictionary: 'fr-category' },
  { id: 'f_findings', type: 'dynamiclist', path: 'findings', label: '发现', components: [{ id: 'f_kind', type: 'yw-dictionary', key: 'kind', label: '问题类别', dictionary: 'fr-category' }] },
]);

/** An assignment: who handles it, which department, where (region codes): each must name a row of the case's tenant. */
const ASSIGNMENT = form('fr-assignment', [], [
  { id: 'f_handler', type: 'yw-user', key: 'handler', label: '处置人' },
  { id: 'f_department', type: 'yw-department', key: 'department', label: '处置部门' },
  { id: 'f_region', type: 'yw-region', key: 'place', label: '位置', depth: 'street' },
]);

const ASSIGNMENT_PROCESS = bpmn('fr_assignment', `
  <startEvent id="start" camunda:formRef="fr-assignment"/>${flow('start', 'handle')}
  <userTask id="handle" camunda:candidateGroups="role:clerk"/>${flow('handle', 'end')}
  <endEvent id="end"/>`);

const INSPECTION_PROCESS = bpmn('fr_inspection', `
  <startEvent id="start" camunda:formRef="fr-inspection"/>${flow('start', 'check')}
  <userTask id="check" camunda:candidateGroups="role:clerk"/>${flow('check', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('api/platform - forms, task forms and start forms', (fixture) => {
  let api: SignedInClient;
  let organisation: BuiltOrganisation;

  before(async () => {
    const { engine } = fixture();
    const designer = ['form:read', 'form:write', 'dictionary:read', 'dictionary:write'];
    const clerk = ['task:read', 'task:handle', 'process:read', 'process:start', 'file:read', 'file:write'];
    organisation = await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [{ tenantId: countyA, code: 'cgj', name: '柳城县城管局' }, { tenantId: countyB, code: 'cgj', name: '鹿寨县城管局' }],
      roles: [
        { tenantId: city, code: 'designer', permissions: designer },
        { tenantId: countyA, code: 'designer', permissions: designer },
        { tenantId: countyB, code: 'designer', permissions: designer },
        { tenantId: countyA, code: 'reader', permissions: ['form:read'] },
        { tenantId: countyA, code: 'clerk', permissions: clerk },
        { tenantId: countyB, code: 'clerk', permissions: clerk },
      ],
      users: [
        { id: 'city-designer', tenantId: city, roles: ['designer'] },
        { id: 'a-designer', tenantId: countyA, roles: ['designer'] },
        { id: 'b-designer', tenantId: countyB, roles: ['designer'] },
        { id: 'a-reader', tenantId: countyA, roles: ['reader'] },
        { id: 'a-clerk', tenantId: countyA, roles: ['clerk'] },
        { id: 'b-clerk', tenantId: countyB, roles: ['clerk'] },
      ],
    });
    for (const tenantId of [countyA, countyB]) {
      await engine.repositoryService.deploy({ name: 'reports', tenantId, resources: [{ name: 'report.bpmn', content: REPORT_PROCESS }, { name: 'report.form', content: JSON.stringify(REPORT) }] });
    }
    await engine.repositoryService.deploy({ name: 'assignments', tenantId: countyA, resources: [{ name: 'assignment.bpmn', content: ASSIGNMENT_PROCESS }, { name: 'assignment.form', content: JSON.stringify(ASSIGNMENT) }] });
    await engine.repositoryService.deploy({ name: 'inspections', tenantId: countyA, resources: [{ name: 'inspection.bpmn', content: INSPECTION_PROCESS }, { name: 'inspection.form', content: JSON.stringify(INSPECTION) }] });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const save = (as: string, body: object, status = 201) => api.json<FormVersionJson>('/forms', { as, body }, status);
  const reportDefinition = async (tenantId: string) => {
    const [definition] = await fixture().engine.repositoryService.listProcessDefinitions({ key: 'fr_report', tenantIdIn: [tenantId] });
    return definition?.id as string;
  };
  const startReport = (as: string, definitionId: string, data: object) => api.json<Started>(`/process-definitions/${definitionId}/start-form`, { as, body: { data } }, 201);
  const taskOf = async (processInstanceId: string) => (await fixture().engine.taskService.listTasks({ processInstanceId }))[0]?.id as string;
  const today = () => DateTime.now().toFormat('yyyyMMdd');

  it('saves versions of a form only when it changed, lists the latest, reads and exports each version with its schema', async () => {
    // when
    const first = await save('a-designer', { form: form('fr-crud', ['title']), name: '巡查记录' });
    const same = await save('a-designer', { form: form('fr-crud', ['title']) }, 200);
    const second = await save('a-designer', { form: form('fr-crud', ['title', 'place']), name: '巡查记录' });
    const latest = await api.json<FormVersionJson[]>('/forms?key=fr-crud', { as: 'a-designer' });
    const count = await api.json<{ count: number }>('/forms/count?nameLike=巡查%25', { as: 'a-designer' });
    const versions = await api.json<FormVersionJson[]>('/forms/fr-crud/versions', { as: 'a-designer' });
    const one = await api.json<FormVersionJson>('/forms/fr-crud/versions/1', { as: 'a-reader' });
    const exported = await api.request('/forms/fr-crud/versions/2/export', { as: 'a-reader' });
    // then
    expect(first).to.include({ key: 'fr-crud', version: 1, tenantId: countyA, name: '巡查记录', deploymentId: null });
    expect(first.schema.properties).to.have.keys('title');
    expect(same).to.include({ id: first.id, version: 1 });
    expect(second).to.include({ version: 2 });
    expect(latest.map((v) => v.version)).to.deep.equal([2]);
    expect(count.count).to.equal(1);
    expect(versions.map((v) => v.version)).to.deep.equal([2, 1]);
    expect(one.form.components.map((c) => c.key)).to.deep.equal(['title']);
    expect(exported.headers.get('content-disposition')).to.equal('attachment; filename="fr-crud.form"');
    expect(((await exported.json()) as { id: string }).id).to.equal('fr-crud');
    const audited = await fixture().engine.database.read((sql) => sql.select("SELECT detail FROM audit_log WHERE action = 'form.save' AND user_id = 'a-designer' ORDER BY time, id"));
    expect(audited.map((row) => JSON.parse(String(row.detail)))).to.deep.equal([{ key: 'fr-crud', version: 1 }, { key: 'fr-crud', version: 2 }]);
  });

  it("keeps each county's forms to itself and shares the platform administrator's with everyone", async () => {
    // given
    await save('b-designer', { form: form('fr-private', ['title']) });
    await fixture().engine.formService.saveForm({ form: form('fr-shared', ['title']) });
    // when
    const foreignVersions = await api.request('/forms/fr-private/versions', { as: 'a-designer' });
    const foreignVersion = await api.request(`/forms/fr-private/versions/1?tenantId=${countyB}`, { as: 'a-designer' });
    const listed = (await api.json<FormVersionJson[]>('/forms', { as: 'a-designer' })).map((v) => `${v.tenantId}/${v.key}`);
    const shared = await api.json<FormVersionJson>('/forms/fr-shared/versions/1', { as: 'b-designer' });
    const ownCopy = await save('a-designer', { form: form('fr-private', ['title']) });
    // then
    expect(foreignVersions.status).to.equal(404);
    expect(foreignVersion.status).to.equal(404);
    expect(listed).to.include('null/fr-shared').and.not.to.include(`${countyB}/fr-private`);
    expect(shared).to.include({ tenantId: null, version: 1 });
    expect(ownCopy).to.include({ tenantId: countyA, version: 1 });
    expect((await api.request(`/forms?tenantId=${countyB}`, { as: 'a-designer' }).then((r) => r.json()))).to.deep.equal([]);
  });

  it('refuses what is not a form, a version that is no number, a tenant out of sight and callers without the permission', async () => {
    // when
    const noId = await api.request('/forms', { as: 'a-designer', body: { form: { type: 'default', schemaVersion: 16, components: [] } } });
    const badRule = await api.request('/forms', { as: 'a-designer', body: { form: form('fr-bad-rule', [], [{ type: 'yw-serial', key: 'no', rule: 'AJ{yyyy}' }]) } });
    const badVersion = await api.request('/forms/fr-crud/versions/two', { as: 'a-designer' });
    const otherTenant = await api.request('/forms', { as: 'a-designer', body: { form: form('fr-elsewhere', ['title']), tenantId: countyB } });
    const reader = await api.request('/forms', { as: 'a-reader', body: { form: form('fr-reader', ['title']) } });
    // then
    expect(noId.status).to.equal(400);
    expect(((await noId.json()) as { message: string }).message).to.contain('缺少表单 id');
    expect(badRule.status).to.equal(400);
    expect(((await badRule.json()) as { message: string }).message).to.contain("field 'no'").and.to.contain('{seq}');
    expect(badVersion.status).to.equal(400);
    expect(otherTenant.status).to.equal(400);
    expect(reader.status).to.equal(403);
  });

  it("validates data against a saved version or a form being designed, in the caller's language", async () => {
    // given
    await save('a-designer', { form: form('fr-preview', ['title']) });
    // when
    const saved = await api.json<{ valid: boolean; errors: { field: string; rule: string }[] }>('/forms/validate', { as: 'a-reader', body: { key: 'fr-preview', data: {} } });
    const designed = await api.json<{ valid: boolean; errors: unknown[] }>('/forms/validate', { as: 'a-reader', body: { form: form('fr-draft', ['title']), data: { title: '有标题' } } });
    // then
    expect(saved).to.deep.include({ valid: false });
    expect(saved.errors.map((e) => `${e.field}:${e.rule}`)).to.deep.equal(['title:required']);
    expect(designed).to.deep.equal({ valid: true, errors: [] });
  });

  it('starts a case from its start form, numbering it (the serial number is its case number), and works its task form without the hidden field', async () => {
    // given
    const definitionId = await reportDefinition(countyA);
    // when
    const startForm = await api.json<FormViewJson>(`/process-definitions/${definitionId}/start-form`, { as: 'a-clerk' });
    const started = await startReport('a-clerk', definitionId, { title: '井盖缺失', remark: '领导关注', caseNo: 'ignored' });
    const taskId = await taskOf(started.processInstanceId);
    const taskForm = await api.json<FormViewJson>(`/tasks/${taskId}/form`, { as: 'a-clerk' });
    const before = await countRows(fixture().engine);
    const refused = await api.request(`/tasks/${taskId}/form`, { as: 'a-clerk', body: { data: { title: '改了标题', remark: 'x' } } });
    const rowsAfterRefusal = await countRows(fixture().engine);
    const submitted = await api.json<{ serialNumbers: Record<string, string> }>(`/tasks/${taskId}/form`, { as: 'a-clerk', body: { data: { title: '井盖缺失', caseNo: taskForm.data.caseNo } } });
    // then
    expect(startForm.form.components.map((c) => c.key)).to.deep.equal(['title', 'remark', 'caseNo']);
    expect(startForm).to.deep.include({ formKey: 'fr-report', formVersion: 1, data: {}, permissions: {} });
    expect(started.serialNumbers.caseNo).to.equal(`AJ${today()}0001`);
    // its serial number is the case number
    expect(started.businessKey).to.equal(`AJ${today()}0001`);
    expect((await fixture().engine.historyService.getProcessInstance(started.processInstanceId)).businessKey).to.equal(`AJ${today()}0001`);
    expect(taskForm.form.components.map((c) => c.key)).to.deep.equal(['title', 'caseNo']);
    expect(taskForm.form.components[0]?.readonly).to.equal(true);
    expect(taskForm.schema.properties).to.not.have.property('remark');
    expect(taskForm.data).to.deep.equal({ title: '井盖缺失', caseNo: `AJ${today()}0001` });
    expect(taskForm.permissions).to.deep.equal({ remark: 'hidden', title: 'readonly' });
    expect(refused.status).to.equal(400);
    expect(((await refused.json()) as { errors: { field: string; rule: string }[] }).errors.map((e) => `${e.field}:${e.rule}`)).to.have.members(['title:readonly', 'remark:hidden']);
    expect(rowsAfterRefusal).to.deep.equal(before);
    // the case keeps its number: the task form does not renumber it
    expect(submitted.serialNumbers).to.deep.equal({ caseNo: `AJ${today()}0001` });
    const variables = await fixture().engine.historyService.listVariables(started.processInstanceId);
    expect(Object.fromEntries(variables.map((v) => [v.name, v.textValue]))).to.deep.equal({ title: '井盖缺失', remark: '领导关注', caseNo: `AJ${today()}0001` });
    expect((await fixture().engine.historyService.getProcessInstance(started.processInstanceId)).state).to.equal('COMPLETED');
  });

  it('numbers concurrent submissions one after another, per tenant', async () => {
    // given
    const inA = await reportDefinition(countyA);
    const inB = await reportDefinition(countyB);
    const before = (await startReport('a-clerk', inA, { title: '前一个' })).serialNumbers.caseNo as string;
    // when
    const concurrent = await Promise.all(Array.from({ length: 6 }, (_, i) => startReport('a-clerk', inA, { title: `并发 ${i}` })));
    const firstInB = await startReport('b-clerk', inB, { title: '鹿寨' });
    // then
    const numbers = concurrent.map((started) => started.serialNumbers.caseNo as string).sort();
    const next = Number(before.slice(-4));
    expect(numbers).to.deep.equal(Array.from({ length: 6 }, (_, i) => `AJ${today()}${String(next + 1 + i).padStart(4, '0')}`));
    expect(firstInB.serialNumbers.caseNo).to.equal(`AJ${today()}0001`);
    // a case number the caller gives wins over the serial number
    const named = await api.json<Started>(`/process-definitions/${inA}/start-form`, { as: 'a-clerk', body: { data: { title: '指定编号' }, businessKey: 'SJ-GIVEN-1' } }, 201);
    expect(named.businessKey).to.equal('SJ-GIVEN-1');
  });

  it('refuses files the submitter cannot see and codes that are no items of the dictionary, in lists too', async () => {
    // given a dictionary of county A, a photo of county A and one of county B
    await api.json('/dictionaries', { as: 'a-designer', body: { code: 'fr-category', name: '类别', hierarchical: false, items: [{ code: 'road', label: '道路' }, { code: 'light', label: '路灯' }] } }, 201);
    const upload = async (as: string) => {
      const body = new FormData();
      body.append('file', new Blob([await sharp({ create: { width: 8, height: 8, channels: 3, background: '#2a6' } }).png().toBuffer()]), 'photo.png');
      const [stored] = await api.json<{ id: string }[]>('/files', { as, body }, 201);
      return stored?.id as string;
    };
    const own = await upload('a-clerk');
    const foreign = await upload('b-clerk');
    const definitionId = (await fixture().engine.repositoryService.listProcessDefinitions({ key: 'fr_inspection' }))[0]?.id as string;
    const before = await countRows(fixture().engine);
    // when
    const refused = await api.request(`/process-definitions/${definitionId}/start-form`, {
      as: 'a-clerk',
      body: { data: { photos: [{ id: own }, { id: foreign }], category: 'pothole', findings: [{ kind: 'road' }, { kind: 'bogus' }] } },
    });
    const rowsAfterRefusal = await countRows(fixture().engine);
    const accepted = await startReport('a-clerk', definitionId, { photos: [{ id: own, name: 'photo.png' }], category: 'road', findings: [{ kind: 'light' }] });
    // then
    expect(refused.status).to.equal(400);
    const errors = ((await refused.json()) as { errors: { field: string; rule: string }[] }).errors.map((e) => `${e.field}:${e.rule}`);
    expect(errors).to.have.members(['photos:invalid', 'category:enum', 'findings.kind:enum']);
    expect(rowsAfterRefusal).to.deep.equal(before);
    expect(await fixture().engine.runtimeService.getVariable(accepted.processInstanceId, 'category')).to.equal('road');
  });

  it('refuses people, departments and region codes the case’s tenant does not have', async () => {
    // given county A's own region dictionary: the county and one of its towns
    await api.json('/dictionaries', {
      as: 'a-designer',
      body: { code: 'region', name: '行政区划', hierarchical: true, items: [{ code: countyA, label: '柳城县' }, { code: 'lc-dapu', label: '大埔镇', parent: countyA }] },
    }, 201);
    const definitionId = (await fixture().engine.repositoryService.listProcessDefinitions({ key: 'fr_assignment' }))[0]?.id as string;
    // when
    const refused = await api.request(`/process-definitions/${definitionId}/start-form`, {
      as: 'a-clerk',
      body: { data: { handler: 'b-clerk', department: organisation.departmentId(countyB, 'cgj'), place: { district: countyA, street: 'nowhere' } } },
    });
    const accepted = await startReport('a-clerk', definitionId, { handler: 'a-clerk', department: organisation.departmentId(countyA, 'cgj'), place: { district: countyA, street: 'lc-dapu' } });
    // then
    expect(refused.status).to.equal(400);
    const errors = ((await refused.json()) as { errors: { field: string; rule: string }[] }).errors.map((e) => `${e.field}:${e.rule}`);
    expect(errors).to.have.members(['handler:invalid', 'department:invalid', 'place:enum']);
    expect(await fixture().engine.runtimeService.getVariable(accepted.processInstanceId, 'handler')).to.equal('a-clerk');
  });

  it("answers another county's task form and start form with 404", async () => {
    // given
    const started = await startReport('b-clerk', await reportDefinition(countyB), { title: '鹿寨' });
    const taskId = await taskOf(started.processInstanceId);
    // when
    const foreignTask = await api.request(`/tasks/${taskId}/form`, { as: 'a-clerk' });
    const foreignSubmit = await api.request(`/tasks/${taskId}/form`, { as: 'a-clerk', body: { data: { title: '鹿寨' } } });
    const foreignStart = await api.request(`/process-definitions/${await reportDefinition(countyB)}/start-form`, { as: 'a-clerk' });
    // then
    expect([foreignTask.status, foreignSubmit.status, foreignStart.status]).to.deep.equal([404, 404, 404]);
  });
});
