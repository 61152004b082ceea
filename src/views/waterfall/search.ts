import { attributeToString } from '../../model/attributes.ts'
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../../model/span-record.ts'
import type { Attribute, SpanRecord } from '../../model/span-record.ts'
import { spanIdAt } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * Search inside one trace. Pure.
 *
 * The query is whitespace-separated terms, all of which must match (quotes keep spaces:
 * `http.route="/api/a b"`). Case never matters.
 *
 * - `text`: a substring of the span name, service, span id, status message, an event name, or
 *   the key or value of a span, resource or event attribute.
 * - `key=value`: an attribute (span, resource or event) with that key whose value is `value`; `*` in
 *   the value is a wildcard (`http.url=*checkout*`); `key=` alone asks that the key exists.
 *   `key!=value` negates. The keys `service`, `name`, `span` (or `id`), `kind` and `status`
 *   also match those span fields: `service=redis`, `status=error`, `kind=server`.
 * - `duration>10ms`, `duration<=500us` (also `dur`): units ns, us/µs, ms, s, m, h.
 *
 * Cost: name and service terms are decided once per interned string; resource attribute
 * lists, which spans of one process share, are checked once per list.
 */

export type SearchTerm =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly key: string; readonly value: string; readonly isNegated: boolean }
  | { readonly kind: 'duration'; readonly op: '<' | '<=' | '>' | '>='; readonly ns: number }

const DURATION_UNITS_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9, h: 3600e9 }

/** Splits on whitespace outside double quotes, dropping the quotes. */
function tokenize(query: string): string[] {
  const tokens: string[] = []
  let current = ''
  let isQuoted = false
  let hasToken = false
  for (const char of query) {
    if (char === '"') {
      isQuoted = !isQuoted
      hasToken = true
    } else if (!isQuoted && /\s/.test(char)) {
      if (hasToken) tokens.push(current)
      current = ''
      hasToken = false
    } else {
      current += char
      hasToken = true
    }
  }
  if (hasToken) tokens.push(current)
  return tokens.filter((token) => token.length > 0)
}

export function parseSearch(query: string): SearchTerm[] {
  const terms: SearchTerm[] = []
  for (const token of tokenize(query)) {
    const duration = /^(?:duration|dur)\s*(<=|>=|<|>)\s*([\d.]+)\s*(ns|us|µs|ms|s|min|m|h)?$/i.exec(token)
    if (duration) {
      const value = Number(duration[2])
      const unit = (duration[3] ?? 'ms').toLowerCase()
      if (Number.isFinite(value)) {
        terms.push({ kind: 'duration', op: duration[1] as '<' | '<=' | '>' | '>=', ns: value * (DURATION_UNITS_NS[unit] ?? 1e6) })
        continue
      }
    }
    const equals = token.indexOf('=')
    if (equals > 0) {
      const isNegated = token[equals - 1] === '!'
      const key = token.slice(0, isNegated ? equals - 1 : equals).toLowerCase()
      if (key.length > 0) {
        terms.push({ kind: 'field', key, value: token.slice(equals + 1).toLowerCase(), isNegated })
        continue
      }
    }
    terms.push({ kind: 'text', text: token.toLowerCase() })
  }
  return terms
}

