import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { BadUserRequestError } from '../errors/index.js';
import type { CalendarFile, DictionaryFile, MigrationFile, PluginManifest } from './manifest-types.js';
import manifestSchema from './manifest.schema.json' with { type: 'json' };

/** One thing wrong with a plugin's file: where (a JSON pointer into it) and what. */
export interface ManifestProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** A plugin whose manifest or contributed files break the schema (or name files that are missing): every problem listed (HTTP 400). */
export class PluginManifestError extends BadUserRequestError {
  override readonly type = 'PluginManifestException';

  constructor(
    readonly plugin: string,
    readonly problems: readonly ManifestProblem[],
  ) {
    super(`插件 ${plugin} 的清单无效 (the plugin '${plugin}' is invalid):\n${problems.map((p) => `* ${p.file} ${p.path}: ${p.message}`).join('\n')}`);
  }

  override details(): Record<string, unknown> {
    return { problems: this.problems };
  }
}

/** The schema as the build ships it (a JSON import: tsc copies the file to dist/plugins). */
export const MANIFEST_SCHEMA: { readonly $id: string } = manifestSchema;
const SCHEMA = MANIFEST_SCHEMA;
const ajv = new Ajv2020({ allErrors: true, strict: false, formats: { date: fullFormats.date } });
ajv.addSchema(SCHEMA);

function validator(definition: string | null): ValidateFunction {
  const validate = ajv.getSchema(definition ? `${SCHEMA.$id}#/$defs/${definition}` : SCHEMA.$id);
  if (!validate) throw new Error(`the plugin manifest schema has no definition '${definition}'`);
  return validate;
}

/** The files a manifest names, each with its own definition in the schema. */
export type ContentKind = 'dictionaryFile' | 'calendarFile' | 'migrationFile';
interface ContentTypes {
  dictionaryFile: DictionaryFile;
  calendarFile: CalendarFile;
  migrationFile: MigrationFile;
}

/** The problems of `value` against the manifest schema (or one of its file definitions); empty when valid. */
export function schemaProblems(value: unknown, file: string, kind: ContentKind | null = null): ManifestProblem[] {
  const validate = validator(kind);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => ({ file, path: error.instancePath || '/', message: describe(error) }));
}

/** The manifest, once the schema accepts it; else a PluginManifestError listing every problem with its JSON path. */
export function checkManifest(value: unknown, file: string): PluginManifest {
  const problems = schemaProblems(value, file);
  if (problems.length > 0) throw new PluginManifestError(nameOf(value) ?? file, problems);
  return value as PluginManifest;
}

/** A contributed file, once its schema definition accepts it. */
export function checkContent<K extends ContentKind>(plugin: string, value: unknown, file: string, kind: K): ContentTypes[K] {
  const problems = schemaProblems(value, file, kind);
  if (problems.length > 0) throw new PluginManifestError(plugin, problems);
  return value as ContentTypes[K];
}

function nameOf(value: unknown): string | null {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : null;
}

/** ajv's message with what it is about: the unknown property, the allowed values. */
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `unknown property '${String(params.additionalProperty)}'`;
  if (error.keyword === 'enum') return `${error.message} (${(params.allowedValues as unknown[]).join(', ')})`;
  return error.message ?? error.keyword;
}
