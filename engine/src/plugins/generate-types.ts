import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { MANIFEST_SCHEMA } from './manifest.js';

export const MANIFEST_TYPES_FILE = fileURLToPath(new URL('./manifest-types.ts', import.meta.url));

const BANNER = `/* eslint-disable */
/**
 * Generated from manifest.schema.json by \`npm run generate:plugin-types -w @yiwang/engine\`
 * (src/plugins/generate-types.ts) with json-schema-to-typescript. Do not edit: change the schema
 * and generate again; generate-types.test.ts fails while this file and the schema disagree.
 */`;

/** The TypeScript types of the plugin manifest and of the files it names, as the schema says them. */
export async function manifestTypes(): Promise<string> {
  return compile(structuredClone(MANIFEST_SCHEMA) as JSONSchema, 'PluginManifest', {
    bannerComment: BANNER,
    unreachableDefinitions: true,
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 140 },
  });
}

// `tsx src/plugins/generate-types.ts`: writes manifest-types.ts
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(MANIFEST_TYPES_FILE, await manifestTypes());
  console.log(`wrote ${MANIFEST_TYPES_FILE}`);
}
