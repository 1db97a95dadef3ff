// Shared machinery of the AP2P protoc plugins: the request/response loop, the
// custom options of schemas/proto/ap2p/v1/options.proto read by reflection, and
// the walk over the types a plugin documents.
//
// The options are looked up by name in the request's own descriptors (never in
// the committed gen/ts bindings), so a plugin always sees the options.proto it
// is run against. A rule the plugins do not know is an error, not a silent
// omission.
import {
  create,
  createFileRegistry,
  getOption,
  hasOption,
  maximumEdition,
  minimumEdition,
  protoInt64,
  ScalarType,
  type DescEnum,
  type DescExtension,
  type DescField,
  type DescFile,
  type DescMessage,
  type FileRegistry,
} from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import {
  CodeGeneratorResponse_Feature,
  CodeGeneratorResponseSchema,
  FileDescriptorSetSchema,
  type CodeGeneratorRequest,
  type CodeGeneratorResponse,
} from "@bufbuild/protobuf/wkt";
import { getComments, type Plugin } from "@bufbuild/protoplugin";

/** Full name of the field option that carries FieldRules. */
export const FIELD_RULES_OPTION = "ap2p.v1.rules";
/** Full name of the message option that carries MessageRules. */
export const MESSAGE_RULES_OPTION = "ap2p.v1.message_rules";

/** FieldRules as plain data. Zero or empty means "no rule", as in options.proto. */
export interface FieldRules {
  required: boolean;
  minLen: number;
  maxLen: number;
  maxItems: number;
  pattern: string;
  maxValue: bigint;
  minValue: bigint;
  unique: boolean;
}

/** MessageRules as plain data. */
export interface MessageRules {
  signedContentType: string;
}

const FIELD_RULE_NAMES = ["required", "min_len", "max_len", "max_items", "pattern", "max_value", "min_value", "unique"];
const MESSAGE_RULE_NAMES = ["signed_content_type"];

/** One output file of a plugin, relative to the plugin's `out` directory. */
export interface OutputFile {
  name: string;
  content: string;
}

/** What a generator sees: the request's descriptors and the types it must document. */
export interface GeneratorContext {
  readonly registry: FileRegistry;
  /** The files buf asked for, in request order. */
  readonly filesToGenerate: readonly DescFile[];
  /** The proto package to document (plugin option `package`). */
  readonly packageName: string;
  /** Messages and enums of the package, nested ones included, minus option-only messages. */
  readonly types: readonly (DescMessage | DescEnum)[];
  fieldRules(field: DescField): FieldRules | undefined;
  messageRules(message: DescMessage): MessageRules | undefined;
}

/**
 * A protoc plugin built on the protoplugin request/response types. Unlike
 * createEcmaScriptPlugin it writes exactly the bytes the generator returns: no
 * preamble, no import handling, no target option.
 */
export function createArtifactPlugin(init: {
  name: string;
  version: string;
  generate(ctx: GeneratorContext): OutputFile[];
}): Plugin {
  return {
    name: init.name,
    version: init.version,
    run(request: CodeGeneratorRequest): CodeGeneratorResponse {
      const ctx = createContext(request);
      const files = init.generate(ctx);
      const seen = new Set<string>();
      for (const f of files) {
        if (seen.has(f.name)) throw new Error(`two outputs named ${f.name}`);
        seen.add(f.name);
      }
      return create(CodeGeneratorResponseSchema, {
        supportedFeatures: protoInt64.parse(
          CodeGeneratorResponse_Feature.PROTO3_OPTIONAL | CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS,
        ),
        minimumEdition,
        maximumEdition,
        file: files.map((f) => ({ name: f.name, content: f.content })),
      });
    },
  };
}

function parseParameter(parameter: string): { packageName: string } {
  let packageName: string | undefined;
  for (const raw of parameter.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    const key = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? "" : entry.slice(eq + 1);
    if (key === "package" && /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(value)) {
      packageName = value;
    } else {
      throw new Error(`unknown or malformed option "${entry}" (expected package=<proto package>)`);
    }
  }
  if (packageName === undefined) throw new Error(`the option package=<proto package> is required`);
  return { packageName };
}

