#!/usr/bin/env node
// The `mq` binary: runs the command tree on the real process streams and sets the exit code.
import { run } from './program';

const code = await run(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
