import { preset } from '../../tooling/tsup/preset.ts';

export default preset(['src/index.ts', 'src/testing/index.ts']);
