// `mq schemas list|get|register|delete|check|config|contexts`: the Confluent Schema Registry REST API (mq
// serves it on the broker's HTTP listener) through @mq/client's SchemaRegistryClient. The registry
// comes from --schema-registry, $MQ_SCHEMA_REGISTRY or the profile; its errors (404 40401, 409,
// 422 42201 …) become one stderr line with Confluent's error_code and exit 1.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel, MODES, type Mode, type RegisteredSchema, type SchemaRegistryClient, SchemaRegistryError } from '@mq/client';
import { CliExit, UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { parseIntOption } from '../parse';
import { type SchemaInputOptions, collectReference, parseSchemaType, readSchemaInput } from '../schema-input';

/** Confluent's "no subject-level setting" codes: the global one applies. */
const NO_SUBJECT_COMPATIBILITY = 40408;
const NO_SUBJECT_MODE = 40409;

function parseVersion(value: string): number | 'latest' {
  if (value === 'latest' || value === '-1') return 'latest';
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`"${value}" is not a version (1 or more, or latest).`);
  return Number(value);
}

function parseLevel(value: string): CompatibilityLevel {
  const v = value.toUpperCase();
  if ((COMPATIBILITY_LEVELS as readonly string[]).includes(v)) return v as CompatibilityLevel;
  throw new InvalidArgumentError(`must be one of ${COMPATIBILITY_LEVELS.join(', ')}.`);
}

function parseMode(value: string): Mode {
  const v = value.toUpperCase();
  if ((MODES as readonly string[]).includes(v)) return v as Mode;
  throw new InvalidArgumentError(`must be one of ${MODES.join(', ')}.`);
}

/** Avro and JSON Schema texts indented for reading; .proto text as stored. */
function readable(schemaType: string, text: string): string {
  if (schemaType === 'PROTOBUF') return text.replace(/\n?$/, '\n');
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text.replace(/\n?$/, '\n');
  }
}

function schemaInputOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-f, --schema-file <path>', 'the schema (.avsc / .json / .proto); "-" reads stdin')
    .addOption(new Option('-t, --type <type>', 'AVRO, JSON or PROTOBUF (default: PROTOBUF for a .proto file, else AVRO)').argParser(parseSchemaType))
    .option('--reference <name=subject:version>', 'a schema reference (version a number or latest), repeatable', collectReference)
    .option('--references <file>', 'references as a JSON array of {"name","subject","version"}');
}

