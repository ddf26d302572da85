// A FileSystem that times every fsync / fdatasync of the one beneath it (the storage seam every
// log and partition file goes through) for the fsync latency histogram. Every other call is
// passed straight through: the append path pays one hrtime pair per sync, nothing per write.
import type { FileStat, FileSystem } from '@mq/log';

export class FsyncTimingFileSystem implements FileSystem {
  constructor(
    private readonly fs: FileSystem,
    /** Seconds each sync took, failed ones included (a dying disk is slow before it fails). */
    private readonly observe: (seconds: number) => void,
  ) {}

  fdatasync(fd: number): Promise<void> {
    return this.timed(this.fs.fdatasync(fd), process.hrtime.bigint());
  }

  fsync(fd: number): Promise<void> {
    return this.timed(this.fs.fsync(fd), process.hrtime.bigint());
  }

  private timed(sync: Promise<void>, started: bigint): Promise<void> {
    const done = (): void => this.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return sync.then(done, (err: unknown) => {
      done();
      throw err;
    });
  }

  open(path: string, flags: string): Promise<number> {
    return this.fs.open(path, flags);
  }
  close(fd: number): Promise<void> {
    return this.fs.close(fd);
  }
  read(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    return this.fs.read(fd, buf, offset, length, position);
  }
  writev(fd: number, buffers: readonly Buffer[], position: number): Promise<number> {
    return this.fs.writev(fd, buffers, position);
  }
  ftruncate(fd: number, length: number): Promise<void> {
    return this.fs.ftruncate(fd, length);
  }
  readFile(path: string): Promise<Buffer> {
    return this.fs.readFile(path);
  }
  readdir(path: string): Promise<string[]> {
    return this.fs.readdir(path);
  }
  stat(path: string): Promise<FileStat> {
    return this.fs.stat(path);
  }
  mkdir(path: string): Promise<void> {
    return this.fs.mkdir(path);
  }
  rename(from: string, to: string): Promise<void> {
    return this.fs.rename(from, to);
  }
  unlink(path: string): Promise<void> {
    return this.fs.unlink(path);
  }
  removeTree(path: string): Promise<void> {
    return this.fs.removeTree(path);
  }
  readdirSync(path: string): string[] {
    return this.fs.readdirSync(path);
  }
  statSync(path: string): FileStat {
    return this.fs.statSync(path);
  }
  readFileSync(path: string): Buffer {
    return this.fs.readFileSync(path);
  }
}
