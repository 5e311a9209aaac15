import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { formTypes, type FormVersionSource } from '../forms/index.js';
import { ProcessEngine } from '../services/index.js';

export const TYPES_USAGE = `usage: yiwang types [--out <dir>]   (in development: npx tsx src/cli/index.ts types [--out <dir>] in engine/)
  writes a TypeScript interface for every stored form version (interface <FormId>V<version> in
  <form id>.v<version>.ts, a tenant's forms under <tenant id>/) into <dir> (default: form-types),
  reading the database the server uses (DATABASE_URL)`;

/** `yiwang types`: typed form variables for plugin workers, from the JSON Schema of each form version. */
export async function typesCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } } });
  // relative to where the user typed the command, also when npm changed the working directory
  const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out ?? 'form-types');
  const engine = await ProcessEngine.open({ database: loadConfig(process.env, process.env.INIT_CWD ?? process.cwd()).database });
  try {
    const files = await formTypes(await storedFormVersions(engine));
    for (const [name, source] of files) {
      const file = path.join(out, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, source);
    }
    console.log(`${files.size} form version${files.size === 1 ? '' : 's'} → ${out}`);
  } finally {
    await engine.close();
  }
}

/**
 * Every form version of every tenant: the command line acts for the platform, as `yiwang token`
 * does. One read of the whole table; nothing here comes from input.
 */
async function storedFormVersions(engine: ProcessEngine): Promise<FormVersionSource[]> {
  const rows = await engine.database.read((sql) => sql.select('SELECT tenant_id, key_, version, content FROM form_definition ORDER BY tenant_id, key_, version'));
  return rows.map((row) => ({
    tenantId: row.tenant_id as string | null,
    key: row.key_ as string,
    version: Number(row.version),
    json: row.content as string | Buffer,
  }));
}
