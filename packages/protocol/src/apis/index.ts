// Registry of implemented APIs: apiKey → schema. To add an API, write its schema file and add one
// import line and one list entry below (keep this a plain list).
import type { RequestData, ResponseData } from '../schema/infer';
import type { ApiSchema } from '../schema/types';
import { produceSchema } from './produce';
import { fetchSchema } from './fetch';
import { listOffsetsSchema } from './list-offsets';
import { metadataSchema } from './metadata';
import { offsetCommitSchema } from './offset-commit';
import { offsetFetchSchema } from './offset-fetch';
import { findCoordinatorSchema } from './find-coordinator';
import { joinGroupSchema } from './join-group';
import { heartbeatSchema } from './heartbeat';
import { leaveGroupSchema } from './leave-group';
import { syncGroupSchema } from './sync-group';
import { describeGroupsSchema } from './describe-groups';
import { listGroupsSchema } from './list-groups';
import { saslHandshakeSchema } from './sasl-handshake';
import { apiVersionsSchema } from './api-versions';
import { createTopicsSchema } from './create-topics';
import { deleteTopicsSchema } from './delete-topics';
import { deleteRecordsSchema } from './delete-records';
import { initProducerIdSchema } from './init-producer-id';
import { offsetForLeaderEpochSchema } from './offset-for-leader-epoch';
import { describeAclsSchema } from './describe-acls';
import { createAclsSchema } from './create-acls';
import { deleteAclsSchema } from './delete-acls';
import { describeConfigsSchema } from './describe-configs';
import { alterConfigsSchema } from './alter-configs';
import { saslAuthenticateSchema } from './sasl-authenticate';
import { createPartitionsSchema } from './create-partitions';
import { electLeadersSchema } from './elect-leaders';
import { alterPartitionReassignmentsSchema } from './alter-partition-reassignments';
import { listPartitionReassignmentsSchema } from './list-partition-reassignments';
import { deleteGroupsSchema } from './delete-groups';
import { offsetDeleteSchema } from './offset-delete';
import { incrementalAlterConfigsSchema } from './incremental-alter-configs';
import { describeClientQuotasSchema } from './describe-client-quotas';
import { alterClientQuotasSchema } from './alter-client-quotas';
import { describeClusterSchema } from './describe-cluster';
import { describeUserScramCredentialsSchema } from './describe-user-scram-credentials';
import { alterUserScramCredentialsSchema } from './alter-user-scram-credentials';
import { consumerGroupHeartbeatSchema } from './consumer-group-heartbeat';
import { addPartitionsToTxnSchema } from './add-partitions-to-txn';
import { addOffsetsToTxnSchema } from './add-offsets-to-txn';
import { endTxnSchema } from './end-txn';
import { writeTxnMarkersSchema } from './write-txn-markers';
import { txnOffsetCommitSchema } from './txn-offset-commit';
import { describeProducersSchema } from './describe-producers';
import { describeTransactionsSchema } from './describe-transactions';
import { listTransactionsSchema } from './list-transactions';
import { shareGroupHeartbeatSchema } from './share-group-heartbeat';
import { shareGroupDescribeSchema } from './share-group-describe';
import { shareFetchSchema } from './share-fetch';
import { shareAcknowledgeSchema } from './share-acknowledge';
import { describeShareGroupOffsetsSchema } from './describe-share-group-offsets';
import { alterShareGroupOffsetsSchema } from './alter-share-group-offsets';
import { deleteShareGroupOffsetsSchema } from './delete-share-group-offsets';
import { deleteShareGroupStateSchema, readShareGroupStateSchema, readShareGroupStateSummarySchema, writeShareGroupStateSchema } from './share-group-state';

