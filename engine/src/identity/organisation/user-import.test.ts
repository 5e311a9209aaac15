import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { rejectionOf } from '../../testing/bpmn.js';
import { readUserSheet } from './user-import.js';

describe('identity/organisation - reading an import sheet', () => {
  it('reads zh-CN headers in any order and case, codes split by ; or ；, cells trimmed, quoted line breaks kept in their row', async () => {
    // given: a BOM, a multi-line quoted name, a blank line, full-width separators
    const sheet = Buffer.from('\uFEFF初始密码, 姓名 ,账号,部门编码\r\nPw-1234567, "多\n行" , u.one ,a；b; c\r\n\r\nPw-7654321,二,u.two,\r\n', 'utf8');
    // when
    const rows = await readUserSheet(sheet);
    // then
    expect(rows).to.deep.equal([
      { row: 2, id: 'u.one', displayName: '多\n行', departments: ['a', 'b', 'c'], posts: [], roles: [], email: '', phone: '', password: 'Pw-1234567' },
      { row: 4, id: 'u.two', displayName: '二', departments: [], posts: [], roles: [], email: '', phone: '', password: 'Pw-7654321' },
    ]);
  });

  it('numbers XLSX rows as the spreadsheet shows them, skipping empty rows', async () => {
    // given
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('users');
    sheet.getRow(1).values = ['ID', 'DisplayName', 'Password'];
    sheet.getRow(4).values = ['u.x', 'X', 'Pw-1234567'];
    // when
    const rows = await readUserSheet(Buffer.from(await workbook.xlsx.writeBuffer()));
    // then
    expect(rows.map((row) => [row.row, row.id])).to.deep.equal([[4, 'u.x']]);
  });

  it('refuses a repeated or an unknown column, naming it', async () => {
    // when
    const repeated = await rejectionOf(readUserSheet(Buffer.from('账号,id,姓名,初始密码\nu,u,n,p\n')));
    const unknown = await rejectionOf(readUserSheet(Buffer.from('账号,姓名,初始密码,工号\nu,n,p,7\n')));
    // then
    expect(repeated.message).to.include('columns given twice: id');
    expect(unknown.message).to.include('工号');
  });
});
