// `mq quotas describe|alter`: client quotas (KIP-546) in kafka-configs' terms — `--user alice`,
// `--user-default`, `--client app`, `--client-default`, `--ip 10.0.0.1`, `--ip-default` name the
// entity (user and client-id combine), `--add-config k=v,...` / `--delete-config k,...` change it.
// (`--client`, not `--client-id`: that is the CLI's own global option, the id it connects with.)
import type { Command } from 'commander';
import type { ClientQuotaEntry, QuotaEntityPart, QuotaFilterPart } from '@mq/client';
import type { CliContext } from '../context';
import { UsageError } from '../cli-error';

interface EntityOpts {
  user?: string;
  userDefault?: boolean;
  client?: string;
  clientDefault?: boolean;
  ip?: string;
  ipDefault?: boolean;
}

function withEntityOptions(cmd: Command): Command {
  return cmd
    .option('--user <name>', 'the user entity (the principal name, e.g. alice for User:alice)')
    .option('--user-default', 'the default user entity (<default>)')
    .option('--client <id>', 'the client-id entity')
    .option('--client-default', 'the default client-id entity (<default>)')
    .option('--ip <address>', 'the ip entity (connection_creation_rate)')
    .option('--ip-default', 'the default ip entity (<default>)');
}

/** The entity the flags name; `forFilter` leaves "not given" distinct from "default". */
function entityOf(o: EntityOpts): QuotaEntityPart[] {
  const parts: QuotaEntityPart[] = [];
  const pick = (type: QuotaEntityPart['entityType'], name: string | undefined, dflt: boolean | undefined, flag: string) => {
    if (name !== undefined && dflt === true) throw new UsageError(`--${flag} and --${flag}-default cannot both be given`);
    if (name !== undefined) parts.push({ entityType: type, entityName: name });
    else if (dflt === true) parts.push({ entityType: type, entityName: null });
  };
  pick('user', o.user, o.userDefault, 'user');
  pick('client-id', o.client, o.clientDefault, 'client');
  pick('ip', o.ip, o.ipDefault, 'ip');
  return parts;
}

function parseAddConfig(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const i = item.indexOf('=');
    const n = i <= 0 ? Number.NaN : Number(item.slice(i + 1));
    if (i <= 0 || item.slice(i + 1).trim() === '' || !Number.isFinite(n)) throw new UsageError(`--add-config: "${item}" is not key=number`);
    out[item.slice(0, i)] = n;
  }
  return out;
}

function entityLabel(e: ClientQuotaEntry['entity']): string {
  return e.map((c) => `${c.entityType}=${c.entityName ?? '<default>'}`).join(',');
}

export function registerQuotas(program: Command, ctx: () => CliContext): void {
  const quotas = program.command('quotas').description('describe and alter client quotas (user / client-id / ip entities)');

  withEntityOptions(quotas.command('describe'))
    .description('the stored quotas matching the entity flags (all when none is given)')
    .option('--strict', 'only entities with exactly the given entity types')
    .action(async (opts: EntityOpts & { strict?: boolean }) => {
      const c = ctx();
      const filter: QuotaFilterPart[] = entityOf(opts).map((p) => ({ entityType: p.entityType, match: p.entityName }));
      const entries = await c.withClient((client) => client.admin().describeClientQuotas(filter, opts.strict ?? false));
      const rows = entries.flatMap((e) => Object.entries(e.values).map(([key, value]) => ({ entity: entityLabel(e.entity), key, value })));
      c.print({ rows, columns: ['entity', 'key', 'value'], data: entries });
    });

  withEntityOptions(quotas.command('alter'))
    .description('set (--add-config) and remove (--delete-config) quota keys of one entity')
    .option('--add-config <k=v,...>', 'producer_byte_rate, consumer_byte_rate, request_percentage, controller_mutation_rate, connection_creation_rate')
    .option('--delete-config <k,...>', 'keys to remove')
    .option('--validate-only', 'check on the broker without storing')
    .action(async (opts: EntityOpts & { addConfig?: string; deleteConfig?: string; validateOnly?: boolean }) => {
      const c = ctx();
      const entity = entityOf(opts);
      if (entity.length === 0) throw new UsageError('name an entity: --user / --user-default, --client / --client-default, or --ip / --ip-default');
      const set = opts.addConfig === undefined ? {} : parseAddConfig(opts.addConfig);
      const remove = (opts.deleteConfig ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (Object.keys(set).length === 0 && remove.length === 0) throw new UsageError('nothing to change: give --add-config and/or --delete-config');
      await c.withClient((client) => client.admin().alterClientQuotas([{ entity, set, remove }], { validateOnly: opts.validateOnly ?? false }));
      c.print({ rows: [{ entity: entityLabel(entity), altered: opts.validateOnly !== true, validated: true }] });
    });
}