export const apiSchemas = [
  produceSchema,
  fetchSchema,
  listOffsetsSchema,
  metadataSchema,
  offsetCommitSchema,
  offsetFetchSchema,
  findCoordinatorSchema,
  joinGroupSchema,
  heartbeatSchema,
  leaveGroupSchema,
  syncGroupSchema,
  describeGroupsSchema,
  listGroupsSchema,
  saslHandshakeSchema,
  apiVersionsSchema,
  createTopicsSchema,
  deleteTopicsSchema,
  deleteRecordsSchema,
  initProducerIdSchema,
  offsetForLeaderEpochSchema,
  describeAclsSchema,
  createAclsSchema,
  deleteAclsSchema,
  describeConfigsSchema,
  alterConfigsSchema,
  saslAuthenticateSchema,
  createPartitionsSchema,
  deleteGroupsSchema,
  electLeadersSchema,
  alterPartitionReassignmentsSchema,
  listPartitionReassignmentsSchema,
  offsetDeleteSchema,
  incrementalAlterConfigsSchema,
  describeClientQuotasSchema,
  alterClientQuotasSchema,
  describeUserScramCredentialsSchema,
  alterUserScramCredentialsSchema,
  describeClusterSchema,
  consumerGroupHeartbeatSchema,
  addPartitionsToTxnSchema,
  addOffsetsToTxnSchema,
  endTxnSchema,
  writeTxnMarkersSchema,
  txnOffsetCommitSchema,
  describeProducersSchema,
  describeTransactionsSchema,
  listTransactionsSchema,
  shareGroupHeartbeatSchema,
  shareGroupDescribeSchema,
  shareFetchSchema,
  shareAcknowledgeSchema,
  describeShareGroupOffsetsSchema,
  alterShareGroupOffsetsSchema,
  deleteShareGroupOffsetsSchema,
  readShareGroupStateSchema,
  writeShareGroupStateSchema,
  readShareGroupStateSummarySchema,
  deleteShareGroupStateSchema,
] as const satisfies readonly ApiSchema[];

export {
  produceSchema,
  fetchSchema,
  listOffsetsSchema,
  metadataSchema,
  offsetCommitSchema,
  offsetFetchSchema,
  findCoordinatorSchema,
  joinGroupSchema,
  heartbeatSchema,
  leaveGroupSchema,
  syncGroupSchema,
  describeGroupsSchema,
  listGroupsSchema,
  saslHandshakeSchema,
  apiVersionsSchema,
  createTopicsSchema,
  deleteTopicsSchema,
  deleteRecordsSchema,
  initProducerIdSchema,
  offsetForLeaderEpochSchema,
  describeAclsSchema,
  createAclsSchema,
  deleteAclsSchema,
  describeConfigsSchema,
  alterConfigsSchema,
  saslAuthenticateSchema,
  createPartitionsSchema,
  deleteGroupsSchema,
  electLeadersSchema,
  alterPartitionReassignmentsSchema,
  listPartitionReassignmentsSchema,
  offsetDeleteSchema,
  incrementalAlterConfigsSchema,
  describeClientQuotasSchema,
  alterClientQuotasSchema,
  describeUserScramCredentialsSchema,
  alterUserScramCredentialsSchema,
  describeClusterSchema,
  consumerGroupHeartbeatSchema,
  addPartitionsToTxnSchema,
  addOffsetsToTxnSchema,
  endTxnSchema,
  writeTxnMarkersSchema,
  txnOffsetCommitSchema,
  describeProducersSchema,
  describeTransactionsSchema,
  listTransactionsSchema,
  shareGroupHeartbeatSchema,
  shareGroupDescribeSchema,
  shareFetchSchema,
  shareAcknowledgeSchema,
  describeShareGroupOffsetsSchema,
  alterShareGroupOffsetsSchema,
  deleteShareGroupOffsetsSchema,
  readShareGroupStateSchema,
  writeShareGroupStateSchema,
  readShareGroupStateSummarySchema,
  deleteShareGroupStateSchema,
};

