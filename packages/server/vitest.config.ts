import { preset } from '../../tooling/vitest/preset.ts';

// Broker-side: the tests run on the native codecs, as the broker does (it registers them at start).
export default preset({ setupFiles: ['test/native-codecs.setup.ts'] });
