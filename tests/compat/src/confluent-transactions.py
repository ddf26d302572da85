# Driven by test/transactions-librdkafka.test.ts with Debian's python3-confluent-kafka (librdkafka
# underneath): init_transactions, a committed transaction with send_offsets_to_transaction, an
# aborted one, a last committed one; then a read_committed consumer reads the topic from the start.
# Prints one JSON line: the values read and the group's committed offset.
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]
TIMEOUT = 60

producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': 'py-' + topic, 'transaction.timeout.ms': 60000})
producer.init_transactions(TIMEOUT)

# The group whose offsets the first transaction commits (consumer-transform-produce's input side).
source = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'enable.auto.commit': False})

producer.begin_transaction()
producer.produce(topic, b'py-committed-1', partition=0)
producer.produce(topic, b'py-committed-2', partition=0)
producer.send_offsets_to_transaction([TopicPartition(topic, 0, 2)], source.consumer_group_metadata(), TIMEOUT)
producer.commit_transaction(TIMEOUT)

producer.begin_transaction()
producer.produce(topic, b'py-aborted', partition=0)
producer.flush(TIMEOUT)
producer.abort_transaction(TIMEOUT)

producer.begin_transaction()
producer.produce(topic, b'py-end', partition=0)
producer.commit_transaction(TIMEOUT)

reader = Consumer({
    'bootstrap.servers': bootstrap,
    'group.id': group + '-reader',
    'isolation.level': 'read_committed',
    'auto.offset.reset': 'earliest',
    'enable.auto.commit': False,
})
reader.assign([TopicPartition(topic, 0, 0)])
values = []
deadline = time.time() + TIMEOUT
while time.time() < deadline and b'py-end' not in values:
    m = reader.poll(1.0)
    if m is not None and m.error() is None:
        values.append(m.value())
reader.close()
committed = source.committed([TopicPartition(topic, 0)], TIMEOUT)[0].offset
source.close()
print(json.dumps({'values': [v.decode() for v in values], 'committed': committed}))
