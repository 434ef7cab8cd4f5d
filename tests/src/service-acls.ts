// The least-privilege ACLs the README documents per service, as kafkajs ACL entries a test can create and prove sufficient.
import kafkajs from 'kafkajs';
import type { AclEntry } from 'kafkajs';
import { topicFor } from '@sluice/schemas';

/** The edge gateway publishes `http_requests` and `access_requests`; see the README's "Kafka ACLs" table. */
// kafkajs is CommonJS: its enums are properties of the default export, not named exports.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

export function edgeAcls(user: string): AclEntry[] {
  const principal = `User:${user}`;
  const allow = (resourceType: AclEntry['resourceType'], resourceName: string, operation: AclEntry['operation'], prefixed = false): AclEntry => ({
    resourceType,
    resourceName,
    resourcePatternType: prefixed ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    principal,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  const topics = [topicFor('http_requests'), topicFor('access_requests')];
  return [
    ...topics.flatMap((topic) =>
      [AclOperationTypes.DESCRIBE, AclOperationTypes.CREATE, AclOperationTypes.WRITE, AclOperationTypes.READ, AclOperationTypes.DESCRIBE_CONFIGS].map((operation) =>
        allow(AclResourceTypes.TOPIC, topic, operation),
      ),
    ),
    // The replay after an outage reads back what landed, in a throwaway group of this prefix.
    allow(AclResourceTypes.GROUP, 'sluice-edge-presence-', AclOperationTypes.READ, true),
    allow(AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.IDEMPOTENT_WRITE),
  ];
}
