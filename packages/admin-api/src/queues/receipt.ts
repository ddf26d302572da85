// Receipts of the HTTP queue API: an opaque handle on one acquired record — group, topic, partition,
// offset, delivery count and member of the acquisition — signed with the broker's key (HMAC-SHA256),
// so a client can neither forge one for another member's record nor alter the one it was given.
// A receipt only names an acquisition; whether that acquisition still holds is the share state's call.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Receipt {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly deliveryCount: number;
  readonly memberId: string;
}

const VERSION = 'r1';
const MAC_BYTES = 16;

/** Why a receipt string is not one of ours. */
export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';
}

export class ReceiptCodec {
  private readonly key: Buffer;

  /** `key`: the signing key; default 32 random bytes (receipts then die with the process, as its locks do). */
  constructor(key: Buffer = randomBytes(32)) {
    this.key = key;
  }

  encode(r: Receipt): string {
    const payload = Buffer.from(JSON.stringify([r.groupId, r.topic, r.partition, r.offset.toString(), r.deliveryCount, r.memberId]), 'utf8').toString('base64url');
    return `${VERSION}.${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** The receipt a string stands for; ReceiptError when it is malformed, altered or signed by another key. */
  decode(raw: unknown): Receipt {
    if (typeof raw !== 'string') throw new ReceiptError('a receipt must be a string');
    const parts = raw.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) throw new ReceiptError('not a receipt of this broker');
    const [, payload, mac] = parts as [string, string, string];
    const given = Buffer.from(mac, 'base64url');
    // A restart makes a new key: its receipts fail here, as their locks ended with the process.
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(payload))) throw new ReceiptError('receipt signature does not match (altered, or issued before a broker restart)');
    let fields: unknown;
    try {
      fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new ReceiptError('receipt payload is not readable');
    }
    if (!Array.isArray(fields) || fields.length !== 6) throw new ReceiptError('receipt payload is not readable');
    const [groupId, topic, partition, offset, deliveryCount, memberId] = fields as unknown[];
    if (
      typeof groupId !== 'string' ||
      typeof topic !== 'string' ||
      typeof partition !== 'number' ||
      typeof offset !== 'string' ||
      !/^\d+$/.test(offset) ||
      typeof deliveryCount !== 'number' ||
      typeof memberId !== 'string'
    ) {
      throw new ReceiptError('receipt payload is not readable');
    }
    return { groupId, topic, partition, offset: BigInt(offset), deliveryCount, memberId };
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, MAC_BYTES);
  }
}
