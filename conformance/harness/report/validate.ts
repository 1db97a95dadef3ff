// Checking report.json against its hand-written JSON Schema
// (conformance/report/report.schema.json), so that what the harness writes
// is what the schema promises to consumers.
import { existsSync, readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { reportSchemaFile } from "../paths.js";

type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let cached: Validator | undefined;

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

/** Validates a report; returns the problems, or an empty list. Undefined when the schema file is not there to check against. */
export function validateReport(report: unknown, schemaFile: string = reportSchemaFile()): string[] | undefined {
  if (cached === undefined) {
    if (!existsSync(schemaFile)) return undefined;
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    cached = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8"))) as Validator;
  }
  if (cached(report)) return [];
  return (cached.errors ?? []).map((err) => `${err.instancePath || "/"} ${err.message ?? "is invalid"}`);
}