function createContext(request: CodeGeneratorRequest): GeneratorContext {
  const { packageName } = parseParameter(request.parameter);
  // Prefer source_file_descriptors: they keep options with source retention.
  const protoFiles = request.protoFile.map(
    (file) => request.sourceFileDescriptors.find((s) => s.name === file.name) ?? file,
  );
  const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: protoFiles }));
  const filesToGenerate = request.fileToGenerate.map((name) => {
    const file = registry.getFile(name);
    if (file === undefined) throw new Error(`${name} is missing from the request`);
    return file;
  });

  const fieldExt = registry.getExtension(FIELD_RULES_OPTION);
  const messageExt = registry.getExtension(MESSAGE_RULES_OPTION);
  const fieldRulesCache = new Map<DescField, FieldRules | undefined>();

  const ctx: GeneratorContext = {
    registry,
    filesToGenerate,
    packageName,
    types: documentedTypes(registry, filesToGenerate, packageName),
    fieldRules(field) {
      if (!fieldRulesCache.has(field)) {
        const rules = fieldExt === undefined ? undefined : readFieldRules(field, fieldExt);
        if (rules !== undefined) checkRulesApply(field, rules);
        fieldRulesCache.set(field, rules);
      }
      return fieldRulesCache.get(field);
    },
    messageRules(message) {
      if (messageExt === undefined || !hasOption(message, messageExt)) return undefined;
      const record = optionRecord(getOption(message, messageExt), messageExt, MESSAGE_RULE_NAMES, message.typeName);
      return { signedContentType: String(record["signed_content_type"] ?? "") };
    },
  };
  return ctx;
}

/** The set fields of an option message, by proto field name; refuses fields the plugins do not know. */
function optionRecord(value: unknown, ext: DescExtension, known: string[], where: string): Record<string, unknown> {
  if (ext.fieldKind !== "message") throw new Error(`option ${ext.typeName} is not a message`);
  const r = reflect(ext.message, value as never);
  const out: Record<string, unknown> = {};
  for (const f of ext.message.fields) {
    if (!r.isSet(f)) continue;
    if (!known.includes(f.name)) {
      throw new Error(`${where}: rule ${ext.message.typeName}.${f.name} is set but this plugin does not support it yet`);
    }
    out[f.name] = r.get(f);
  }
  return out;
}

function readFieldRules(field: DescField, ext: DescExtension): FieldRules | undefined {
  if (!hasOption(field, ext)) return undefined;
  const rec = optionRecord(getOption(field, ext), ext, FIELD_RULE_NAMES, field.toString());
  const num = (k: string): number => Number(rec[k] ?? 0);
  const big = (k: string): bigint => BigInt((rec[k] as bigint | number | string | undefined) ?? 0);
  return {
    required: rec["required"] === true,
    minLen: num("min_len"),
    maxLen: num("max_len"),
    maxItems: num("max_items"),
    pattern: String(rec["pattern"] ?? ""),
    maxValue: big("max_value"),
    minValue: big("min_value"),
    unique: rec["unique"] === true,
  };
}

/** Element kind of a field: the scalar, enum or message of the field or of its list/map values. */
export function elementScalar(field: DescField): ScalarType | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return field.scalar;
    case "list":
      return field.listKind === "scalar" ? field.scalar : undefined;
    case "map":
      return field.mapKind === "scalar" ? field.scalar : undefined;
    default:
      return undefined;
  }
}

export function isIntegerScalar(s: ScalarType | undefined): boolean {
  return s !== undefined && s !== ScalarType.STRING && s !== ScalarType.BYTES && s !== ScalarType.BOOL &&
    s !== ScalarType.FLOAT && s !== ScalarType.DOUBLE;
}

