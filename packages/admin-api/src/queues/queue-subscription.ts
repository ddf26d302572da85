// The WebSocket queue subscription: ws /v1/queues/:group_id/topics/:topic_name/subscribe
// (?consumer_id=, ?encoding=, ?lock_ms=). Credit-based flow control: the client grants credit with
// {"credit": N}; each pushed message spends one and the server never pushes past what was granted.
// {"ack"|"release"|"reject": [receipts], "id"?} settles (answered {type:"settled"}). Closing the
// socket releases what it still holds; a generated consumer id leaves the group then.
import { randomUUID } from 'node:crypto';
import { HttpError, type WebSocketRoute, toJson } from '@mq/http';
import { type Cancel, type Clock, repeat } from '@mq/timerwheel';
import type { WebSocket } from 'ws';
import { type DataType, parseEncoding } from '../record-data';
import { nonNegativeInt } from '../request-input';
import { QueueErrorCode } from './queue-errors';
import { QUEUE_TOPIC_PATH, clientHostOf } from './queue-routes';
import { MAX_RECEIVE_MESSAGES, type QueueMessage, type QueueService, type Settlement } from './queue-service';

/** Most credit a client may have outstanding: bounds what one socket can hold locked. */
export const MAX_CREDIT = 100_000;
/** One long poll of the pump; it loops while the socket is open. */
const POLL_WAIT_MS = 1000;
const SETTLEMENTS: readonly Settlement[] = ['ack', 'release', 'reject'];

interface SubscriptionOptions {
  readonly groupId: string;
  readonly topic: string;
  readonly consumerId: string;
  /** The consumer id was made up for this socket: it leaves the group on close. */
  readonly ownMember: boolean;
  readonly encoding: DataType;
  readonly lockMs: number | undefined;
  readonly clientHost: string;
}

export function queueSubscriptionRoute(queues: QueueService, clock: Clock): WebSocketRoute {
  return {
    path: `${QUEUE_TOPIC_PATH}/subscribe`,
    onConnection(ws, req, params) {
      const given = req.query.get('consumer_id');
      if (given === '') throw HttpError.badRequest('consumer_id must not be empty');
      const lockRaw = req.query.get('lock_ms');
      const opts: SubscriptionOptions = {
        groupId: params.group_id!,
        topic: params.topic_name!,
        consumerId: given ?? `ws-${randomUUID()}`,
        ownMember: given === null,
        encoding: parseEncoding(req.query.get('encoding')),
        lockMs: lockRaw === null ? undefined : nonNegativeInt(lockRaw, 'lock_ms'),
        clientHost: clientHostOf(req.headers),
      };
      queues.queueTopic(opts.topic);
      new QueueSubscription(ws, queues, opts, clock, queues.heartbeatIntervalMs).start();
    },
  };
}

