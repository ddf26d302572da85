// meta/entries.json: the image's keyed entries (ACL bindings, SCRAM credentials, client quotas) on
// one node, as { version: 1, entries: { namespace: { key: value } } }. Rewritten atomically when an
// entry changes; a corrupt file refuses the start rather than silently dropping ACLs or users.
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { MetadataStorageError } from './errors';
import type { MetadataImage } from './cluster-image';
import type { EntryRecord } from './metadata-record';

const ENTRIES_FILE_VERSION = 1;

export function entriesFilePath(dataDir: string): string {
  return join(dataDir, 'meta', 'entries.json');
}

/** The file's entries as records (none when there is no file). */
export async function readEntriesFile(path: string): Promise<EntryRecord[]> {
  const text = await readFileIfExists(path);
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new MetadataStorageError(`${path}: not JSON (${(err as Error).message}); restore it from a backup or remove it to start without ACLs, users and quotas`, { cause: err });
  }
  const file = parsed as { version?: unknown; entries?: unknown };
  if (file.version !== ENTRIES_FILE_VERSION || typeof file.entries !== 'object' || file.entries === null) {
    throw new MetadataStorageError(`${path}: not an entries file of version ${ENTRIES_FILE_VERSION}`);
  }
  const out: EntryRecord[] = [];
  for (const [namespace, keys] of Object.entries(file.entries as Record<string, unknown>)) {
    if (typeof keys !== 'object' || keys === null) throw new MetadataStorageError(`${path}: namespace ${namespace} is not an object`);
    for (const [key, value] of Object.entries(keys as Record<string, unknown>)) {
      if (typeof value !== 'string') throw new MetadataStorageError(`${path}: ${namespace}/${key} is not a string`);
      out.push({ type: 'entry', namespace, key, value });
    }
  }
  return out;
}

export async function writeEntriesFile(path: string, image: MetadataImage): Promise<void> {
  const entries: Record<string, Record<string, string>> = {};
  for (const [namespace, keys] of image.entries) entries[namespace] = Object.fromEntries(keys);
  await writeFileAtomic(path, `${JSON.stringify({ version: ENTRIES_FILE_VERSION, entries }, null, 1)}\n`);
}
