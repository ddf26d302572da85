// The cluster id (Kafka's meta.properties cluster.id): a random Kafka Uuid created with the data
// dir and kept in <dataDir>/meta/cluster-id, so clients see the same cluster across restarts.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function loadOrCreateClusterId(dataDir: string): Promise<string> {
  const path = join(dataDir, 'meta', 'cluster-id');
  try {
    const id = (await readFile(path, 'utf8')).trim();
    if (id.length > 0) return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let id = randomBytes(16).toString('base64url');
  while (id.startsWith('-')) id = randomBytes(16).toString('base64url');
  await mkdir(join(dataDir, 'meta'), { recursive: true });
  await writeFile(`${path}.tmp`, `${id}\n`);
  await rename(`${path}.tmp`, path);
  return id;
}
