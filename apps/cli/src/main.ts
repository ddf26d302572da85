#!/usr/bin/env node
// The `mq` binary: runs the command tree on the real process streams and sets the exit code.
import { run } from './program';
import { isBrokenPipe } from './stdout-sink';

// `mq ... | head`: the reader left. Nothing more to say and no stack trace; commands that stream
// (consume) watch their own sink and stop.
process.stdout.on('error', (err) => {
  if (!isBrokenPipe(err)) throw err;
});

// With @mq/codecs-native installed next to the CLI (an optional peer dependency, which npm does not
// install by itself), zstd compresses and CRC / codecs run native; without it, plain JS.
await import('@mq/codecs-native').then(
  (native) => native.registerNativeCodecs(),
  () => undefined,
);

const code = await run(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