/** A matcher for a lower-cased value: exact, `*` wildcards, or (empty) anything. */
function valueMatcher(value: string): (candidate: string) => boolean {
  if (value === '') return () => true
  if (!value.includes('*')) return (candidate) => candidate.toLowerCase() === value
  const pattern = new RegExp(`^${value.split('*').map(escapeRegExp).join('.*')}$`, 's')
  return (candidate) => pattern.test(candidate.toLowerCase())
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A case-insensitive substring test that allocates nothing per call (no `toLowerCase` copies). */
type TextTest = (candidate: string) => boolean

function containsText(text: string): TextTest {
  const pattern = new RegExp(escapeRegExp(text), 'i')
  return (candidate) => pattern.test(candidate)
}

function attributesContain(attributes: readonly Attribute[], contains: TextTest): boolean {
  for (const attribute of attributes) {
    if (contains(attribute.key)) return true
    const value = attribute.value
    if (contains(typeof value === 'string' ? value : attributeToString(value))) return true
  }
  return false
}

function isSameKey(candidate: string, lowerKey: string): boolean {
  return candidate.length === lowerKey.length && (candidate === lowerKey || candidate.toLowerCase() === lowerKey)
}

function attributesHave(attributes: readonly Attribute[], key: string, matches: (value: string) => boolean): boolean {
  for (const attribute of attributes) if (isSameKey(attribute.key, key) && matches(attributeToString(attribute.value))) return true
  return false
}

type SpanTest = (index: number) => boolean

/** Caches a predicate on resource lists, which many spans share by reference. */
function perResource(test: (attributes: readonly Attribute[]) => boolean): (span: SpanRecord) => boolean {
  const cache = new WeakMap<readonly Attribute[], boolean>()
  return (span) => {
    const resource = span.resource
    if (resource.length === 0) return false
    let result = cache.get(resource)
    if (result === undefined) {
      result = test(resource)
      cache.set(resource, result)
    }
    return result
  }
}

/** 1 per interned string that satisfies `test`. */
function stringMask(strings: readonly string[], test: (text: string) => boolean): Uint8Array {
  const mask = new Uint8Array(strings.length)
  for (let i = 0; i < strings.length; i++) if (test(strings[i] as string)) mask[i] = 1
  return mask
}

function compileTerm(trace: Trace, term: SearchTerm): SpanTest {
  switch (term.kind) {
    case 'duration': {
      const { op, ns } = term
      const durations = trace.durationsNs
      if (op === '>') return (i) => (durations[i] as number) > ns
      if (op === '>=') return (i) => (durations[i] as number) >= ns
      if (op === '<') return (i) => (durations[i] as number) < ns
      return (i) => (durations[i] as number) <= ns
    }
    case 'text': {
      const contains = containsText(term.text)
      const names = stringMask(trace.names, contains)
      const services = stringMask(trace.services, contains)
      const inResource = perResource((attributes) => attributesContain(attributes, contains))
      return (i) => {
        if (names[trace.nameIndex[i] as number] === 1 || services[trace.serviceIndex[i] as number] === 1) return true
        if (contains(spanIdAt(trace, i))) return true
        // Until the span details arrive (after the trace is painted) only the columns are searched.
        const span = trace.spans[i]
        if (!span) return false
        if (span.statusMessage !== undefined && contains(span.statusMessage)) return true
        if (attributesContain(span.attributes, contains) || inResource(span)) return true
        for (const event of span.events) if (contains(event.name) || attributesContain(event.attributes, contains)) return true
        return false
      }
    }
    case 'field': {
      const matches = valueMatcher(term.value)
      const key = term.key
      const inResource = perResource((attributes) => attributesHave(attributes, key, matches))
      const field = fieldTest(trace, key, matches)
      const positive: SpanTest = (i) => {
        if (field?.(i)) return true
        const span = trace.spans[i]
        if (!span) return false
        if (attributesHave(span.attributes, key, matches) || inResource(span)) return true
        for (const event of span.events) if (attributesHave(event.attributes, key, matches)) return true
        return false
      }
      return term.isNegated ? (i) => !positive(i) : positive
    }
  }
}

/** The span fields a `key=value` term may name, besides attributes. */
function fieldTest(trace: Trace, key: string, matches: (value: string) => boolean): SpanTest | undefined {
  switch (key) {
    case 'service': {
      const mask = stringMask(trace.services, matches)
      return (i) => mask[trace.serviceIndex[i] as number] === 1
    }
    case 'name':
    case 'operation': {
      const mask = stringMask(trace.names, matches)
      return (i) => mask[trace.nameIndex[i] as number] === 1
    }
    case 'span':
    case 'spanid':
    case 'id':
      return (i) => {
        if (matches(spanIdAt(trace, i))) return true
        const original = trace.spans[i]?.originalSpanId
        return original !== undefined && matches(original)
      }
    case 'kind': {
      const mask = stringMask(SPAN_KIND_NAMES as unknown as string[], matches)
      return (i) => mask[trace.kind[i] as number] === 1
    }
    case 'status': {
      const mask = stringMask(STATUS_CODE_NAMES as unknown as string[], matches)
      return (i) => mask[trace.status[i] as number] === 1
    }
    default:
      return undefined
  }
}

/**
 * A search over one trace that can run in slices (`advance` until a deadline), so that a large
 * trace is searched without one long main-thread task. The terms are compiled once, at the start.
 */
export interface SearchRun {
  readonly trace: Trace
  readonly query: string
  /** Searches on until every span is done (true) or `performance.now()` passes `deadlineMs` (false). */
  advance(deadlineMs: number): boolean
  /** Indexes of the spans matching every term, ascending; undefined until `advance` has returned true. */
  readonly matches: Int32Array | undefined
}

/** Spans examined between two looks at the clock. */
const SPANS_PER_CLOCK_CHECK = 1024

export function startSearch(trace: Trace, query: string): SearchRun {
  const terms = parseSearch(query)
  const tests = terms.map((term) => compileTerm(trace, term))
  const found: number[] = []
  let next = terms.length === 0 ? trace.spanCount : 0
  let matches: Int32Array | undefined
  return {
    trace,
    query,
    get matches() {
      return matches
    },
    advance(deadlineMs) {
      while (next < trace.spanCount) {
        const end = Math.min(trace.spanCount, next + SPANS_PER_CLOCK_CHECK)
        for (let i = next; i < end; i++) {
          let isMatch = true
          for (const test of tests) {
            if (!test(i)) {
              isMatch = false
              break
            }
          }
          if (isMatch) found.push(i)
        }
        next = end
        if (next < trace.spanCount && performance.now() >= deadlineMs) return false
      }
      matches ??= Int32Array.from(found)
      return true
    },
  }
}

/** Indexes of the spans matching every term, ascending. An empty query matches nothing. */
export function searchTrace(trace: Trace, query: string): Int32Array {
  const run = startSearch(trace, query)
  run.advance(Infinity)
  return run.matches as Int32Array
}

/** 1 per matching span, for O(1) lookups while drawing. */
export function matchMask(trace: Trace, matches: Int32Array): Uint8Array {
  const mask = new Uint8Array(trace.spanCount)
  for (const index of matches) mask[index] = 1
  return mask
}

/** The position in `matches` of the first match at or after `spanIndex` (wrapping), for "next" from a selection. */
export function nextMatchFrom(matches: Int32Array, spanIndex: number | undefined, direction: 1 | -1): number {
  if (matches.length === 0) return -1
  if (spanIndex === undefined) return direction === 1 ? 0 : matches.length - 1
  // Binary search for the first match > spanIndex (direction 1) or the last < spanIndex (direction -1).
  let low = 0
  let high = matches.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((matches[mid] as number) <= spanIndex) low = mid + 1
    else high = mid
  }
  // `low` is the first match > spanIndex.
  if (direction === 1) return low < matches.length ? low : 0
  let before = low - 1
  if (before >= 0 && matches[before] === spanIndex) before--
  return before >= 0 ? before : matches.length - 1
}
