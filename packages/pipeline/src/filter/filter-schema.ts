// The filter's JSON shape as a TypeBox schema, for documentation and OpenAPI; parseFilter does the validating.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { FILTER_OPERATORS } from './filter-node.js';

export const FilterOperatorSchema = Type.Union(
  FILTER_OPERATORS.map((operator) => Type.Literal(operator)),
  { description: 'How the field is compared; which operators apply depends on the field type.' },
);

export const FilterConditionSchema = Type.Object(
  {
    key: Type.String({ description: 'A field of the job\'s dataset, e.g. "ClientRequestHost".' }),
    operator: FilterOperatorSchema,
    value: Type.Unknown({ description: 'A value of the field\'s type; an array for "in"/"!in".' }),
  },
  { additionalProperties: false },
);

/** `{"and": [Node...]}`, `{"or": [Node...]}` or a condition, nested freely. */
export const FilterNodeSchema = Type.Recursive(
  (Node) =>
    Type.Union([
      Type.Object({ and: Type.Array(Node, { minItems: 1 }) }, { additionalProperties: false }),
      Type.Object({ or: Type.Array(Node, { minItems: 1 }) }, { additionalProperties: false }),
      FilterConditionSchema,
    ]),
  { $id: 'FilterNode' },
);

/** The parsed content of a job's `filter` string (the job carries it as JSON text). */
export const FilterSchema = Type.Object(
  { where: FilterNodeSchema },
  { additionalProperties: false, description: 'Logpush job filter: only records matching "where" are pushed.' },
);

export type FilterDocument = Static<typeof FilterSchema>;
