// A zone's custom fields resolved to what survives in each map field of http_requests.

export interface CustomFieldSet {
  /** Lower-case request header names kept in `RequestHeaders`. */
  readonly requestHeaders: readonly string[];
  /** Lower-case response header names kept in `ResponseHeaders`. */
  readonly responseHeaders: readonly string[];
  /** Case-sensitive cookie names kept in `Cookies`. */
  readonly cookies: readonly string[];
}

/** A zone without custom fields logs no headers and no cookies. */
export const NO_CUSTOM_FIELDS: CustomFieldSet = { requestHeaders: [], responseHeaders: [], cookies: [] };

/** Custom fields of every zone that has them, by zone id. */
export type CustomFieldsByZone = ReadonlyMap<string, CustomFieldSet>;
