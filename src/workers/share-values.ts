import type { Attribute, SpanRecord } from '../model/span-record.ts'

/**
 * Makes equal attributes one object within a batch of spans, before the batch is posted to the
 * page. Structured clone writes an object it has already written in the same message as a
 * back-reference, so every repeat of `{key: "http.method", value: "GET"}` in a batch costs the
 * page nothing to deserialize, and the page's heap holds it once. Only attributes with a
 * primitive value are shared; arrays that are frozen (shared constants) are left alone.
 *
 * Attributes are immutable, so replacing one by an equal one changes nothing observable.
 */
const MAX_SHARED_STRING = 24

export function shareEqualAttributes(spans: readonly SpanRecord[]): void {
  const byKey = new Map<string, Map<unknown, Attribute>>()
  const seenArrays = new Set<readonly Attribute[]>()
  const share = (list: readonly Attribute[]) => {
    if (list.length === 0 || seenArrays.has(list) || Object.isFrozen(list)) return
    seenArrays.add(list)
    const writable = list as Attribute[]
    for (let i = 0; i < writable.length; i++) {
      const attribute = writable[i] as Attribute
      const value = attribute.value
      // Numbers, booleans, bigints, null and short strings: equal values are the same Map key.
      // Long strings (URLs, statements, messages) rarely repeat and cost a hash each.
      if (typeof value === 'string' ? value.length > MAX_SHARED_STRING : value !== null && typeof value === 'object') continue
      let byValue = byKey.get(attribute.key)
      if (!byValue) {
        byValue = new Map()
        byKey.set(attribute.key, byValue)
      }
      const known = byValue.get(value)
      if (known === undefined) byValue.set(value, attribute)
      else if (known !== attribute) writable[i] = known
    }
  }
  for (const span of spans) {
    share(span.attributes)
    share(span.resource)
  }
}
