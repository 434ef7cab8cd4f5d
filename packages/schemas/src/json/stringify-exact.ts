// JSON.stringify that writes bigints as exact integers (`1700000000016478500`), never rounded doubles.

const BIGINT_MARK = '\u0000bigint:';
const MARKED_BIGINT = /"\\u0000bigint:(-?\d+)"/g;

export function stringifyExact(value: unknown): string {
  let sawBigint = false;
  const text =
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      sawBigint = true;
      return `${BIGINT_MARK}${v.toString()}`;
    }) ?? 'null';
  return sawBigint ? text.replace(MARKED_BIGINT, '$1') : text;
}
