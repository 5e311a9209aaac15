import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import type { Command, CommandContext } from '../../command/index.js';
import { BadUserRequestError, EngineError } from '../../errors/index.js';
import { DEPARTMENT, POST, ROLE, type DbSession } from '../../persistence/index.js';
import type { Principal } from '../access.js';
import { departmentsBeyond } from '../grants.js';
import { checkPasswordPolicy } from '../authentication/passwords.js';
import type { PasswordPolicy } from '../authentication/settings.js';
import { contactProblems, guardRows, LOGIN_ID_PATTERN, requireTenant, targetTenant } from './rules.js';
import { departmentRefusal, insertUser, loginIdsTaken, passwordHashFor, roleRefusal, rolesBeyond, userDetailForAudit, type Memberships } from './users.js';

/**
 * What one import may hold: enough for a county's staff at once, small enough to check and answer
 * within a request. An XLSX file is a ZIP archive: a workbook of that many rows inflates to a few
 * MB of XML, while 5 MB of ZIP can inflate to gigabytes, so its inflated size is limited too.
 */
export const IMPORT_LIMITS = { bytes: 5 * 1024 * 1024, rows: 5_000, xlsxInflatedBytes: 50 * 1024 * 1024, xlsxEntries: 1_000 } as const;

/** The columns of an import sheet, each recognised by its zh-CN or English header. */
const COLUMNS = {
  id: ['账号', 'id'],
  displayName: ['姓名', 'displayName'],
  departments: ['部门编码', 'departments'],
  posts: ['岗位编码', 'posts'],
  roles: ['角色编码', 'roles'],
  email: ['邮箱', 'email'],
  phone: ['手机', 'phone'],
  password: ['初始密码', 'password'],
} as const;

type Field = keyof typeof COLUMNS;

const REQUIRED: readonly Field[] = ['id', 'displayName', 'password'];

/** Longest display name the column holds. */
const MAX_NAME = 255;

/** One user of the sheet, as written there; `row` is the sheet's row number (the header is row 1). */
export interface ImportRow {
  readonly row: number;
  readonly id: string;
  readonly displayName: string;
  readonly departments: readonly string[];
  readonly posts: readonly string[];
  readonly roles: readonly string[];
  readonly email: string;
  readonly phone: string;
  readonly password: string;
}

export interface RowProblem {
  readonly row: number;
  readonly field: Field;
  readonly message: string;
}

/** An import refused because of its rows: every problem of every row, and nothing imported (HTTP 400). */
export class ImportRejectedError extends BadUserRequestError {
  constructor(readonly rows: readonly RowProblem[]) {
    const failing = new Set(rows.map((problem) => problem.row)).size;
    super(`导入失败：${failing} 行有错误，未导入任何用户 (import refused: ${failing} rows have errors; no user was imported)`);
  }

  override details(): Record<string, unknown> {
    return { rows: this.rows };
  }
}

/** The work an import needs from its caller: who they are (they give only roles within their own permissions), reads and commands acting for them. */
export interface ImportCaller {
  readonly principal: Principal;
  /** the platform's password policy, which every initial password must meet */
  readonly passwordPolicy: PasswordPolicy;
  read<T>(work: (session: DbSession) => Promise<T>): Promise<T>;
  run<T>(command: Command<T>): Promise<T>;
}

/**
 * Imports the users of a CSV or XLSX sheet into a tenant the caller sees: every row is checked
 * first, and either all users are created in one command or none is (ImportRejectedError lists
 * each problem). Passwords are hashed only once the sheet is known to be good: hashing is the slow part.
 */
export async function importUsers(caller: ImportCaller, content: Buffer, tenantId: string): Promise<{ imported: number }> {
  const rows = await readUserSheet(content);
  const problems = await caller.read(async (session) => (await checkRows(session, caller.principal, (await requireTenant(session, tenantId)).id, rows, caller.passwordPolicy)).problems);
  if (problems.length > 0) throw new ImportRejectedError(problems);
  const hashes: string[] = [];
  // a few at a time: each hash holds a thread of libuv's pool, which the rest of the process needs too
  for (let i = 0; i < rows.length; i += 4) hashes.push(...(await Promise.all(rows.slice(i, i + 4).map((row) => passwordHashFor(row.password, caller.passwordPolicy)))));
  return caller.run(new ImportUsersCmd(caller.principal, tenantId, rows, hashes, caller.passwordPolicy));
}