/** A rule on a field of the wrong kind is a schema bug: say so instead of ignoring it. */
function checkRulesApply(field: DescField, rules: FieldRules): void {
  const s = elementScalar(field);
  const textual = (s === ScalarType.STRING || s === ScalarType.BYTES) && field.fieldKind !== "map";
  const bad = (rule: string, why: string) => {
    throw new Error(`${field.toString()}: rule ${rule} ${why}`);
  };
  if ((rules.minLen > 0 || rules.maxLen > 0) && !textual) bad("min_len/max_len", "applies to string and bytes fields only");
  if (rules.minLen > 0 && rules.maxLen > 0 && rules.minLen > rules.maxLen) bad("min_len", "exceeds max_len");
  if (rules.pattern !== "" && (s !== ScalarType.STRING || field.fieldKind === "map")) bad("pattern", "applies to string fields only");
  if (rules.pattern !== "") {
    try {
      new RegExp(rules.pattern, "u");
    } catch (e) {
      bad("pattern", `is not a valid ECMAScript regular expression: ${(e as Error).message}`);
    }
  }
  if ((rules.maxValue > 0n || rules.minValue > 0n) && !(isIntegerScalar(s) && field.fieldKind !== "map")) {
    bad("min_value/max_value", "applies to integer fields only");
  }
  if (rules.minValue > 0n && rules.maxValue > 0n && rules.minValue > rules.maxValue) bad("min_value", "exceeds max_value");
  if (rules.maxItems > 0 && field.fieldKind !== "list" && field.fieldKind !== "map") bad("max_items", "applies to repeated and map fields only");
  if (rules.unique && field.fieldKind !== "list") bad("unique", "applies to repeated fields only");
}

/**
 * Messages and enums of `packageName` in the requested files, nested ones
 * included, in declaration order. Messages that serve only as the type of a
 * custom option (FieldRules, MessageRules) describe the schema language, not
 * the protocol, and are left out.
 */
function documentedTypes(registry: FileRegistry, files: readonly DescFile[], packageName: string): (DescMessage | DescEnum)[] {
  const all: (DescMessage | DescEnum)[] = [];
  const walk = (messages: DescMessage[], enums: DescEnum[]) => {
    for (const m of messages) {
      all.push(m);
      walk(m.nestedMessages, m.nestedEnums);
    }
    all.push(...enums);
  };
  for (const file of files) {
    if (file.proto.package === packageName) walk(file.messages, file.enums);
  }

  // Types reachable from option values, and types reachable from everything else.
  const optionRoots: DescMessage[] = [];
  for (const file of registry.files) {
    const visit = (exts: DescExtension[], messages: DescMessage[]) => {
      for (const ext of exts) {
        if (ext.extendee.typeName.startsWith("google.protobuf.") && ext.message !== undefined) optionRoots.push(ext.message);
      }
      for (const m of messages) visit(m.nestedExtensions, m.nestedMessages);
    };
    visit(file.extensions, file.messages);
  }
  const fromOptions = closure(optionRoots);
  const fromData = closure(all.filter((t) => !fromOptions.has(t.typeName)));
  return all.filter((t) => !fromOptions.has(t.typeName) || fromData.has(t.typeName));
}

/** Type names of the given types and of every type their fields reference, transitively. */
function closure(roots: (DescMessage | DescEnum)[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t.typeName)) continue;
    seen.add(t.typeName);
    if (t.kind === "message") {
      for (const f of t.fields) {
        if (f.message !== undefined) stack.push(f.message);
        if (f.enum !== undefined) stack.push(f.enum);
      }
    }
  }
  return seen;
}

/**
 * The proto comment of an element as paragraphs, each collapsed to one line:
 * the leading comment, else the trailing one.
 */
export function commentParagraphs(desc: DescMessage | DescEnum | DescField | DescEnum["values"][number]): string[] {
  const c = getComments(desc);
  const text = (c.leading ?? c.trailing ?? "").replace(/\r\n?/g, "\n");
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "") {
      if (current.length > 0) paragraphs.push(current.join(" "));
      current = [];
    } else {
      current.push(t);
    }
  }
  if (current.length > 0) paragraphs.push(current.join(" "));
  return paragraphs;
}

/** "ap2p/v1/descriptor.proto" for a type. */
export function protoFileName(desc: DescMessage | DescEnum): string {
  return desc.file.proto.name;
}
