// Runs a kafkajs group consumer on `topic` from the beginning until it has `count` values, then
// disconnects it; a consumer crash (e.g. GROUP_AUTHORIZATION_FAILED) rejects instead.
import type { Consumer } from 'kafkajs';

export async function consumeValues(consumer: Consumer, topic: string, count: number): Promise<string[]> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
      void consumer.run({
        eachMessage: async ({ message }) => {
          got.push(String(message.value));
          if (got.length === count) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}
