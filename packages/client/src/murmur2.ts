// Kafka's murmur2 partition hash lives in @mq/records (the broker's admin API picks partitions with it too).
export { murmur2, murmur2Partition, toPositive } from '@mq/records';
