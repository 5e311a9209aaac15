import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { rejectionOf } from '../../testing/bpmn.js';
import { IMPORT_LIMITS, readUserSheet } from './user-import.js';

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

  describe('XLSX inflation limits', () => {
    /** A ZIP archive of just these entries, deflated by JSZip: runs of zeros take a few KB on disk whatever they inflate to. */
    const zipOf = async (entries: Record<string, Buffer | string>): Promise<Buffer> => {
      const zip = new JSZip();
      for (const [name, content] of Object.entries(entries)) zip.file(name, content, { createFolders: false });
      return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    };

    it('refuses a workbook whose entries would inflate beyond 50 MB in total, by the sizes its central directory declares', async () => {
      // given: two entries of 26 MB of zeros each, under 150 KB on disk
      const bomb = await zipOf({ 'xl/worksheets/sheet1.xml': Buffer.alloc(26 * 1024 * 1024), 'xl/worksheets/sheet2.xml': Buffer.alloc(26 * 1024 * 1024) });
      expect(bomb.length).to.be.lessThan(150 * 1024);
      // when
      const refusal = await rejectionOf(readUserSheet(bomb));
      // then
      expect(refusal.message).to.match(/^XLSX 文件解压后约 52 MB，超过 50 MB/).and.include('at most 50 MB');
    });

    it('refuses a workbook of more than 1,000 entries', async () => {
      // given
      const entries = Object.fromEntries(Array.from({ length: IMPORT_LIMITS.xlsxEntries + 1 }, (_, i) => [`xl/media/image${i}.png`, 'x']));
      // when
      const refusal = await rejectionOf(readUserSheet(await zipOf(entries)));
      // then
      expect(refusal.message).to.include('at most 1000 ZIP entries; this one has 1001');
    });

    it('refuses an archive whose entry inflates beyond the size it declares', async () => {
      // given: an entry of 2 MB of zeros whose headers claim 100 bytes
      const liar = await zipOf({ 'xl/worksheets/sheet1.xml': Buffer.alloc(2 * 1024 * 1024) });
      liar.writeUInt32LE(100, 22); // the local file header's uncompressed size
      liar.writeUInt32LE(100, liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24); // the central directory's
      // when
      const refusal = await rejectionOf(readUserSheet(liar));
      // then
      expect(refusal.message).to.include("entry 'xl/worksheets/sheet1.xml' inflates beyond the size it declares");
    });
  });
});
