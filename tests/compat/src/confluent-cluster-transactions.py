# Driven by test/cluster-transactions-python.test.ts with Debian's python3-confluent-kafka (librdkafka
# underneath) against a 3-broker cluster whose transaction coordinator is SIGKILLed mid-run.
#   produce BOOTSTRAP TOPIC TRANSACTIONAL_ID FIRST LAST PER_TXN PARTITIONS
#     transactions FIRST..LAST-1, each PER_TXN records spread over the partitions (value
#     "t<txn>-a<attempt>-<i>"). Prints one JSON line per outcome: {"committed": txn, "acked": [...]}
#     with each record's acknowledged partition and offset, {"aborted": txn, "attempt": n} for an
#     attempt ended by abort_transaction (then retried as the next attempt), {"unknown": txn} when
#     the producer hit a fatal error (exit 3: the test starts a new producer, which fences this one).
#   consume BOOTSTRAP TOPIC PARTITIONS COUNT
#     a read_committed consumer reads every partition from the start until COUNT records arrived and
#     a 3 s quiet spell followed (an extra, aborted or doubled record would show); prints one JSON
#     line {"consumed": [[partition, offset, value], ...]}.
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

TIMEOUT = 60


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def produce(bootstrap, topic, txn_id, first, last, per_txn, partitions):
    producer = Producer({
        'bootstrap.servers': bootstrap,
        'transactional.id': txn_id,
        'transaction.timeout.ms': 30000,
        'message.timeout.ms': 30000,
        'socket.timeout.ms': 10000,
        'retry.backoff.ms': 200,
    })
    producer.init_transactions(TIMEOUT)
    for txn in range(first, last):
        attempt = 0
        while True:
            acked = []
            failed = []

            def on_delivery(err, msg):
                if err is not None:
                    failed.append(str(err))
                else:
                    acked.append({'partition': msg.partition(), 'offset': msg.offset(), 'value': msg.value().decode()})

            try:
                producer.begin_transaction()
                for i in range(per_txn):
                    producer.produce(topic, ('t%d-a%d-%d' % (txn, attempt, i)).encode(), partition=i % partitions, on_delivery=on_delivery)
                with_retries(producer.commit_transaction)
                emit({'committed': txn, 'acked': acked})
                break
            except KafkaException as e:
                err = e.args[0]
                if err.txn_requires_abort():
                    with_retries(producer.abort_transaction)
                    emit({'aborted': txn, 'attempt': attempt, 'error': str(err), 'failed': failed[:3]})
                    attempt += 1
                    continue
                emit({'unknown': txn, 'error': str(err), 'fatal': err.fatal()})
                sys.exit(3)


def with_retries(end):
    # A retriable commit / abort error (the coordinator moving) is retried as librdkafka's docs say;
    # the records' delivery reports are served by the commit's internal flush.
    while True:
        try:
            end(TIMEOUT)
            return
        except KafkaException as e:
            if not e.args[0].retriable():
                raise
            time.sleep(0.2)


def consume(bootstrap, topic, partitions, count):
    consumer = Consumer({
        'bootstrap.servers': bootstrap,
        'group.id': topic + '-check',
        'isolation.level': 'read_committed',
        'enable.auto.commit': False,
        'auto.offset.reset': 'earliest',
    })
    consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    consumed = []
    deadline = time.time() + 180
    quiet_since = None
    while time.time() < deadline:
        m = consumer.poll(0.5)
        if m is not None and m.error() is None:
            consumed.append([m.partition(), m.offset(), m.value().decode()])
            quiet_since = None
        elif len(consumed) >= count:
            quiet_since = quiet_since or time.time()
            if time.time() - quiet_since >= 3:
                break
    consumer.close()
    emit({'consumed': consumed})


if __name__ == '__main__':
    mode = sys.argv[1]
    if mode == 'produce':
        produce(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]))
    else:
        consume(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