/** Creates the users of checked rows; checks them again inside the transaction, where nothing can change under it. */
export class ImportUsersCmd implements Command<{ imported: number }> {
  readonly name = 'ImportUsers';

  constructor(
    private readonly grantor: Principal,
    private readonly tenantId: string,
    private readonly rows: readonly ImportRow[],
    private readonly passwordHashes: readonly string[],
    private readonly passwordPolicy: PasswordPolicy,
  ) {}

  async execute(context: CommandContext): Promise<{ imported: number }> {
    const tenant = await targetTenant(context, this.tenantId);
    const { problems, memberships } = await checkRows(context.session, this.grantor, tenant.id, this.rows, this.passwordPolicy);
    if (problems.length > 0) throw new ImportRejectedError(problems);
    // as when one user is given roles: a role gaining a permission meanwhile fails one of the two commands
    guardRows(memberships.flatMap((given) => given.roles ?? []));
    for (const [index, row] of this.rows.entries()) {
      const given = memberships[index] as Memberships;
      const user = insertUser(context, { ...row, tenantId: tenant.id }, given, this.passwordHashes[index] as string);
      context.audit({ action: 'user.import', objectType: 'user', objectId: user.id, tenantId: user.tenantId, detail: { ...userDetailForAudit(user, given), row: row.row } });
    }
    return { imported: this.rows.length };
  }
}

/**
 * Reads the sheet of a `.csv` (UTF-8, with or without BOM) or `.xlsx` upload, told apart by their
 * content (an XLSX file is a ZIP archive), never by the file name.
 */
export async function readUserSheet(content: Buffer): Promise<ImportRow[]> {
  if (content.length > IMPORT_LIMITS.bytes) throw tooLarge();
  const table = isZip(content) ? await xlsxCells(content) : csvCells(content);
  const header = table.shift();
  if (!header) throw new BadUserRequestError('文件是空的 (the file is empty: it needs a header row and one row per user)');
  const fields = headerFields(header.cells);
  const rows = table.filter(({ cells }) => cells.some((cell) => cell !== ''));
  if (rows.length === 0) throw new BadUserRequestError('文件中没有用户 (the file has a header row but no users)');
  if (rows.length > IMPORT_LIMITS.rows) {
    throw new BadUserRequestError(`一次最多导入 ${IMPORT_LIMITS.rows} 行，文件有 ${rows.length} 行 (an import takes at most ${IMPORT_LIMITS.rows} rows; the file has ${rows.length}: split it)`);
  }
  return rows.map(({ row, cells }) => {
    const value = (field: Field) => {
      const index = fields.indexOf(field);
      return index < 0 ? '' : (cells[index] ?? '');
    };
    const codes = (field: Field) => value(field).split(/[;；]/).map((code) => code.trim()).filter(Boolean);
    return {
      row, id: value('id'), displayName: value('displayName'), departments: codes('departments'), posts: codes('posts'), roles: codes('roles'),
      email: value('email'), phone: value('phone'), password: value('password'),
    };
  });
}

export function tooLarge(): BadUserRequestError {
  return new BadUserRequestError(`文件不能超过 ${IMPORT_LIMITS.bytes / 1024 / 1024} MB (an import file may be at most ${IMPORT_LIMITS.bytes / 1024 / 1024} MB and ${IMPORT_LIMITS.rows} rows)`);
}

interface SheetRow {
  readonly row: number;
  readonly cells: readonly string[];
}

function isZip(content: Buffer): boolean {
  return content.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}

async function xlsxCells(content: Buffer): Promise<SheetRow[]> {
  await checkInflatedSize(content);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own `Buffer`, which no longer matches Node's generic one; the bytes are what it reads
    await workbook.xlsx.load(content as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (error) {
    throw unreadableXlsx(error);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new BadUserRequestError('XLSX 文件中没有工作表 (the workbook has no worksheet)');
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    rows.push({ row: rowNumber, cells: Array.from({ length: row.cellCount }, (_, i) => row.getCell(i + 1).text.trim()) });
  });
  return rows;
}

/**
 * Refuses a workbook whose ZIP archive would inflate beyond the limits, before exceljs inflates
 * every entry in memory: by the entries and sizes its central directory declares (read by
 * unzipper, inflating nothing), then — a crafted archive can understate its sizes — by inflating
 * each entry no further than it declared.
 */
