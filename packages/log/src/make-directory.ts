// mkdir -p without Node's `{ recursive: true }`, which reports EROFS as a misleading ENOENT on the
// parent and loops forever at 100 % CPU where mkdir keeps answering ENOENT under an existing parent
// (/proc/x). Each level is tried at most twice, so this always ends, with the real errno and path.
import { promises as fsp } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { KafkaStorageError } from '@mq/errors';

/** Creates `dir` and its missing parents; throws KafkaStorageError naming the path and the cause. */
export async function makeDirectory(dir: string): Promise<void> {
  await makeLevel(resolve(dir));
}

async function makeLevel(dir: string): Promise<void> {
  const first = await tryMkdir(dir);
  if (first === undefined) return;
  if (first.code === 'EEXIST') return checkIsDirectory(dir, first);
  const parent = dirname(dir);
  if (first.code !== 'ENOENT' || parent === dir) throw storageError(dir, first);
  await makeLevel(parent);
  // The parent exists now; a second ENOENT means the filesystem refuses (procfs, sysfs), not a race.
  const second = await tryMkdir(dir);
  if (second === undefined) return;
  if (second.code === 'EEXIST') return checkIsDirectory(dir, second);
  throw storageError(dir, second);
}

async function tryMkdir(dir: string): Promise<NodeJS.ErrnoException | undefined> {
  try {
    await fsp.mkdir(dir);
    return undefined;
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
}

async function checkIsDirectory(dir: string, cause: NodeJS.ErrnoException): Promise<void> {
  const st = await fsp.stat(dir).catch((err: NodeJS.ErrnoException) => {
    throw storageError(dir, err);
  });
  if (!st.isDirectory()) throw new KafkaStorageError(`cannot use ${dir} as a directory: it exists and is not a directory`, { cause });
}

function storageError(dir: string, err: NodeJS.ErrnoException): KafkaStorageError {
  // After makeLevel created the parent, ENOENT can only mean the filesystem refuses the name.
  const why = err.code === 'ENOENT' ? ' (its parent exists: this filesystem does not allow creating it)' : '';
  return new KafkaStorageError(`cannot create directory ${dir}: ${err.message}${why}`, { cause: err });
}
