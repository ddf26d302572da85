// `mq-broker --help`: every flag with its env var and default, generated from the config table.
import { CONFIG_TABLE } from './config-table';

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}

export function helpText(version: string): string {
  const rows: [string, string, string][] = [
    ['-c, --config <file>', 'MQ_CONFIG', 'a server.properties or JSON file with Kafka-named keys'],
    ...CONFIG_TABLE.flatMap((r): [string, string, string][] =>
      r.flag === undefined ? [] : [[`--${r.flag} <${r.def.type === 'int' ? 'n' : 'value'}>`, r.env, `${r.def.doc.split(/(?<=\.) /)[0]} [default: ${r.def.default ?? 'unset'}]`]],
    ),
    ['--override <key=value>', 'MQ_<KEY>', 'any key of the reference (repeatable): --override num.partitions=3'],
    ['-h, --help', '', 'this text'],
    ['-v, --version', '', 'the version'],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length)) + 2;
  const w1 = Math.max(...rows.map((r) => r[1].length)) + 2;
  return [
    `mq-broker ${version}: a Kafka-compatible broker`,
    '',
    'usage: mq-broker [flags]',
    '',
    `${pad('flag', w0)}${pad('env', w1)}description`,
    ...rows.map(([flag, env, doc]) => `${pad(flag, w0)}${pad(env, w1)}${doc}`),
    '',
    'Precedence: defaults < config file < env (MQ_ and the key in upper snake case, e.g. MQ_NUM_PARTITIONS)',
    `< flags. ${CONFIG_TABLE.length} broker keys: the reference is in apps/broker/README.md ("Config reference").`,
    '',
  ].join('\n');
}