async function checkInflatedSize(content: Buffer): Promise<void> {
  let entries: unzipper.File[];
  try {
    entries = (await unzipper.Open.buffer(content)).files;
  } catch (error) {
    throw unreadableXlsx(error);
  }
  const { xlsxEntries, xlsxInflatedBytes } = IMPORT_LIMITS;
  if (entries.length > xlsxEntries) {
    throw new BadUserRequestError(`XLSX 文件最多包含 ${xlsxEntries} 个部件，此文件有 ${entries.length} 个 (an XLSX workbook may hold at most ${xlsxEntries} ZIP entries; this one has ${entries.length})`);
  }
  const declared = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
  if (declared > xlsxInflatedBytes) {
    const megabytes = (bytes: number) => Math.ceil(bytes / 1024 / 1024);
    throw new BadUserRequestError(`XLSX 文件解压后约 ${megabytes(declared)} MB，超过 ${megabytes(xlsxInflatedBytes)} MB (the workbook inflates to about ${megabytes(declared)} MB; at most ${megabytes(xlsxInflatedBytes)} MB are accepted)`);
  }
  for (const entry of entries) {
    if (!(await inflatesWithinDeclaredSize(entry))) {
      throw new BadUserRequestError(`XLSX 文件已损坏：${entry.path} 比声明的更大 (the workbook's ZIP entry '${entry.path}' inflates beyond the size it declares)`);
    }
  }
}

/** Inflates an entry, stopping as soon as it yields more than it declared. */
async function inflatesWithinDeclaredSize(entry: unzipper.File): Promise<boolean> {
  let inflated = 0;
  try {
    for await (const chunk of entry.stream()) {
      inflated += (chunk as Buffer).length;
      if (inflated > entry.uncompressedSize) return false;
    }
  } catch (error) {
    throw unreadableXlsx(error);
  }
  return true;
}

function unreadableXlsx(error: unknown): BadUserRequestError {
  return new BadUserRequestError(`无法读取 XLSX 文件 (the file is a ZIP archive but not a readable XLSX workbook: ${(error as Error).message})`);
}

function csvCells(content: Buffer): SheetRow[] {
  let text: string;
  try {
    // fatal: a GBK file saved by an older Excel is refused instead of read as garbled names; the BOM, if any, is dropped
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw notCsvOrXlsx();
  }
  if (text.includes('\u0000')) throw notCsvOrXlsx();
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, trim: true }) as string[][];
  } catch (error) {
    throw new BadUserRequestError(`CSV 格式错误 (the CSV cannot be read: ${(error as Error).message})`);
  }
  // empty lines are kept as rows (and skipped later), so row numbers are those a spreadsheet shows
  return records.map((cells, index) => ({ row: index + 1, cells }));
}

function notCsvOrXlsx(): BadUserRequestError {
  return new BadUserRequestError('文件须为 UTF-8 编码的 CSV 或 XLSX (the file must be a UTF-8 CSV or an XLSX workbook; in Excel save as "CSV UTF-8" or .xlsx)');
}

/** The field of each header cell; unknown, repeated or missing required columns are refused, naming them. */
function headerFields(header: readonly string[]): (Field | null)[] {
  const known = new Map<string, Field>();
  for (const [field, names] of Object.entries(COLUMNS) as [Field, readonly string[]][]) for (const name of names) known.set(name.toLowerCase(), field);
  const fields = header.map((name) => (name === '' ? null : (known.get(name.toLowerCase()) ?? null)));
  const unknown = header.filter((name, i) => name !== '' && fields[i] === null);
  if (unknown.length > 0) throw new BadUserRequestError(`未知的列：${unknown.join('、')} (unknown columns: ${unknown.join(', ')}; the columns are ${columnList()})`);
  const repeated = fields.filter((field, i) => field !== null && fields.indexOf(field) !== i);
  if (repeated.length > 0) throw new BadUserRequestError(`列重复：${repeated.join('、')} (columns given twice: ${repeated.join(', ')})`);
  const missing = REQUIRED.filter((field) => !fields.includes(field));
  if (missing.length > 0) {
    const names = missing.map((field) => `${COLUMNS[field][0]}/${COLUMNS[field][1]}`);
    throw new BadUserRequestError(`缺少必填列：${names.join('、')} (required columns missing: ${names.join(', ')})`);
  }
  return fields;
}

function columnList(): string {
  return Object.values(COLUMNS).map(([zh, en]) => `${zh}/${en}`).join(', ');
}

