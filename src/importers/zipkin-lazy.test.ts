import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateTraceText } from '../generator/generate-text.ts'
import { LazySpanRecord } from '../model/lazy-span.ts'
import { StatusCode } from '../model/span-record.ts'
import type { ImportResult, SpanRecord } from '../model/span-record.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { walkJsonDocument } from './stream-json.ts'
import { expectSkimKeepsParse as expectSkimContract, often } from './testing/skim-contract.ts'
import { importZipkinV1, importZipkinV2, skimV2Tags, zipkinV1Importer, zipkinV2Importer } from './zipkin.ts'

/**
 * Deferred details (`LazySpanRecord`) against details read at once: the same records and the
 * same warnings, whatever the input. `toEqual` compares a lazy record as the plain record it
 * reads as (see the Vitest setup), so these tests read every deferred detail.
 */

const FIXTURE_DIR = new URL('../../fixtures/zipkin/', import.meta.url)
const FIXTURES = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.json'))

function parse(text: string): unknown {
  const documents = parseJsonDocuments(text)
  expect(documents).toHaveLength(1)
  return documents[0]
}

const isDeferred = (span: SpanRecord) => span instanceof LazySpanRecord && span.isDeferred

/** Imports twice (deferred, then eager) and checks that both read alike; returns the deferred import. */
function expectSameEitherWay(document: unknown, read = importZipkinV2): ImportResult {
  const deferred = read(document)
  const eager = read(document, { deferDetails: false })
  expect(eager.spans.some((span) => span instanceof LazySpanRecord)).toBe(false)
  expect(deferred.warnings).toEqual(eager.warnings)
  // Warnings are complete before any detail is read: per-span ones too.
  expect(deferred.spans.map((span) => span.warnings)).toEqual(eager.spans.map((span) => span.warnings))
  const deferredFlags = deferred.spans.map(isDeferred)
  expect(deferred.spans).toEqual(eager.spans)
  return { spans: deferred.spans.filter((_span, i) => deferredFlags[i]), warnings: deferred.warnings }
}

