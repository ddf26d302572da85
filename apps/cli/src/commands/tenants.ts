// `mq tenants list | describe | set | delete`: tenants in the metadata store (every broker applies a
// change at once) beside those of each broker's mq.tenants.file (shown, not changed here), through
// the broker's HTTP listener (/v1/tenants): --http <url>, env MQ_HTTP_URL. `set` replaces the whole
// definition: what is not given is not kept.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { callHttpApi, httpApi } from '../http-api';
import { parseIntOption, parsePositiveNumber } from '../parse';

interface TenantJson {
  name: string;
  principalPrefix: string;
  resourcePrefix: string;
  quotas?: Record<string, number>;
  storageLimitBytes?: number;
  maxConnections?: number;
  source: 'file' | 'metadata';
}

interface HttpOptions {
  http?: string;
}

interface SetOptions extends HttpOptions {
  principalPrefix: string;
  resourcePrefix: string;
  producerByteRate?: number;
  consumerByteRate?: number;
  requestPercentage?: number;
  storageLimitBytes?: number;
  maxConnections?: number;
}

const COLUMNS = ['name', 'principalPrefix', 'resourcePrefix', 'quotas', 'storageLimitBytes', 'maxConnections', 'source'];
const WHAT = 'tenants management';

function row(t: TenantJson): Record<string, unknown> {
  const quotas = Object.entries(t.quotas ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return { ...t, quotas, storageLimitBytes: t.storageLimitBytes ?? '', maxConnections: t.maxConnections ?? '' };
}

const path = (name: string) => `/v1/tenants/${encodeURIComponent(name)}`;
const httpOption = ['--http <url>', 'the broker’s HTTP listener, e.g. http://127.0.0.1:8080 or http://user:password@host:port (env MQ_HTTP_URL); or --bearer-token'] as const;

export function registerTenants(program: Command, ctx: () => CliContext): void {
  const tenants = program.command('tenants').description('tenants: principal prefixes with their resources, shared quotas, storage and connection limits');
  tenants
    .command('list')
    .description('every tenant, those of mq.tenants.file (source file) and those stored in the metadata store (source metadata)')
    .option(...httpOption)
    .action(async (opts: HttpOptions) => {
      const c = ctx();
      const res = await callHttpApi<{ tenants: TenantJson[] }>(c, await httpApi(c, opts.http, WHAT), 'GET', '/v1/tenants');
      c.print({ rows: res.tenants.map(row), columns: COLUMNS, data: res.tenants });
    });
  tenants
    .command('describe <name>')
    .description('one tenant')
    .option(...httpOption)
    .action(async (name: string, opts: HttpOptions) => {
      const c = ctx();
      const t = await callHttpApi<TenantJson>(c, await httpApi(c, opts.http, WHAT), 'GET', path(name));
      c.print({ rows: [row(t)], columns: COLUMNS, data: t });
    });
  tenants
    .command('set <name>')
    .description('create or replace a tenant in the metadata store; every broker applies it at once')
    .requiredOption('--principal-prefix <prefix>', 'its principals: those whose name starts with this, e.g. User:acme-')
    .requiredOption('--resource-prefix <prefix>', 'its topics, groups and transactional ids: those starting with this, e.g. acme.')
    .option('--producer-byte-rate <bytes/s>', 'a produce rate shared by all its principals', parsePositiveNumber)
    .option('--consumer-byte-rate <bytes/s>', 'a fetch rate shared by all its principals', parsePositiveNumber)
    .option('--request-percentage <percent>', 'request time shared by all its principals', parsePositiveNumber)
    .option('--storage-limit-bytes <bytes>', 'the most its topics may hold (cluster-wide in a cluster)', parseIntOption(1))
    .option('--max-connections <n>', 'the most connections its principals hold open on each broker', parseIntOption(0))
    .option(...httpOption)
    .action(async (name: string, opts: SetOptions) => {
      const c = ctx();
      const quotas = {
        ...(opts.producerByteRate !== undefined ? { producer_byte_rate: opts.producerByteRate } : {}),
        ...(opts.consumerByteRate !== undefined ? { consumer_byte_rate: opts.consumerByteRate } : {}),
        ...(opts.requestPercentage !== undefined ? { request_percentage: opts.requestPercentage } : {}),
      };
      const definition = {
        principalPrefix: opts.principalPrefix,
        resourcePrefix: opts.resourcePrefix,
        ...(Object.keys(quotas).length > 0 ? { quotas } : {}),
        ...(opts.storageLimitBytes !== undefined ? { storageLimitBytes: opts.storageLimitBytes } : {}),
        ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
      };
      const t = await callHttpApi<TenantJson>(c, await httpApi(c, opts.http, WHAT), 'PUT', path(name), definition);
      c.print({ rows: [row(t)], columns: COLUMNS, data: t });
    });
  tenants
    .command('delete <name>')
    .description('remove a tenant from the metadata store (a tenant of mq.tenants.file is removed there)')
    .option(...httpOption)
    .action(async (name: string, opts: HttpOptions) => {
      const c = ctx();
      await callHttpApi<undefined>(c, await httpApi(c, opts.http, WHAT), 'DELETE', path(name));
      c.note(`mq: tenant ${name} deleted`);
    });
}
