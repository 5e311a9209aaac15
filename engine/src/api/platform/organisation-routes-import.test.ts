import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { ProcessEngine } from '../../services/index.js';
import { countRows } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { city, countyA, countyB } = TENANT_TREE;

const ZH_HEADER = ['账号', '姓名', '部门编码', '岗位编码', '角色编码', '邮箱', '手机', '初始密码'];
const EN_HEADER = ['id', 'displayName', 'departments', 'posts', 'roles', 'email', 'phone', 'password'];
const PASSWORD = 'Import-Passw0rd';

interface ImportRefusal {
  type: string;
  message: string;
  rows: { row: number; field: string; message: string }[];
}

interface User {
  id: string;
  tenantId: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  mustChangePassword: boolean;
  departments: { code: string; primary: boolean }[];
  posts: { code: string }[];
  roles: { code: string }[];
}

/** A CSV of the rows, fields quoted as a spreadsheet program writes them, lines ended with CRLF. */
function csv(rows: readonly (readonly string[])[], bom = false): Buffer {
  const text = rows.map((cells) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n');
  return Buffer.from(`${bom ? '\uFEFF' : ''}${text}\r\n`, 'utf8');
}

async function xlsx(rows: readonly (readonly (string | number)[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('用户');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function upload(content: Buffer, filename: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([content]), filename);
  return form;
}

function auditActions(engine: ProcessEngine, objectId: string): Promise<{ action: string; detail: string }[]> {
  return engine.database.read((sql) => sql.select('SELECT action, detail FROM audit_log WHERE object_id = $1', [objectId])) as Promise<never>;
}

describeOnDatabases('api/platform - organisation: bulk user import', (fixture) => {
  let api: SignedInClient;
  let engine: ProcessEngine;

  before(async () => {
    engine = fixture().engine;
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [
        { tenantId: city, code: 'c-office', name: '市城管委' },
        { tenantId: countyA, code: 'a-office', name: '柳城县城管局' },
        { tenantId: countyA, code: 'a-grid', name: '第一网格', parent: 'a-office' },
        { tenantId: countyB, code: 'b-office', name: '鹿寨县城管局' },
      ],
      posts: [{ tenantId: countyA, code: 'inspector', name: '网格监督员' }],
      roles: [
        { tenantId: city, code: 'org-admin', permissions: ['user:read', 'user:import'], seesDescendants: true },
        { tenantId: countyA, code: 'org-admin', permissions: ['user:read', 'user:import'] },
        { tenantId: countyA, code: 'patrol', permissions: [] },
        { tenantId: countyA, code: 'super', permissions: ['*'] },
        { tenantId: countyA, code: 'grid-importer', permissions: ['user:read', 'user:import'], dataScope: 'department-and-below' },
      ],
      users: [
        { id: 'city-admin', tenantId: city, roles: ['org-admin'] },
        { id: 'a-admin', tenantId: countyA, roles: ['org-admin'] },
        { id: 'a-existing', tenantId: countyA },
        { id: 'a-grid-importer', tenantId: countyA, departments: ['a-grid'], roles: ['grid-importer'] },
      ],
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const importAs = (as: string, body: FormData | object, query = '') => api.request(`/admin/users/import${query}`, { as, body });

  it('imports a UTF-8 CSV with a BOM and zh-CN headers: every user with their memberships, each to change the password at first login', async () => {
    // given
    const file = csv([
      ZH_HEADER,
      ['csv.one', '陈一', 'a-grid;a-office', 'inspector', 'patrol', 'one@example.cn', '13800000001', PASSWORD],
      ['csv.two', '陈二', 'a-office', '', '', '', '', PASSWORD],
    ], true);
    // when
    const response = await importAs('a-admin', upload(file, 'users.csv'));
    // then
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ imported: 2 });
    const one = await api.json<User>('/admin/users/csv.one', { as: 'city-admin' });
    expect(one).to.include({ tenantId: countyA, displayName: '陈一', email: 'one@example.cn', phone: '13800000001', mustChangePassword: true });
    expect(one.departments.map((d) => [d.code, d.primary])).to.deep.equal([['a-grid', true], ['a-office', false]]);
    expect(one.posts.map((p) => p.code)).to.deep.equal(['inspector']);
    expect(one.roles.map((r) => r.code)).to.deep.equal(['patrol']);
    const audit = await auditActions(engine, 'csv.one');
    expect(audit.map((row) => row.action)).to.deep.equal(['user.import']);
    expect(audit[0]?.detail).not.to.match(/Passw0rd|argon2|password/i);
  });

  it('imports an XLSX workbook made by exceljs with English headers, told apart from CSV by its content, not its name', async () => {
    // given: the phone number is a numeric cell, as spreadsheets store it
    const file = await xlsx([
      EN_HEADER,
      ['xlsx.one', '徐一', 'a-office', 'inspector', '', 'x1@example.cn', 13800000002, PASSWORD],
      ['xlsx.two', '徐二', '', '', 'patrol', '', '', PASSWORD],
    ]);
    // when
    const response = await importAs('city-admin', upload(file, 'named-like-a.csv'), `?tenantId=${countyA}`);
    // then
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ imported: 2 });
    const one = await api.json<User>('/admin/users/xlsx.one', { as: 'a-admin' });
    expect(one).to.include({ tenantId: countyA, displayName: '徐一', phone: '13800000002', email: 'x1@example.cn' });
    expect(one.departments.map((d) => d.code)).to.deep.equal(['a-office']);
    expect((await api.json<User>('/admin/users/xlsx.two', { as: 'a-admin' })).roles.map((r) => r.code)).to.deep.equal(['patrol']);
  });

  it('refuses a file with bad rows as a whole, listing every problem by row and field, and imports nobody', async () => {
    // given: row 3 names a department of another county and has a weak password, row 5 repeats row 2's login id (row 4 is blank)
    const file = csv([
      ZH_HEADER,
      ['bad.ok', '好人', 'a-office', '', '', '', '', PASSWORD],
      ['bad.two', '坏二', 'b-office', '', '', '', '', 'weak'],
      [],
      ['BAD.OK', '重复', '', '', '', 'no-at-sign', '', PASSWORD],
      ['a-existing', '已存在', '', '', '', '', '', PASSWORD],
    ]);
    const before = await countRows(engine);
    // when
    const response = await importAs('a-admin', upload(file, 'users.csv'));
    // then
    expect(response.status).to.equal(400);
    const refusal = (await response.json()) as ImportRefusal;
    expect(refusal.type).to.equal('InvalidRequestException');
    expect(refusal.message).to.include('3 rows');
    expect(refusal.rows.map((problem) => [problem.row, problem.field])).to.deep.equal([
      [3, 'password'], [3, 'departments'], [5, 'id'], [5, 'email'], [6, 'id'],
    ]);
    expect(refusal.rows[1]?.message).to.include('b-office');
    expect(refusal.rows[2]?.message).to.include('row 2');
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('refuses content that is neither UTF-8 CSV nor XLSX, unknown or missing columns, and files over the limits, saying which', async () => {
    // given
    const gbk = Buffer.from([0xd5, 0xcb, 0xba, 0xc5, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb, 0x0d, 0x0a]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);
    const zipNotXlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]);
    const tooManyRows = csv([EN_HEADER, ...Array.from({ length: 5_001 }, (_, i) => [`many.${i}`, `名${i}`, '', '', '', '', '', PASSWORD])]);
    const tooLarge = Buffer.alloc(5 * 1024 * 1024 + 1, 'a');
    const before = await countRows(engine);
    // when
    const answers = {
      gbk: await importAs('a-admin', upload(gbk, 'users.csv')),
      png: await importAs('a-admin', upload(png, 'users.xlsx')),
      zip: await importAs('a-admin', upload(zipNotXlsx, 'users.xlsx')),
      unknownColumn: await importAs('a-admin', upload(csv([[...EN_HEADER, '备注'], ['u.x', 'x', '', '', '', '', '', PASSWORD]]), 'users.csv')),
      missingColumn: await importAs('a-admin', upload(csv([['id', 'displayName'], ['u.y', 'y']]), 'users.csv')),
      headerOnly: await importAs('a-admin', upload(csv([EN_HEADER]), 'users.csv')),
      tooManyRows: await importAs('a-admin', upload(tooManyRows, 'users.csv')),
      tooLarge: await importAs('a-admin', upload(tooLarge, 'users.csv')),
      notMultipart: await importAs('a-admin', { file: 'id,displayName' }),
      noFile: await importAs('a-admin', new FormData()),
    };
    // then
    const messages: Record<string, string> = {};
    for (const [name, response] of Object.entries(answers)) {
      expect(response.status, name).to.equal(400);
      messages[name] = await errorMessage(response);
    }
    expect(messages.gbk).to.include('UTF-8');
    expect(messages.png).to.include('UTF-8');
    expect(messages.zip).to.include('XLSX');
    expect(messages.unknownColumn).to.include('备注');
    expect(messages.missingColumn).to.include('password');
    expect(messages.tooManyRows).to.include('5000');
    expect(messages.tooLarge).to.include('5 MB');
    expect(messages.notMultipart).to.include('multipart/form-data');
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('refuses rows giving a role with permissions the importing administrator does not hold', async () => {
    // given
    const file = csv([EN_HEADER, ['grab.power', '越权', '', '', 'patrol;super', '', '', PASSWORD]]);
    // when
    const response = await importAs('a-admin', upload(file, 'users.csv'));
    // then
    expect(response.status).to.equal(400);
    const refusal = (await response.json()) as ImportRefusal;
    expect(refusal.rows.map((problem) => [problem.row, problem.field])).to.deep.equal([[2, 'roles']]);
    expect(refusal.rows[0]?.message).to.include("'super'");
  });

  it('counts a code a row names twice, in whatever case, once', async () => {
    // given
    const file = csv([EN_HEADER, ['twice.named', '重复编码', 'a-office;A-OFFICE', 'inspector;Inspector', 'patrol;PATROL', '', '', PASSWORD]]);
    // when
    const response = await importAs('a-admin', upload(file, 'users.csv'));
    // then
    expect(response.status, await response.clone().text()).to.equal(200);
    const user = await api.json<User>('/admin/users/twice.named', { as: 'a-admin' });
    expect([user.departments.map((d) => d.code), user.posts.map((p) => p.code), user.roles.map((r) => r.code)]).to.deep.equal([['a-office'], ['inspector'], ['patrol']]);
  });

  it('refuses rows putting users in departments outside the importing administrator’s data scope', async () => {
    // given: an administrator whose data scope is the grid and what lies below it
    const file = csv([EN_HEADER, ['in.grid', '网格', 'a-grid', '', '', '', '', PASSWORD], ['in.office', '机关', 'a-grid;a-office', '', '', '', '', PASSWORD]]);
    // when
    const response = await importAs('a-grid-importer', upload(file, 'users.csv'));
    // then
    expect(response.status).to.equal(400);
    const refusal = (await response.json()) as ImportRefusal;
    expect(refusal.rows).to.deep.equal([
      { row: 3, field: 'departments', message: '不能把用户加入部门 a-office 不在你的数据范围内 (you cannot put a user in the departments a-office, outside your own data scope)' },
    ]);
    expect((await api.request('/admin/users/in.grid', { as: 'a-admin' })).status).to.equal(404);
  });

  it("imports only into a tenant the caller sees", async () => {
    // given
    const file = csv([EN_HEADER, ['foreign.one', '外县', '', '', '', '', '', PASSWORD]]);
    // when
    const response = await importAs('a-admin', upload(file, 'users.csv'), `?tenantId=${countyB}`);
    // then
    expect(response.status).to.equal(404);
    expect((await api.request('/admin/users/foreign.one', { as: 'city-admin' })).status).to.equal(404);
  });
});
