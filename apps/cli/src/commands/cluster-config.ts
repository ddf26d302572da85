// `mq cluster config describe|set|delete`: a broker's configs, or the cluster-wide default's, as
// `kafka-configs --entity-type brokers` (--entity-name <id> / --entity-default) and
// `rpk cluster config` do it. describe is DescribeConfigs with synonyms (asked of that broker; the
// default resource is asked of any); set / delete are IncrementalAlterConfigs SET / DELETE on the
// BROKER resource, which only the dynamic keys accept — the broker refuses anything else
// INVALID_CONFIG, shown as one line with exit 1. Naming no target, or both, is a usage error (exit 2).
import type { Command } from 'commander';
import type { ConfigEntry } from '@mq/client';
import { UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { collectString, parseIntOption } from '../parse';

interface Target {
  broker?: number;
  default?: boolean;
}

/** The BROKER resource name: a broker id, or '' for the cluster default. */
function resourceOf(t: Target): string {
  if (t.default === true && t.broker !== undefined) throw new UsageError('give --broker <id> or --default, not both');
  if (t.default === true) return '';
  if (t.broker === undefined) throw new UsageError('say whose configs: --broker <id> or --default (the cluster-wide default)');
  return String(t.broker);
}

/** key=value arguments; a key given twice is a mistake, not "the last wins". */
function parseAssignments(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of args) {
    const i = a.indexOf('=');
    if (i <= 0) throw new UsageError(`"${a}" is not key=value`);
    const key = a.slice(0, i).trim();
    if (key in out) throw new UsageError(`${key} is given twice`);
    out[key] = a.slice(i + 1);
  }
  return out;
}

function dynamic(e: ConfigEntry): boolean {
  return e.source === 'DYNAMIC_BROKER_CONFIG' || e.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG';
}

function shownValue(value: string | null, sensitive: boolean): string | null {
  return sensitive ? '(sensitive)' : value;
}

function withTarget(cmd: Command): Command {
  return cmd.option('--broker <id>', 'this broker (its node id)', parseIntOption(0, 2_147_483_647)).option('--default', 'the cluster-wide default, for every broker without a value of its own');
}

export function registerClusterConfig(cluster: Command, ctx: () => CliContext): void {
  const config = cluster.command('config').description("a broker's configs or the cluster-wide default's: describe, and set / delete the dynamic ones");

  withTarget(config.command('describe'))
    .description('configs with their source and synonyms (without --all: only the dynamic values set)')
    .option('--all', 'every config of the broker, static and default ones included')
    .option('-k, --key <name>', 'only this config, repeatable', collectString)
    .action(async (opts: Target & { all?: boolean; key?: string[] }) => {
      const resource = resourceOf(opts);
      const c = ctx();
      const entries = await c.withClient((client) => client.admin().describeConfigs('broker', resource, opts.key, { synonyms: true }));
      // As kafka-configs: without --all the dynamic values only; a key asked for by name is always shown.
      const shown = opts.all === true || opts.key !== undefined ? entries : entries.filter(dynamic);
      if (shown.length === 0) c.note(resource === '' ? 'no cluster-wide default is set' : `no dynamic config is set on broker ${resource}`);
      const rows = shown.map((e) => ({
        name: e.name,
        value: shownValue(e.value, e.isSensitive),
        source: e.source,
        readOnly: e.readOnly,
        synonyms: (e.synonyms ?? []).map((s) => `${s.source}:${s.name}=${shownValue(s.value, e.isSensitive) ?? ''}`).join(', '),
      }));
      c.print({
        rows,
        columns: ['name', 'value', 'source', 'readOnly', 'synonyms'],
        data: shown.map((e) => ({ ...e, value: shownValue(e.value, e.isSensitive), synonyms: (e.synonyms ?? []).map((s) => ({ ...s, value: shownValue(s.value, e.isSensitive) })) })),
      });
    });

  withTarget(config.command('set <key=value...>'))
    .description('set dynamic configs (IncrementalAlterConfigs SET), applied at once')
    .option('--validate-only', 'let the broker check the values without storing them')
    .action(async (assignments: string[], opts: Target & { validateOnly?: boolean }) => {
      const resource = resourceOf(opts);
      const set = parseAssignments(assignments);
      const c = ctx();
      await c.withClient((client) => client.admin().alterConfigs('broker', resource, { set }, { validateOnly: opts.validateOnly === true }));
      c.print({ rows: Object.entries(set).map(([name, value]) => ({ broker: resource === '' ? '<default>' : resource, name, value, action: opts.validateOnly === true ? 'valid' : 'set' })) });
    });

  withTarget(config.command('delete <key...>'))
    .description('remove dynamic configs (IncrementalAlterConfigs DELETE): the cluster default, else the built-in default, applies again')
    .action(async (keys: string[], opts: Target) => {
      const resource = resourceOf(opts);
      const c = ctx();
      await c.withClient((client) => client.admin().alterConfigs('broker', resource, { delete: keys }));
      c.print({ rows: keys.map((name) => ({ broker: resource === '' ? '<default>' : resource, name, action: 'deleted' })) });
    });
}