/** Decoded request/response body types per API (absent fields hold their defaults). */
export type ProduceRequest = RequestData<typeof produceSchema>;
export type ProduceResponse = ResponseData<typeof produceSchema>;
export type FetchRequest = RequestData<typeof fetchSchema>;
export type FetchResponse = ResponseData<typeof fetchSchema>;
export type ListOffsetsRequest = RequestData<typeof listOffsetsSchema>;
export type ListOffsetsResponse = ResponseData<typeof listOffsetsSchema>;
export type MetadataRequest = RequestData<typeof metadataSchema>;
export type MetadataResponse = ResponseData<typeof metadataSchema>;
export type OffsetCommitRequest = RequestData<typeof offsetCommitSchema>;
export type OffsetCommitResponse = ResponseData<typeof offsetCommitSchema>;
export type OffsetFetchRequest = RequestData<typeof offsetFetchSchema>;
export type OffsetFetchResponse = ResponseData<typeof offsetFetchSchema>;
export type FindCoordinatorRequest = RequestData<typeof findCoordinatorSchema>;
export type FindCoordinatorResponse = ResponseData<typeof findCoordinatorSchema>;
export type JoinGroupRequest = RequestData<typeof joinGroupSchema>;
export type JoinGroupResponse = ResponseData<typeof joinGroupSchema>;
export type HeartbeatRequest = RequestData<typeof heartbeatSchema>;
export type HeartbeatResponse = ResponseData<typeof heartbeatSchema>;
export type LeaveGroupRequest = RequestData<typeof leaveGroupSchema>;
export type LeaveGroupResponse = ResponseData<typeof leaveGroupSchema>;
export type SyncGroupRequest = RequestData<typeof syncGroupSchema>;
export type SyncGroupResponse = ResponseData<typeof syncGroupSchema>;
export type DescribeGroupsRequest = RequestData<typeof describeGroupsSchema>;
export type DescribeGroupsResponse = ResponseData<typeof describeGroupsSchema>;
export type ListGroupsRequest = RequestData<typeof listGroupsSchema>;
export type ListGroupsResponse = ResponseData<typeof listGroupsSchema>;
export type SaslHandshakeRequest = RequestData<typeof saslHandshakeSchema>;
export type SaslHandshakeResponse = ResponseData<typeof saslHandshakeSchema>;
export type ApiVersionsRequest = RequestData<typeof apiVersionsSchema>;
export type ApiVersionsResponse = ResponseData<typeof apiVersionsSchema>;
export type CreateTopicsRequest = RequestData<typeof createTopicsSchema>;
export type CreateTopicsResponse = ResponseData<typeof createTopicsSchema>;
export type DeleteTopicsRequest = RequestData<typeof deleteTopicsSchema>;
export type DeleteTopicsResponse = ResponseData<typeof deleteTopicsSchema>;
export type DeleteRecordsRequest = RequestData<typeof deleteRecordsSchema>;
export type DeleteRecordsResponse = ResponseData<typeof deleteRecordsSchema>;
export type InitProducerIdRequest = RequestData<typeof initProducerIdSchema>;
export type InitProducerIdResponse = ResponseData<typeof initProducerIdSchema>;
export type OffsetForLeaderEpochRequest = RequestData<typeof offsetForLeaderEpochSchema>;
export type OffsetForLeaderEpochResponse = ResponseData<typeof offsetForLeaderEpochSchema>;
export type DescribeAclsRequest = RequestData<typeof describeAclsSchema>;
export type DescribeAclsResponse = ResponseData<typeof describeAclsSchema>;
export type CreateAclsRequest = RequestData<typeof createAclsSchema>;
export type CreateAclsResponse = ResponseData<typeof createAclsSchema>;
export type DeleteAclsRequest = RequestData<typeof deleteAclsSchema>;
export type DeleteAclsResponse = ResponseData<typeof deleteAclsSchema>;
export type DescribeConfigsRequest = RequestData<typeof describeConfigsSchema>;
export type DescribeConfigsResponse = ResponseData<typeof describeConfigsSchema>;
export type AlterConfigsRequest = RequestData<typeof alterConfigsSchema>;
export type AlterConfigsResponse = ResponseData<typeof alterConfigsSchema>;
export type SaslAuthenticateRequest = RequestData<typeof saslAuthenticateSchema>;
export type SaslAuthenticateResponse = ResponseData<typeof saslAuthenticateSchema>;
export type CreatePartitionsRequest = RequestData<typeof createPartitionsSchema>;
export type ElectLeadersRequest = RequestData<typeof electLeadersSchema>;
export type ElectLeadersResponse = ResponseData<typeof electLeadersSchema>;
export type AlterPartitionReassignmentsRequest = RequestData<typeof alterPartitionReassignmentsSchema>;
export type AlterPartitionReassignmentsResponse = ResponseData<typeof alterPartitionReassignmentsSchema>;
export type ListPartitionReassignmentsRequest = RequestData<typeof listPartitionReassignmentsSchema>;
export type ListPartitionReassignmentsResponse = ResponseData<typeof listPartitionReassignmentsSchema>;
export type CreatePartitionsResponse = ResponseData<typeof createPartitionsSchema>;
export type DeleteGroupsRequest = RequestData<typeof deleteGroupsSchema>;
export type DeleteGroupsResponse = ResponseData<typeof deleteGroupsSchema>;
export type IncrementalAlterConfigsRequest = RequestData<typeof incrementalAlterConfigsSchema>;
export type IncrementalAlterConfigsResponse = ResponseData<typeof incrementalAlterConfigsSchema>;
export type DescribeClientQuotasRequest = RequestData<typeof describeClientQuotasSchema>;
export type DescribeClientQuotasResponse = ResponseData<typeof describeClientQuotasSchema>;
export type AlterClientQuotasRequest = RequestData<typeof alterClientQuotasSchema>;
export type AlterClientQuotasResponse = ResponseData<typeof alterClientQuotasSchema>;
export type DescribeUserScramCredentialsRequest = RequestData<typeof describeUserScramCredentialsSchema>;
export type DescribeUserScramCredentialsResponse = ResponseData<typeof describeUserScramCredentialsSchema>;
export type AlterUserScramCredentialsRequest = RequestData<typeof alterUserScramCredentialsSchema>;
export type AlterUserScramCredentialsResponse = ResponseData<typeof alterUserScramCredentialsSchema>;
export type DescribeClusterRequest = RequestData<typeof describeClusterSchema>;
export type DescribeClusterResponse = ResponseData<typeof describeClusterSchema>;
export type ConsumerGroupHeartbeatRequest = RequestData<typeof consumerGroupHeartbeatSchema>;
export type ConsumerGroupHeartbeatResponse = ResponseData<typeof consumerGroupHeartbeatSchema>;
export type AddPartitionsToTxnRequest = RequestData<typeof addPartitionsToTxnSchema>;
export type AddPartitionsToTxnResponse = ResponseData<typeof addPartitionsToTxnSchema>;
export type AddOffsetsToTxnRequest = RequestData<typeof addOffsetsToTxnSchema>;
export type AddOffsetsToTxnResponse = ResponseData<typeof addOffsetsToTxnSchema>;
export type EndTxnRequest = RequestData<typeof endTxnSchema>;
export type EndTxnResponse = ResponseData<typeof endTxnSchema>;
export type WriteTxnMarkersRequest = RequestData<typeof writeTxnMarkersSchema>;
export type WriteTxnMarkersResponse = ResponseData<typeof writeTxnMarkersSchema>;
export type TxnOffsetCommitRequest = RequestData<typeof txnOffsetCommitSchema>;
export type TxnOffsetCommitResponse = ResponseData<typeof txnOffsetCommitSchema>;
export type DescribeProducersRequest = RequestData<typeof describeProducersSchema>;
export type DescribeProducersResponse = ResponseData<typeof describeProducersSchema>;
export type DescribeTransactionsRequest = RequestData<typeof describeTransactionsSchema>;
export type DescribeTransactionsResponse = ResponseData<typeof describeTransactionsSchema>;
export type ListTransactionsRequest = RequestData<typeof listTransactionsSchema>;
export type ListTransactionsResponse = ResponseData<typeof listTransactionsSchema>;
export type ShareGroupHeartbeatRequest = RequestData<typeof shareGroupHeartbeatSchema>;
export type ShareGroupHeartbeatResponse = ResponseData<typeof shareGroupHeartbeatSchema>;
export type ShareGroupDescribeRequest = RequestData<typeof shareGroupDescribeSchema>;
export type ShareGroupDescribeResponse = ResponseData<typeof shareGroupDescribeSchema>;
export type ShareFetchRequest = RequestData<typeof shareFetchSchema>;
export type ShareFetchResponse = ResponseData<typeof shareFetchSchema>;
export type ShareAcknowledgeRequest = RequestData<typeof shareAcknowledgeSchema>;
export type ShareAcknowledgeResponse = ResponseData<typeof shareAcknowledgeSchema>;
export type ReadShareGroupStateRequest = RequestData<typeof readShareGroupStateSchema>;
export type ReadShareGroupStateResponse = ResponseData<typeof readShareGroupStateSchema>;
export type WriteShareGroupStateRequest = RequestData<typeof writeShareGroupStateSchema>;
export type WriteShareGroupStateResponse = ResponseData<typeof writeShareGroupStateSchema>;
export type ReadShareGroupStateSummaryRequest = RequestData<typeof readShareGroupStateSummarySchema>;
export type ReadShareGroupStateSummaryResponse = ResponseData<typeof readShareGroupStateSummarySchema>;
export type DeleteShareGroupStateRequest = RequestData<typeof deleteShareGroupStateSchema>;
export type DeleteShareGroupStateResponse = ResponseData<typeof deleteShareGroupStateSchema>;
export type DescribeShareGroupOffsetsRequest = RequestData<typeof describeShareGroupOffsetsSchema>;
export type DescribeShareGroupOffsetsResponse = ResponseData<typeof describeShareGroupOffsetsSchema>;
export type AlterShareGroupOffsetsRequest = RequestData<typeof alterShareGroupOffsetsSchema>;
export type AlterShareGroupOffsetsResponse = ResponseData<typeof alterShareGroupOffsetsSchema>;
export type DeleteShareGroupOffsetsRequest = RequestData<typeof deleteShareGroupOffsetsSchema>;
export type DeleteShareGroupOffsetsResponse = ResponseData<typeof deleteShareGroupOffsetsSchema>;
