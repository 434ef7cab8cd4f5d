// Public surface of @sluice/schemas: dataset catalogs, record scope, Kafka conventions, Avro and JSON codecs.
export { datasetNames, getDataset, isDatasetName } from './datasets/datasets.js';
export type { Dataset, DatasetName, FieldSpec } from './datasets/datasets.js';
export type { FieldKind } from './datasets/field-kind.js';
export { ACCOUNT_ID_FIELD, deriveHexId, isHexId, SCOPE_FIELDS, ZONE_ID_FIELD } from './scope.js';
export { ACCOUNT_ID_HEADER, topicFor, ZONE_ID_HEADER } from './kafka-conventions.js';
export type { DatasetRecord, DecodeErrorCode, DecodeResult, DecoderOptions, RecordDecoder, RecordEncoder } from './record.js';
export { avroSchemaFor } from './avro/schema.js';
export type { AvroField, AvroRecordSchema, AvroValueType } from './avro/schema.js';
export { createRecordEncoder } from './avro/encoder.js';
export { createRecordDecoder } from './decoder.js';
export { stringifyExact } from './json/stringify-exact.js';
export { parseExactJson } from './json/parse-exact-json.js';
export type { ExactJsonResult } from './json/parse-exact-json.js';
export { parseRfc3339Nanos } from './json/rfc3339.js';
// For decoders that read JSON their own way (the pipeline's projecting decoder): the same value rules and big-integer marks.
export { coerceJsonValue, INVALID } from './json/coerce.js';
export type { JsonFieldKind } from './json/coerce.js';
export { markBigIntegers } from './json/big-integers.js';
export { SchemaError } from './errors.js';
export type { SchemaErrorCode } from './errors.js';
