import { expect } from 'vitest'
import { LazySpanRecord, materializeSpan } from '../lazy-span.ts'

/**
 * `toEqual` compares own properties, and a lazy span record keeps its details behind getters:
 * compare such a record as the plain record it reads as (details read), so that tests written
 * against plain records hold for lazy ones, field for field.
 */
expect.addEqualityTesters([
  function lazySpanRecords(a: unknown, b: unknown, customTesters) {
    if (!(a instanceof LazySpanRecord) && !(b instanceof LazySpanRecord)) return undefined
    const plainA = a instanceof LazySpanRecord ? materializeSpan(a) : a
    const plainB = b instanceof LazySpanRecord ? materializeSpan(b) : b
    return this.equals(plainA, plainB, customTesters)
  },
])