describe('Zipkin details read on first use', () => {
  it.each(FIXTURES)('zipkin/%s reads the same deferred and eager', (name) => {
    const document = parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'))
    const isV1 = zipkinV1Importer.detect(document)
    expect(isV1 || zipkinV2Importer.detect(document)).toBe(true)
    const deferred = expectSameEitherWay(document, isV1 ? importZipkinV1 : importZipkinV2)
    // v1 spans are converted eagerly; v2 fixtures are clean, so every span is deferred.
    if (isV1) expect(deferred.spans).toHaveLength(0)
    else expect(deferred.spans).toHaveLength(zipkinV2Importer.importDocument(document).spans.length)
  })

  it('defers every span of generated input, and reads it as the eager import does', () => {
    const document = parse([...generateTraceText({ format: 'zipkin-json', spanCount: 3000, traceCount: 4, seed: 7 })].join(''))
    const result = importZipkinV2(document)
    expect(result.spans).toHaveLength(3000)
    expect(result.spans.every(isDeferred)).toBe(true)
    expect(result.spans.some((span) => span.statusCode === StatusCode.Error)).toBe(true)
    expect(expectSameEitherWay(document).spans).toHaveLength(3000)
  })

  it('reads a deferred record once, and then it is no longer deferred', () => {
    const [span] = importZipkinV2(parse('[{"traceId":"a","id":"1","localEndpoint":{"serviceName":"s"},"tags":{"k":"v"}}]')).spans
    expect(span && isDeferred(span)).toBe(true)
    expect(span?.attributes).toEqual([{ key: 'k', value: 'v' }])
    expect(span?.attributes).toBe(span?.attributes)
    expect(span && isDeferred(span)).toBe(false)
  })

  const span = (fields: string) => `{"traceId":"abc","id":"1","name":"op","timestamp":10,"duration":5,"localEndpoint":{"serviceName":"svc"},${fields}}`

  it.each([
    ['a tag without a value', span('"tags":{"a":"x","b":null}')],
    ['an annotation without a timestamp', span('"annotations":[{"value":"v"}]')],
    ['an annotation with an unreadable timestamp', span('"annotations":[{"timestamp":"soon","value":"v"}]')],
    ['an annotation without a value', span('"annotations":[{"timestamp":12,"value":null}]')],
    ['an annotation that is not an object', span('"annotations":[3]')],
  ])('reads a span with %s at once, warning as before', (_what, text) => {
    const document = parse(`[${text}]`)
    const result = importZipkinV2(document)
    expect(result.spans.some(isDeferred)).toBe(false)
    expect(result.spans[0]?.warnings?.length).toBeGreaterThan(0)
    expectSameEitherWay(document)
  })

  it('reads at once objects not made by a JSON parser (inherited fields are not read)', () => {
    const item = Object.create({ tags: { inherited: 'x' } }) as Record<string, unknown>
    Object.assign(item, { traceId: 'a', id: '1', localEndpoint: { serviceName: 's' } })
    const tags = Object.create({ error: 'inherited' }) as Record<string, unknown>
    tags.k = 'v'
    const document = [item, { traceId: 'a', id: '2', parentId: '1', tags }]
    const result = importZipkinV2(document)
    expect(result.spans.some(isDeferred)).toBe(false)
    expect(result.spans[1]?.statusCode).toBe(StatusCode.Unset)
    expectSameEitherWay(document)
  })

  it.each([
    ['"error" and otel status tags', span('"tags":{"otel.status_code":"ERROR","otel.status_description":"deadline","error":"timeout","a":"b"}')],
    ['an empty "error" tag', span('"tags":{"error":""}')],
    ['otel status tags alone', span('"tags":{"otel.status_code":"ok","x":"1"}')],
    ['an otel status code it does not know', span('"tags":{"otel.status_code":"MAYBE"}')],
    ['tags of every JSON type', span('"tags":{"n":1.5,"t":true,"o":{"d":[1,"x"]},"big":12345678901234567890,"":""}')],
    ['a "__proto__" tag', span('"tags":{"__proto__":"p","constructor":"c"}')],
    [
      'a remote endpoint and a tag of the same name',
      span('"kind":"CLIENT","remoteEndpoint":{"serviceName":"db","ipv6":"::1","port":5432},"tags":{"peer.service":"mine"}'),
    ],
    ['debug and annotations', span('"debug":true,"annotations":[{"timestamp":"11","value":"a"},{"timestamp":12,"value":7}]')],
    ['wrong types in the fields that decide the trace', span('"parentId":{},"kind":7,"timestamp":"soon","duration":[],"tags":"none","annotations":{}')],
    ['upper-case, short and all-zero ids', '{"traceId":"ABC","id":"1A","parentId":"0000000000000000","tags":{"a":"b"}}'],
  ])('defers a span with %s and reads it as the eager import does', (_what, text) => {
    const document = parse(`[${text}]`)
    const result = importZipkinV2(document)
    expect(result.spans.every(isDeferred)).toBe(true)
    expectSameEitherWay(document)
  })

  it('defers shared client and server halves: new ids, parents and services as eager', () => {
    const document = parse(
      JSON.stringify([
        { traceId: 't', id: 'a', kind: 'SERVER', localEndpoint: { serviceName: 'front' }, timestamp: 1, duration: 100 },
        {
          traceId: 't',
          id: 'b',
          parentId: 'a',
          kind: 'CLIENT',
          localEndpoint: { serviceName: 'front' },
          remoteEndpoint: { serviceName: 'back' },
          timestamp: 2,
          duration: 50,
          tags: { x: 'y' },
        },
        { traceId: 't', id: 'b', parentId: 'a', kind: 'SERVER', shared: true, timestamp: 3, duration: 40, tags: { z: '1' } },
        { traceId: 't', id: 'c', parentId: 'b', localEndpoint: { serviceName: 'back' }, timestamp: 4, duration: 10 },
        { traceId: 't', id: 'd', parentId: 'b', timestamp: 5, duration: 1 },
      ]),
    )
    const result = importZipkinV2(document)
    expect(result.spans.every(isDeferred)).toBe(true)
    expect(result.spans[2]).toMatchObject({ originalSpanId: '000000000000000b', service: 'back' })
    expectSameEitherWay(document)
  })

  it('v1 spans are read at once, repeated keys warned as before', () => {
    const document = parse(
      JSON.stringify([
        {
          traceId: 'a',
          id: '1',
          name: 'get',
          annotations: [{ timestamp: 1, value: 'sr', endpoint: { serviceName: 's' } }],
          binaryAnnotations: [
            { key: 'k', value: 'one', endpoint: { serviceName: 's' } },
            { key: 'k', value: 'two', endpoint: { serviceName: 's' } },
          ],
        },
      ]),
    )
    const result = importZipkinV1(document)
    expect(result.spans.some((span) => span instanceof LazySpanRecord)).toBe(false)
    expect(result.warnings.map((warning) => warning.kind)).toEqual(['duplicate-attribute'])
    expectSameEitherWay(document, importZipkinV1)
  })

  it('the stream reader defers as the document importer does', () => {
    const document = parse([...generateTraceText({ format: 'zipkin-json', spanCount: 500, seed: 3 })].join(''))
    const reader = zipkinV2Importer.createStreamReader?.(document)
    if (!reader) throw new Error('no stream reader')
    walkJsonDocument(document as object, reader)
    const streamed = reader.result()
    expect(streamed.spans.every(isDeferred)).toBe(true)
    expect(streamed).toEqual(importZipkinV2(document, { deferDetails: false }))
  })
})

const STATUS_TAGS = new Set(['error', 'otel.status_code', 'otel.status_description'])

/** The parse with every object under a key ending in "tags" that skimming may empty (string values, no status key) emptied. */
function withSkimmableTagsEmptied(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSkimmableTagsEmptied)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(value)) {
    const isSkimmable =
      key.endsWith('tags') &&
      typeof member === 'object' &&
      member !== null &&
      !Array.isArray(member) &&
      Object.entries(member).every(([k, v]) => typeof v === 'string' && !STATUS_TAGS.has(k))
    out[key] = isSkimmable ? {} : withSkimmableTagsEmptied(member)
  }
  return out
}

