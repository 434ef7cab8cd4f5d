// Where the gateway's publisher thread module is, for startThreadedPublisher; importing that module itself would run it.

export const KAFKA_PUBLISHER_THREAD = new URL('./kafka-publisher-thread.js', import.meta.url);
