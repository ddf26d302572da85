import { preset } from '../../tooling/vitest/preset.ts';

// One file that packs, npm-installs from the registry and runs four programs: minutes, not seconds.
export default preset({ testTimeout: 300_000 });
