// mkdir -p without Node's `{ recursive: true }`, which reports EROFS as a misleading ENOENT on the
// parent and loops forever at 100 % CPU where mkdir keeps answering ENOENT under an existing parent
// (/proc/x). Each level is tried at most twice, so this always ends, with the real errno and path.
import { dirname, resolve } from 'node:path';
import { KafkaStorageError } from '@mq/errors';
import type { FileSystem } from './file-system';
import { nodeFileSystem } from './node-file-system';

/** Creates `dir` and its missing parents; throws KafkaStorageError naming the path and the cause. */
export async function makeDirectory(dir: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  await makeLevel(fs, resolve(dir));
}

async function makeLevel(fs: FileSystem, dir: string): Promise<void> {
  const first = await tryMkdir(fs, dir);
  if (first === undefined) return;
  if (first.code === 'EEXIST') return checkIsDirectory(fs, dir, first);
  const parent = dirname(dir);
  if (first.code !== 'ENOENT' || parent === dir) throw storageError(dir, first);
  await makeLevel(fs, parent);
  // The parent exists now; a second ENOENT means the filesystem refuses (procfs, sysfs), not a race.
  const second = await tryMkdir(fs, dir);
  if (second === undefined) return;
  if (second.code === 'EEXIST') return checkIsDirectory(fs, dir, second);
  throw storageError(dir, second);
}

async function tryMkdir(fs: FileSystem, dir: string): Promise<NodeJS.ErrnoException | undefined> {
  try {
    await fs.mkdir(dir);
    return undefined;
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
}

async function checkIsDirectory(fs: FileSystem, dir: string, cause: NodeJS.ErrnoException): Promise<void> {
  const st = await fs.stat(dir).catch((err: NodeJS.ErrnoException) => {
    throw storageError(dir, err);
  });
  if (!st.isDirectory()) throw new KafkaStorageError(`cannot use ${dir} as a directory: it exists and is not a directory`, { cause });
}

function storageError(dir: string, err: NodeJS.ErrnoException): KafkaStorageError {
  // After makeLevel created the parent, ENOENT can only mean the filesystem refuses the name.
  const why = err.code === 'ENOENT' ? ' (its parent exists: this filesystem does not allow creating it)' : '';
  return new KafkaStorageError(`cannot create directory ${dir}: ${err.message}${why}`, { cause: err });
}