export function registerSchemas(program: Command, ctx: () => CliContext): void {
  const schemas = program
    .command('schemas')
    .description('schema registry: subjects, versions, registration, compatibility and config')
    .option('--schema-registry <url>', "the registry (mq: the broker's HTTP listener, e.g. http://127.0.0.1:8080); env MQ_SCHEMA_REGISTRY, else the profile's");
  const withRegistry = async <T>(fn: (registry: SchemaRegistryClient, c: CliContext) => Promise<T>): Promise<T> => {
    const c = ctx();
    return fn(await c.schemaRegistry(schemas.opts<{ schemaRegistry?: string }>().schemaRegistry), c);
  };

  schemas
    .command('list [subject]')
    .description("subjects with their latest version; with a subject, that subject's versions")
    .option('--deleted', 'include soft-deleted subjects / versions')
    .option('--prefix <prefix>', 'only subjects starting with this')
    .action((subject: string | undefined, opts: { deleted?: boolean; prefix?: string }) =>
      withRegistry(async (registry, c) => {
        const deleted = opts.deleted ?? false;
        if (subject !== undefined) {
          if (opts.prefix !== undefined) throw new UsageError('--prefix filters subjects: drop it when listing one subject');
          const [all, live] = await Promise.all([registry.listVersions(subject, { deleted }), deleted ? registry.listVersions(subject).catch((): number[] => []) : undefined]);
          const rows = await Promise.all(
            all.map(async (version) => {
              const v = await registry.getVersion(subject, version, { deleted });
              return { subject, version, id: v.id, type: v.schemaType, deleted: live !== undefined && !live.includes(version) };
            }),
          );
          c.print({ rows, columns: deleted ? ['subject', 'version', 'id', 'type', 'deleted'] : ['subject', 'version', 'id', 'type'] });
          return;
        }
        const names = await registry.listSubjects({ deleted, prefix: opts.prefix });
        const rows = await Promise.all(
          names.map(async (name) => {
            const versions = await registry.listVersions(name, { deleted });
            const latest = await registry.getVersion(name, versions[versions.length - 1]!, { deleted });
            return { subject: name, versions: versions.length, latestVersion: latest.version, id: latest.id, type: latest.schemaType };
          }),
        );
        c.print({ rows, columns: ['subject', 'versions', 'latestVersion', 'id', 'type'] });
      }),
    );

  schemas
    .command('contexts')
    .description('schema contexts: "." and each context a qualified subject (:.ctx:name) lives in')
    .action(() =>
      withRegistry(async (registry, c) => {
        const contexts = await registry.listContexts();
        c.print({ rows: contexts.map((context) => ({ context })), data: contexts });
      }),
    );

  schemas
    .command('get [subject]')
    .description("a subject's version (default latest) or, with --id, the schema with that id")
    .option('-v, --schema-version <n|latest>', 'the version (default latest)', parseVersion)
    .option('--id <id>', 'the schema with this global id (and the subject-versions holding it)', parseIntOption(0, 2_147_483_647))
    .option('--deleted', 'also find a soft-deleted version')
    .option('--schema-only', 'print only the schema text, as stored (to save it to a file)')
    .action((subject: string | undefined, opts: { schemaVersion?: number | 'latest'; id?: number; deleted?: boolean; schemaOnly?: boolean }) =>
      withRegistry(async (registry, c) => {
        if ((subject === undefined) === (opts.id === undefined)) throw new UsageError('give a subject (with --schema-version) or --id, not both');
        if (opts.id !== undefined && opts.schemaVersion !== undefined) throw new UsageError('--schema-version picks a version of a subject: drop it with --id');
        let shown: Omit<RegisteredSchema, 'subject' | 'version'> & { subject?: string; version?: number; usedBy?: Array<{ subject: string; version: number }> };
        if (opts.id !== undefined) {
          const [text, usedBy] = await Promise.all([registry.schemaById(opts.id), registry.versionsOfId(opts.id, { deleted: opts.deleted })]);
          shown = { id: opts.id, schemaType: (text.schemaType as RegisteredSchema['schemaType'] | undefined) ?? 'AVRO', schema: text.schema, references: text.references ?? [], usedBy };
        } else {
          shown = await registry.getVersion(subject!, opts.schemaVersion ?? 'latest', { deleted: opts.deleted });
        }
        if (opts.schemaOnly) {
          c.io.stdout.write(shown.schema.endsWith('\n') ? shown.schema : `${shown.schema}\n`);
          return;
        }
        if (c.global.output !== 'table') {
          c.print({ rows: [], data: shown });
          return;
        }
        const refs = shown.references.map((r) => `${r.name}=${r.subject}:${r.version}`);
        const where = shown.usedBy ? { usedBy: shown.usedBy.map((u) => `${u.subject}:${u.version}`) } : { subject: shown.subject, version: shown.version };
        c.print({ rows: [{ ...where, id: shown.id, type: shown.schemaType, references: refs.length > 0 ? refs : null }] });
        c.io.stdout.write(`\n${readable(shown.schemaType, shown.schema)}`);
      }),
    );

  schemaInputOptions(schemas.command('register <subject>'))
    .description('register a schema under a subject (the existing id when it is already there)')
    .option('--normalize', 'register the normal form (the registry normalises before comparing)')
    .action((subject: string, opts: SchemaInputOptions & { normalize?: boolean }) =>
      withRegistry(async (registry, c) => {
        const def = await readSchemaInput(opts, c.io.stdin, registry);
        const id = await registry.register(subject, def, { normalize: opts.normalize });
        const { version } = await registry.lookup(subject, def, { normalize: opts.normalize });
        c.print({ rows: [{ subject, version, id, type: def.schemaType }] });
      }),
    );

  schemas
    .command('delete <subject>')
    .description('delete a subject (all versions) or one --version; soft unless --permanent (which needs a soft delete first)')
    .option('-v, --schema-version <n|latest>', 'only this version', parseVersion)
    .option('--permanent', 'hard delete: gone for good (only after a soft delete, as Confluent)')
    .action((subject: string, opts: { schemaVersion?: number | 'latest'; permanent?: boolean }) =>
      withRegistry(async (registry, c) => {
        const permanent = opts.permanent ?? false;
        const versions = opts.schemaVersion === undefined ? await registry.deleteSubject(subject, { permanent }) : [await registry.deleteVersion(subject, opts.schemaVersion, { permanent })];
        c.print({ rows: versions.map((version) => ({ subject, version, deleted: permanent ? 'permanent' : 'soft' })), data: { subject, versions, permanent } });
      }),
    );

  schemaInputOptions(schemas.command('check <subject>'))
    .description('test a schema for compatibility (default: against the latest version); exit 1 when it is not compatible')
    .option('-v, --schema-version <n|latest|all>', 'the version to test against; all: every version the compatibility level names', (v) => (v === 'all' ? v : parseVersion(v)))
    .action((subject: string, opts: SchemaInputOptions & { schemaVersion?: number | 'latest' | 'all' }) =>
      withRegistry(async (registry, c) => {
        const def = await readSchemaInput(opts, c.io.stdin, registry);
        const against = opts.schemaVersion ?? 'latest';
        const result = await registry.checkCompatibility(subject, def, against === 'all' ? undefined : against);
        const messages = result.messages ?? [];
        const base = { subject, version: String(against), compatible: result.is_compatible };
        c.print({
          rows: messages.length === 0 ? [{ ...base, message: null }] : messages.map((message) => ({ ...base, message })),
          data: { ...base, messages },
        });
        if (!result.is_compatible) throw new CliExit(1, `error: the schema is not compatible with ${subject} (${against === 'all' ? 'the versions its compatibility level names' : `version ${against}`})`);
      }),
    );

  schemas
    .command('config [subject]')
    .description('show, set or delete the compatibility level and mode, globally or for a subject')
    .option('-c, --compatibility <level>', `set the level: ${COMPATIBILITY_LEVELS.join(', ')}`, parseLevel)
    .option('-m, --mode <mode>', `set the mode: ${MODES.join(', ')}`, parseMode)
    .option('--force', 'with --mode IMPORT: allow it while schemas exist')
    .option('--delete', "delete the level: a subject falls back to the global one; the global one to BACKWARD")
    .action((subject: string | undefined, opts: { compatibility?: CompatibilityLevel; mode?: Mode; force?: boolean; delete?: boolean }) =>
      withRegistry(async (registry, c) => {
        if (opts.delete && opts.compatibility !== undefined) throw new UsageError('use either --compatibility or --delete');
        if (opts.force && opts.mode === undefined) throw new UsageError('--force goes with --mode');
        if (opts.delete) await registry.deleteCompatibility(subject);
        if (opts.compatibility !== undefined) await registry.setCompatibility(opts.compatibility, subject);
        if (opts.mode !== undefined) await registry.setMode(opts.mode, subject, { force: opts.force });
        const [compatibility, mode] = await Promise.all([
          own(subject, () => registry.getCompatibility(subject, { defaultToGlobal: false }), NO_SUBJECT_COMPATIBILITY, () => registry.getCompatibility()),
          own(subject, () => registry.getMode(subject, { defaultToGlobal: false }), NO_SUBJECT_MODE, () => registry.getMode()),
        ]);
        const row = { subject: subject ?? '(global)', compatibility: compatibility.value, compatibilityFrom: compatibility.from, mode: mode.value, modeFrom: mode.from };
        c.print({ rows: [row], data: { ...row, subject: subject ?? null } });
      }),
    );
}

/** The subject's own setting, else the global one (and which it was). */
async function own<T>(subject: string | undefined, get: () => Promise<T>, noneCode: number, global: () => Promise<T>): Promise<{ value: T; from: 'subject' | 'global' }> {
  if (subject === undefined) return { value: await global(), from: 'global' };
  try {
    return { value: await get(), from: 'subject' };
  } catch (err) {
    if (err instanceof SchemaRegistryError && err.registryErrorCode === noneCode) return { value: await global(), from: 'global' };
    throw err;
  }
}
