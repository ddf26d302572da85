// The Kafka error codes the coordinator answers with: @mq/protocol's one table, under the name
// the group code uses.
import { ErrorCode } from '@mq/protocol';

export const GroupErrorCode = ErrorCode;
export type GroupErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