/** The skim contract (`expectSkimKeepsParse`) for `skimV2Tags` on the items of a spans array. */
function expectSkimKeepsParse(text: string): void {
  expectSkimContract(text, skimV2Tags, withSkimmableTagsEmptied, (items) => `[${items}]`)
}

describe('skimV2Tags', () => {
  it('empties tags objects of string values without a status key, and leaves any other', () => {
    const cases: Array<[string, string]> = [
      ['{"id":"a","tags":{"http.method":"GET","q":"say \\"hi\\" \\\\ \\u00e9"}}', '{"id":"a","tags":{}}'],
      ['{"tags":{}}', '{"tags":{}}'],
      // A status key, or a key spelt with escapes (it could spell one), or a value not a string: left.
      ['{"tags":{"a":"1","error":"boom"}}', '{"tags":{"a":"1","error":"boom"}}'],
      ['{"tags":{"otel.status_code":"ERROR"}}', '{"tags":{"otel.status_code":"ERROR"}}'],
      ['{"tags":{"err\\u006fr":"boom"}}', '{"tags":{"err\\u006fr":"boom"}}'],
      ['{"tags":{"a":null}}', '{"tags":{"a":null}}'],
      ['{"tags":{"a":1}}', '{"tags":{"a":1}}'],
      // Not as JSON.stringify writes it, or not JSON: left to the parse.
      ['{"tags": {"a":"b"}}', '{"tags": {"a":"b"}}'],
      ['{"tags":{"a":"b",}}', '{"tags":{"a":"b",}}'],
      ['{"tags":{"a":"\\x"}}', '{"tags":{"a":"\\x"}}'],
      ['{"tags":{"a":"\u0001"}}', '{"tags":{"a":"\u0001"}}'],
      // A key that ends in tags, and "tags" inside strings.
      ['{"my\\"tags":{"a":"b"},"n":"\\"tags\\":{\\"a\\":\\"b\\"}"}', '{"my\\"tags":{},"n":"\\"tags\\":{\\"a\\":\\"b\\"}"}'],
    ]
    for (const [text, skimmed] of cases) {
      expect([text, skimV2Tags(text)]).toEqual([text, skimmed])
      expectSkimKeepsParse(text)
    }
  })

  it('parses exactly when the text does, to the same values, whatever the text (property)', () => {
    // Tags objects near what skimming takes: mostly good JSON, with now and then a bad escape, a
    // control character, a stray quote, a status key, another value, a space or a trailing comma.
    const part = often(
      fc.constantFrom('a', 'b.c', 'tags', ' '),
      fc.constantFrom('error', 'otel.status_code', '\\', '\\"', '\\x', '\\u00', '\\u0041', '\u0001', '"', '{', '}', ',', ':'),
    )
    const string = fc.array(part, { maxLength: 4 }).map((parts) => `"${parts.join('')}"`)
    const value = often(string, fc.constantFrom('null', '1', '{}', '[]', 'true', '{"a":"b"}'))
    const pair = fc.tuple(string, often(fc.constant(':'), fc.constantFrom(' :', '')), value).map((parts) => parts.join(''))
    const key = often(fc.constant('"tags":'), fc.constantFrom('"tags": ', '"my\\"tags":', '"\\"tags":', '\\"tags":', 'tags":'))
    const tags = fc
      .tuple(key, fc.array(pair, { maxLength: 4 }), often(fc.constant(''), fc.constantFrom(',', ' ')))
      .map(([k, pairs, tail]) => `${k}{${pairs.join(',')}${tail}}`)
    const span = fc
      .tuple(
        often(fc.constantFrom('{', '{"id":"a",'), fc.constantFrom('{"n":"', '[')),
        tags,
        often(fc.constantFrom('}', ',"b":1}'), fc.constantFrom('"}', '', ']')),
      )
      .map((parts) => parts.join(''))
    fc.assert(
      fc.property(fc.array(span, { minLength: 1, maxLength: 3 }), (spans) => expectSkimKeepsParse(spans.join(','))),
      { numRuns: 5000 },
    )
    // Valid spans, then cut or with a character dropped: near-misses of JSON.
    const tagsValue = fc.dictionary(
      fc.constantFrom('a', 'b', 'error', 'otel.status_code', 'q"uote', 'tags'),
      fc.oneof(fc.string(), fc.constant(null), fc.integer()),
    )
    const valid = fc.record({ id: fc.string(), tags: tagsValue, remoteEndpoint: fc.record({ tags: tagsValue }) })
    fc.assert(
      fc.property(fc.array(valid, { maxLength: 4 }), fc.nat(), fc.boolean(), (spans, at, isCut) => {
        const text = spans.map((item) => JSON.stringify(item)).join(',')
        expectSkimKeepsParse(text)
        const k = text.length === 0 ? 0 : at % text.length
        expectSkimKeepsParse(isCut ? text.slice(0, k) : text.slice(0, k) + text.slice(k + 1))
      }),
      { numRuns: 2000 },
    )
  })
})