class QueueSubscription {
  private credit = 0;
  private open = true;
  private readonly held = new Set<string>();
  private readonly abort = new AbortController();
  private wakeForCredit: (() => void) | undefined;
  private heartbeat: Cancel | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly queues: QueueService,
    private readonly o: SubscriptionOptions,
    private readonly clock: Clock,
    private readonly heartbeatMs: number,
  ) {}

  start(): void {
    this.ws.on('message', (data, isBinary) => this.onFrame(isBinary ? null : data.toString()));
    this.ws.on('close', () => void this.onClose());
    this.send({ type: 'subscribed', group_id: this.o.groupId, topic_name: this.o.topic, consumer_id: this.o.consumerId });
    void this.pump();
  }

  /** Receives while there is credit; with none, it waits for a grant (the member kept alive meanwhile). */
  private async pump(): Promise<void> {
    // While waiting for credit nothing receives, so nothing heartbeats: keep the member's session.
    this.heartbeat = repeat(this.clock, this.heartbeatMs, () => {
      if (this.credit === 0) this.queues.keepAlive(this.o.groupId, this.o.consumerId, this.o.topic, this.o.clientHost);
    }, { onError: () => undefined });
    while (this.open) {
      if (this.credit === 0) {
        await new Promise<void>((resolve) => (this.wakeForCredit = resolve));
        continue;
      }
      let messages: QueueMessage[];
      try {
        const got = await this.queues.receive(this.o.groupId, this.o.topic, {
          maxMessages: Math.min(this.credit, MAX_RECEIVE_MESSAGES),
          waitMs: POLL_WAIT_MS,
          ...(this.o.lockMs !== undefined ? { lockMs: this.o.lockMs } : {}),
          consumerId: this.o.consumerId,
          encoding: this.o.encoding,
          clientHost: this.o.clientHost,
          signal: this.abort.signal,
        });
        messages = got.messages;
      } catch (err) {
        const known = err instanceof HttpError;
        this.send({ type: 'error', error_code: known ? err.errorCode : 500, message: known ? err.message : 'internal error' });
        this.ws.close(known ? 1008 : 1011, known ? err.message.slice(0, 120) : 'internal error');
        this.open = false;
        return;
      }
      if (messages.length === 0) continue;
      if (!this.open) {
        // Acquired while the socket was closing: straight back to the queue.
        await this.queues.settle('release', this.o.groupId, this.o.topic, messages.map((m) => m.receipt), this.o.clientHost).catch(() => undefined);
        return;
      }
      this.credit -= messages.length;
      for (const m of messages) this.held.add(m.receipt);
      this.send({ type: 'messages', messages });
    }
  }

  private onFrame(text: string | null): void {
    let frame: unknown;
    try {
      frame = text === null ? undefined : JSON.parse(text);
    } catch {
      frame = undefined;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      this.refuse('a frame must be a JSON object: {"credit":N} or {"ack"|"release"|"reject":[receipts]}');
      return;
    }
    const f = frame as Record<string, unknown>;
    if ('credit' in f) {
      const n = f.credit;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || this.credit + n > MAX_CREDIT) {
        this.refuse(`credit must be an integer ≥ 1 keeping the outstanding credit ≤ ${MAX_CREDIT}, got ${JSON.stringify(n)}`);
        return;
      }
      this.credit += n;
      this.wakeForCredit?.();
      this.wakeForCredit = undefined;
      return;
    }
    const how = SETTLEMENTS.find((s) => s in f);
    if (how === undefined || !Array.isArray(f[how]) || (f[how] as unknown[]).length === 0) {
      this.refuse('a frame must be {"credit":N} or {"ack"|"release"|"reject":[receipts]} with at least one receipt');
      return;
    }
    const receipts = f[how] as unknown[];
    const id = f.id;
    void this.queues
      .settle(how, this.o.groupId, this.o.topic, receipts, this.o.clientHost)
      .then((results) => {
        for (const r of results) if (typeof r.receipt === 'string') this.held.delete(r.receipt);
        this.send({ type: 'settled', how, ...(id !== undefined ? { id } : {}), results });
      })
      .catch((err: unknown) => {
        const known = err instanceof HttpError;
        this.send({ type: 'error', error_code: known ? err.errorCode : 500, message: known ? err.message : 'internal error' });
      });
  }

  private refuse(message: string): void {
    this.send({ type: 'error', error_code: QueueErrorCode.BAD_REQUEST, message });
  }

  private send(frame: object): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(toJson(frame));
  }

  private async onClose(): Promise<void> {
    this.open = false;
    this.abort.abort();
    this.heartbeat?.();
    this.wakeForCredit?.();
    const held = [...this.held];
    this.held.clear();
    try {
      if (this.o.ownMember) this.queues.leave(this.o.groupId, this.o.consumerId);
      else if (held.length > 0) await this.queues.settle('release', this.o.groupId, this.o.topic, held, this.o.clientHost);
    } catch {
      // The broker is stopping or the member is already gone: its locks end with it either way.
    }
  }
}
