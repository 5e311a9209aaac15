import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';
import { validCaseReport } from './fixtures/case-report-data.js';
import { fixtureText, formOf } from './fixtures/index.js';
import { formTypes, pascalCase } from './index.js';

/** Type-checks the files in a fresh folder as a strict TypeScript project; the diagnostics as text. */
function typeCheck(files: ReadonlyMap<string, string>): string[] {
  const folder = mkdtempSync(path.join(tmpdir(), 'yiwang-form-types-'));
  try {
    for (const [name, source] of files) {
      mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      writeFileSync(path.join(folder, name), source);
    }
    const program = ts.createProgram(
      [...files.keys()].map((name) => path.join(folder, name)),
      { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [] },
    );
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => `${diagnostic.file?.fileName.slice(folder.length) ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('forms > generated TypeScript types', () => {
  it('names interfaces after the form id and version', () => {
    expect(pascalCase('case-report')).to.equal('CaseReport');
    expect(pascalCase('Form_1lywnv3')).to.equal('Form1lywnv3');
    expect(pascalCase('12345-hotline')).to.equal('Form12345Hotline');
  });

  it('writes one file per form version, per tenant folder', async () => {
    const json = JSON.stringify(formOf({ type: 'textfield', key: 'name', validate: { required: true } }));
    const files = await formTypes([
      { key: 'case-report', version: 1, json },
      { key: 'case-report', version: 2, json, tenantId: '450202' },
    ]);
    expect([...files.keys()]).to.deep.equal(['case-report.v1.ts', '450202/case-report.v2.ts']);
    expect(files.get('case-report.v1.ts')).to.contain('export interface CaseReportV1 {').and.to.contain('name: string;');
  });

  it('compile, accept a real submission and reject wrong data', async () => {
    const files = await formTypes([{ key: 'case-report', version: 3, json: fixtureText('case-report.json') }]);
    const types = files.get('case-report.v3.ts') as string;
    expect(types).to.contain('export interface CaseReportV3').and.to.contain('案件标题');
    const sample = `import type { CaseReportV3 } from './case-report.v3.js';
const good: CaseReportV3 = ${JSON.stringify(validCaseReport(2))};
const minimal: CaseReportV3 = { title: 't', category: 'c', source: 'app', urgency: 'normal', reporter: { name: 'n' }, occurredOn: '2026-11-20',
  reportedAt: '2026-11-20T08:00Z', region: { district: 'a', street: 'b', community: 'c' }, location: { longitude: 1, latitude: 2 }, address: { street: 's' }, status: 'new' };
// @ts-expect-error an urgency that is not an option
const badOption: CaseReportV3 = { ...good, urgency: 'whenever' };
// @ts-expect-error a required field missing
const { title, ...untitled } = good; const missing: CaseReportV3 = untitled;
// @ts-expect-error a key the form does not have
const extra: CaseReportV3 = { ...minimal, hacker: true };
// @ts-expect-error a row of the list with a quantity as text
const badRow: CaseReportV3 = { ...minimal, items: [{ name: 'n', quantity: '1', unit: 'kg' }] };
export { good, minimal, badOption, missing, extra, badRow, title };
`;
    expect(typeCheck(new Map([...files, ['sample.ts', sample]]))).to.deep.equal([]);
  });
});
