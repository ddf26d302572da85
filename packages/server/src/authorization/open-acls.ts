// Turns the authorizer on from the broker's keys: authorizer.class.name, super.users and
// allow.everyone.if.no.acl.found. The ACLs load from the metadata store the topics live in (meta/
// files on one node, etcd in a cluster) and follow its changes. Tenants' principals are granted
// their tenant's resource prefix.
import { AclStore, StandardAuthorizer, authorizerEnabled, parseSuperUsers } from '@mq/acl';
import type { MetadataStore } from '@mq/metadata';
import type { Tenants } from '@mq/quota';
import type { Logger } from 'pino';
import type { BrokerConfig } from '../broker-config';

/** The started AclStore, or undefined when no authorizer is configured. */
export function openAcls(config: BrokerConfig, store: MetadataStore, logger: Logger, tenants?: Tenants): AclStore | undefined {
  if (!authorizerEnabled(config.authorizerClassName)) return undefined;
  const superUsers = parseSuperUsers(config.superUsers);
  // A tenant's principals may use its resources (topics, groups, transactional ids under its prefix).
  const prefixGrants = tenants === undefined ? undefined : (principal: string) => (tenants.enabled ? tenants.of(principal)?.resourcePrefix : undefined);
  const authorizer = new StandardAuthorizer({ superUsers, allowEveryoneIfNoAclFound: config.allowEveryoneIfNoAclFound, prefixGrants });
  const acls = new AclStore(store, authorizer, (keys) => logger.warn({ keys }, 'stored ACL entries that are not ACL bindings were skipped'));
  acls.start();
  logger.info(
    { authorizer: config.authorizerClassName, acls: authorizer.aclCount, superUsers, allowEveryoneIfNoAclFound: config.allowEveryoneIfNoAclFound },
    'authorizer on: requests are checked against ACLs',
  );
  return acls;
}
