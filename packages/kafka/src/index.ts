// Public surface of @sluice/kafka.
export { createKafkaClient, parseBrokers } from './kafka-client.js';
export type { KafkaClientOptions } from './kafka-client.js';
export { ensureTopics, DEFAULT_DATASET_PARTITIONS } from './topics.js';
export type { TopicSpec } from './topics.js';
export { committedOffsets, endOffsets, seedGroupOffsets } from './group-offsets.js';
export type { StartFrom, PartitionOffset, SeedOptions, SeedSource, SeededOffset } from './group-offsets.js';
export { createPositionLog, POSITION_TOPIC, POSITION_TOPIC_SPEC } from './position-log.js';
export type { JobPosition, PositionLog } from './position-log.js';
export { CONSUMER_FETCH_SETTINGS } from './consumer-settings.js';
export { createRecordProducer } from './record-producer.js';
export type { RecordProducer, RecordProducerOptions, OutgoingRecord } from './record-producer.js';
export { createSendPartitioner } from './send-partitioner.js';
export type { SendPartitioner } from './send-partitioner.js';
export { DEAD_LETTER_TOPIC, deadLetterHeaders } from './dead-letter.js';
export type { DeadLetterEntry } from './dead-letter.js';