interface CheckedRows {
  readonly problems: RowProblem[];
  /** per row, the memberships its codes name */
  readonly memberships: Memberships[];
}

/**
 * Every problem of every row: formats, duplicates within the file, login ids taken, codes unknown
 * in the tenant, departments outside the grantor's data scope, roles granting more than the
 * grantor holds or sees, weak passwords. A code a row names twice (in any case) counts once.
 */
async function checkRows(session: DbSession, grantor: Principal, tenantId: string, rows: readonly ImportRow[], passwordPolicy: PasswordPolicy): Promise<CheckedRows> {
  const problems: RowProblem[] = [];
  const problem = (row: ImportRow, field: Field, message: string) => problems.push({ row: row.row, field, message });
  const [departments, posts, roles] = await session.selectMany([
    { table: DEPARTMENT, where: 'tenant_id = $1', bind: [tenantId] },
    { table: POST, where: 'tenant_id = $1', bind: [tenantId] },
    { table: ROLE, where: 'tenant_id = $1', bind: [tenantId] },
  ] as const);
  const byCode = <E extends { code: string }>(list: readonly E[]) => new Map(list.map((row) => [row.code.toLowerCase(), row]));
  const lookups = { departments: byCode(departments), posts: byCode(posts), roles: byCode(roles) };
  const beyond = await rolesBeyond(session, grantor, roles);
  const taken = new Set((await loginIdsTaken(session, rows.map((row) => row.id).filter((id) => LOGIN_ID_PATTERN.test(id)))).map((id) => id.toLowerCase()));
  const firstRowOf = new Map<string, number>();
  const memberships = rows.map((row) => {
    checkIdentity(row, taken, firstRowOf, problem, passwordPolicy);
    for (const { field, message } of contactProblems(row)) problem(row, field, message);
    const resolve = <E>(field: 'departments' | 'posts' | 'roles', lookup: Map<string, E>, zh: string): E[] => {
      const found = row[field].flatMap((code) => {
        const entry = lookup.get(code.toLowerCase());
        if (!entry) problem(row, field, `${zh}编码 ${code} 在本租户不存在 (no ${field.slice(0, -1)} with code '${code}' in tenant ${tenantId})`);
        return entry ? [entry] : [];
      });
      return [...new Set(found)];
    };
    const given = { departments: resolve('departments', lookups.departments, '部门'), posts: resolve('posts', lookups.posts, '岗位'), roles: resolve('roles', lookups.roles, '角色') };
    const outside = departmentsBeyond(grantor, given.departments);
    if (outside.length > 0) problem(row, 'departments', departmentRefusal(outside));
    for (const role of given.roles) {
      const overreach = beyond.get(role.id);
      if (overreach) problem(row, 'roles', roleRefusal(role, overreach));
    }
    return given;
  });
  return { problems, memberships };
}

function checkIdentity(
  row: ImportRow,
  taken: ReadonlySet<string>,
  firstRowOf: Map<string, number>,
  problem: (row: ImportRow, field: Field, message: string) => void,
  passwordPolicy: PasswordPolicy,
): void {
  const key = row.id.toLowerCase();
  if (row.id === '') problem(row, 'id', '账号必填 (the login id is required)');
  else if (!LOGIN_ID_PATTERN.test(row.id)) problem(row, 'id', `账号 ${row.id} 格式不正确 (login id '${row.id}' must be 2-64 letters, digits, . _ or -)`);
  else if (firstRowOf.has(key)) problem(row, 'id', `账号 ${row.id} 与第 ${firstRowOf.get(key)} 行重复 (login id '${row.id}' is also on row ${firstRowOf.get(key)})`);
  else if (taken.has(key)) problem(row, 'id', `账号 ${row.id} 已存在 (the login id '${row.id}' is taken)`);
  if (!firstRowOf.has(key)) firstRowOf.set(key, row.row);
  if (row.displayName === '') problem(row, 'displayName', '姓名必填 (the display name is required)');
  else if (row.displayName.length > MAX_NAME) problem(row, 'displayName', `姓名最多 ${MAX_NAME} 个字符 (the display name may have at most ${MAX_NAME} characters)`);
  if (row.password === '') problem(row, 'password', '初始密码必填 (the initial password is required)');
  else {
    try {
      checkPasswordPolicy(row.password, passwordPolicy);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      problem(row, 'password', error.message);
    }
  }
}
