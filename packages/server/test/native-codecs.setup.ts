// Registers @mq/codecs-native before each test file, as startBroker() does in production.
import { registerNativeCodecs } from '@mq/codecs-native';

registerNativeCodecs();
