import { readFileSync, readdirSync } from 'node:fs'
import { fromBinary, fromJson } from '@bufbuild/protobuf'
import type { JsonValue } from '@bufbuild/protobuf'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateTraceText } from '../generator/generate-text.ts'
import { LazySpanRecord } from '../model/lazy-span.ts'
import type { ImportResult, SpanRecord } from '../model/span-record.ts'
import { importResourceSpans, otlpJsonImporter, readField, resourceSpansOf, skimOtlpAttributes } from './otlp.ts'
import type { OtlpReadOptions } from './otlp.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { TracesDataSchema } from './proto/generated/opentelemetry/proto/trace/v1/trace_pb.ts'
import { expectSkimKeepsParse as expectSkimContract, often } from './testing/skim-contract.ts'
import { isObject } from './values.ts'
import type { JsonObject } from './values.ts'

/**
 * Deferred details (`LazySpanRecord`) must read exactly as the eager records, with the same
 * warnings: every input is imported both ways and compared.
 */

const fixtureUrl = (path: string) => new URL(`../../fixtures/${path}`, import.meta.url)
const EAGER: OtlpReadOptions = { deferDetails: false }

/** The ResourceSpans list of an OTLP or Tempo document. */
function listOf(document: unknown): unknown {
  if (!isObject(document)) return undefined
  const list = resourceSpansOf(document)
  if (list !== undefined) return list
  const trace = readField(document, 'trace')
  if (isObject(trace)) return resourceSpansOf(trace) ?? readField(trace, 'batches')
  return readField(document, 'batches')
}

function importBoth(list: unknown): { lazy: ImportResult; eager: ImportResult } {
  return { lazy: importResourceSpans(list), eager: importResourceSpans(list, EAGER) }
}

/** Imports both ways, checks they agree, and returns the lazy result (details still deferred). */
function expectSame(list: unknown): ImportResult {
  const { lazy, eager } = importBoth(list)
  expect(lazy.warnings).toEqual(eager.warnings)
  expect(eager.spans.some((span) => span instanceof LazySpanRecord)).toBe(false)
  const deferred = lazy.spans.filter((span) => span instanceof LazySpanRecord && span.isDeferred)
  // Compared field by field (toEqual materializes lazy records), then as wholes.
  expect(lazy.spans).toHaveLength(eager.spans.length)
  for (let i = 0; i < eager.spans.length; i++) expect(lazy.spans[i]).toEqual(eager.spans[i])
  expect(lazy.spans).toEqual(eager.spans)
  // Reading the details once more gives the same objects.
  for (const span of deferred) expect(span.attributes).toBe(span.attributes)
  return importResourceSpans(list)
}

function deferredCount(spans: readonly SpanRecord[]): number {
  return spans.filter((span) => span instanceof LazySpanRecord && span.isDeferred).length
}

function tracesData(spans: readonly unknown[]): { resourceSpans: unknown[] } {
  return {
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ scope: { name: 's' }, spans }] }],
  }
}

let nextId = 1
function span(fields: JsonObject): JsonObject {
  const id = (nextId++).toString(16).padStart(16, '0')
  return {
    traceId: '0102030405060708090a0b0c0d0e0f10',
    spanId: id,
    name: 'op',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000500000000',
    ...fields,
  }
}

const kv = (key: unknown, value: unknown) => ({ key, value })
const str = (stringValue: string) => ({ stringValue })

describe('OTLP details deferred or read at once: the same records and warnings', () => {
  const jsonFixtures = [
    ...readdirSync(fixtureUrl('otlp'))
      .filter((name) => name.endsWith('.json') || name.endsWith('.json.txt'))
      .map((name) => `otlp/${name}`),
    ...readdirSync(fixtureUrl('tempo'))
      .filter((name) => name.endsWith('.json'))
      .map((name) => `tempo/${name}`),
  ]

  it.each(jsonFixtures)('%s', (path) => {
    for (const document of parseJsonDocuments(readFileSync(fixtureUrl(path), 'utf8'))) expectSame(listOf(document))
  })

  it.each(readdirSync(fixtureUrl('otlp')).filter((name) => name.endsWith('.json')))('otlp/%s as decoded protobuf messages', (name) => {
    let message
    try {
      message = fromJson(TracesDataSchema, JSON.parse(readFileSync(fixtureUrl(`otlp/${name}`), 'utf8')) as JsonValue, { ignoreUnknownFields: true })
    } catch {
      return // Not strict proto3 JSON (hex ids, snake_case…): covered as JSON above.
    }
    const result = expectSame(message.resourceSpans)
    expect(deferredCount(result.spans)).toBe(result.spans.length)
  })

  it('otlp/otel_traces_01.spanglass.pb', () => {
    const message = fromBinary(TracesDataSchema, readFileSync(fixtureUrl('otlp/otel_traces_01.spanglass.pb')))
    const result = expectSame(message.resourceSpans)
    expect(result.spans.length).toBeGreaterThan(0)
  })

  it('defers every span of generated input (documents of 1,000 spans per line)', () => {
    const text = [...generateTraceText({ format: 'otlp-json', spanCount: 3_000, traceCount: 2, seed: 11 })].join('')
    let spans = 0
    for (const document of parseJsonDocuments(text)) {
      const result = expectSame(listOf(document))
      expect(result.warnings).toEqual([])
      expect(deferredCount(result.spans)).toBe(result.spans.length)
      spans += result.spans.length
    }
    expect(spans).toBe(3_000)
    // The importer itself defers (default options).
    const first = parseJsonDocuments(text)[0]
    const { spans: imported } = otlpJsonImporter.importDocument(first)
    expect(deferredCount(imported)).toBe(imported.length)
    const sample = imported[0] as LazySpanRecord<unknown>
    expect(sample.attributes.length).toBeGreaterThan(0)
    expect(sample.isDeferred).toBe(false)
  })

  it('defers clean spans with every kind of value, events, links, kvlists and arrays', () => {
    const clean = span({
      attributes: [
        kv('s', str('x')),
        kv('i', { intValue: '42' }),
        kv('d', { doubleValue: 'NaN' }),
        kv('b', { boolValue: true }),
        kv('bytes', { bytesValue: 'AQID' }),
        kv('empty', {}),
        kv('bare', 'scalar'),
        kv('none', null),
        kv('arr', { arrayValue: { values: [str('a'), { kvlistValue: { values: [kv('a', str('1')), kv('b', str('2'))] } }] } }),
        kv('bareArr', { arrayValue: [str('a'), str('a')] }),
        kv('kv', { kvlistValue: { values: [kv('a', str('1')), kv('b', { kvlist_value: { values: [kv('a', str('x'))] } })] } }),
        'not an item',
        ['neither'],
      ],
      events: [
        { timeUnixNano: '1700000000100000000', name: 'e', attributes: [kv('a', str('1'))] },
        { timeUnixNano: '1700000000200000000', attributes: [kv('event', str('labelled'))] },
        'junk',
      ],
      links: [{ traceId: 'ff'.repeat(16), spanId: 'ee'.repeat(8), traceState: 'k=v', attributes: [kv('a', str('1'))] }],
    })
    const result = expectSame(tracesData([clean]).resourceSpans)
    expect(deferredCount(result.spans)).toBe(1)
  })

  const repeatedCases: Array<[string, JsonObject]> = [
    ['span attributes', { attributes: [kv('a', str('1')), kv('b', str('2')), kv('a', str('3'))] }],
    ['event attributes', { events: [{ name: 'e', attributes: [kv('a', str('1')), kv('a', str('2'))] }] }],
    ['link attributes', { links: [{ traceId: 'ff'.repeat(16), spanId: 'ee'.repeat(8), attributes: [kv('a', str('1')), kv('a', str('2'))] }] }],
    ['a kvlist value', { attributes: [kv('m', { kvlistValue: { values: [kv('a', str('1')), kv('a', str('2'))] } })] }],
    ['a snake_case kvlist', { attributes: [kv('m', { kvlist_value: { values: [kv('a', str('1')), kv('a', str('2'))] } })] }],
    ['a kvlist inside an array', { attributes: [kv('m', { arrayValue: { values: [{ kvlistValue: { values: [kv('a', str('1')), kv('a', str('2'))] } }] } })] }],
    ['a kvlist inside a bare array', { attributes: [kv('m', { array_value: [{ kvlistValue: { values: [kv('a', str('1')), kv('a', str('2'))] } }] })] }],
    ['a protobuf-style oneof kvlist', { attributes: [kv('m', { value: { case: 'kvlistValue', value: { values: [kv('a', str('1')), kv('a', str('2'))] } } })] }],
    ['keys missing twice (both read as "")', { attributes: [{ value: str('1') }, { value: str('2') }] }],
    ['a number key and its string', { attributes: [kv(1, str('1')), kv('1', str('2'))] }],
    ['a long list', { attributes: [...Array.from({ length: 40 }, (_, i) => kv(`k${i}`, str('v'))), kv('k7', str('again'))] }],
  ]

  it.each(repeatedCases)('reads at once and warns for a key repeated in %s', (_, fields) => {
    const repeated = span(fields)
    const clean = span({ attributes: [kv('a', str('1'))] })
    const result = expectSame(tracesData([repeated, clean]).resourceSpans)
    expect(result.warnings.map((warning) => warning.kind)).toEqual(['duplicate-attribute'])
    expect(result.warnings[0]?.spanIds).toEqual([repeated.spanId])
    expect(result.spans[0] instanceof LazySpanRecord && result.spans[0].isDeferred).toBe(false)
    expect(deferredCount(result.spans)).toBe(1)
  })

  it('reads at once (without warning) what the check is unsure of: a number key, repeats in a link without ids', () => {
    const numberKey = span({ attributes: [kv(7, str('1')), kv('8', str('2'))] })
    const idlessLink = span({ links: [{ attributes: [kv('a', str('1')), kv('a', str('2'))] }] })
    const result = expectSame(tracesData([numberKey, idlessLink]).resourceSpans)
    expect(result.warnings).toEqual([])
    expect(deferredCount(result.spans)).toBe(0)
  })

  it('agrees on values nested beyond the depth the reader reads', () => {
    let deep: unknown = { kvlistValue: { values: [kv('a', str('1')), kv('a', str('2'))] } }
    for (let i = 0; i < 70; i++) deep = { arrayValue: { values: [deep] } }
    expectSame(tracesData([span({ attributes: [kv('deep', deep)] })]).resourceSpans)
    let deepClean: unknown = str('x')
    for (let i = 0; i < 200; i++) deepClean = { kvlistValue: { values: [kv('a', deepClean)] } }
    expectSame(tracesData([span({ attributes: [kv('deep', deepClean)] })]).resourceSpans)
  })

  it('keeps repeats of the resource and scope as before, with deferred span details', () => {
    const document = {
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', str('svc')), kv('service.name', str('svc2'))] },
          scopeSpans: [{ scope: { name: 's', attributes: [kv('x', str('1')), kv('x', str('2'))] }, spans: [span({ attributes: [kv('a', str('1'))] })] }],
        },
      ],
    }
    const result = expectSame(document.resourceSpans)
    expect(result.warnings.map((warning) => warning.message)).toEqual([expect.stringContaining('"service.name", "x"')])
    expect(deferredCount(result.spans)).toBe(1)
  })

  it('agrees on odd spans: snake_case, base64 and upper-case ids, zero parents, odd times, statuses', () => {
    const spans: unknown[] = [
      {
        trace_id: 'AQIDBAUGBwgJCgsMDQ4PEA==',
        span_id: 'AQIDBAUGBwg=',
        parent_span_id: 'AAAAAAAAAAA=',
        name: 5,
        kind: 'SPAN_KIND_SERVER',
        start_time_unix_nano: 1700000000000000000n,
        end_time_unix_nano: '1700000000000001000',
        trace_state: 'a=b',
        flags: '257',
        status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
        attributes: [kv('a', str('1'))],
      },
      span({ traceId: '0102030405060708090A0B0C0D0E0F10', spanId: 'ABCDEF0123456789', parentSpanId: '0000000000000000', status: { deprecatedCode: 2 } }),
      span({ traceId: '0102030405060708', parentSpanId: 'abc', startTimeUnixNano: '0', endTimeUnixNano: '5' }),
      span({ startTimeUnixNano: ' 1700000000000000000 ', endTimeUnixNano: '1700000001000000000' }),
      span({ startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '999999999999999999' }),
      span({ startTimeUnixNano: 1.7e18, endTimeUnixNano: '1700000000000000000', status: { deprecated_code: 'DEPRECATED_STATUS_CODE_OK', message: '' } }),
      span({ startTimeUnixNano: '0000000000000000000', endTimeUnixNano: '0000000000000000001' }),
      span({ traceId: undefined, trace_id: '0102030405060708090a0b0c0d0e0f10', spanId: 17 }),
      span({ spanId: '' }),
      'not a span',
    ]
    const result = expectSame(tracesData(spans).resourceSpans)
    expect(result.warnings.map((warning) => warning.kind)).toEqual(['invalid-span'])
  })
})

describe('span times read without bigints in the common case', () => {
  const readTimes = (start: unknown, end: unknown) => {
    const { spans } = importResourceSpans(tracesData([span({ startTimeUnixNano: start, endTimeUnixNano: end })]).resourceSpans)
    const record = spans[0] as SpanRecord
    return { start: record.startTimeNs, duration: record.durationNs }
  }
  /** What the general reader gives: exact bigints, 0 as "not set", the difference rounded once. */
  const expected = (start: string, end: string) => {
    const s = BigInt(start)
    const e = BigInt(end)
    const startNs = s === 0n ? undefined : s
    return { start: startNs, duration: startNs !== undefined && e !== 0n ? Number(e - s) : undefined }
  }

  it('gives what bigint arithmetic gives, for any digits', () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`))
    fc.assert(
      fc.property(digits(1, 26), digits(1, 26), (start, end) => {
        expect(readTimes(start, end)).toEqual(expected(start, end))
      }),
      { numRuns: 2000 },
    )
    // Same length, close together: the fast path.
    fc.assert(
      fc.property(fc.bigInt(1n, 10n ** 24n - 1n), fc.bigInt(-(10n ** 17n), 10n ** 17n), (start, delta) => {
        const end = start + delta
        if (end <= 0n) return
        const width = String(end > start ? end : start).length
        const startText = String(start).padStart(width, '0')
        const endText = String(end).padStart(width, '0')
        expect(readTimes(startText, endText)).toEqual(expected(startText, endText))
      }),
      { numRuns: 2000 },
    )
  })

  it('rounds a difference beyond 2^53 as Number(bigint) does', () => {
    for (const [start, end] of [
      ['1000000000000000000', '9999999999999999999'],
      ['1000000000', '9007199254740993000'],
      ['1700000000000000000', '1709007199254740993'],
      ['1700000000000000000', '1709007199000000001'],
    ] as const) {
      const width = Math.max(start.length, end.length)
      const s = start.padStart(width, '0')
      const e = end.padStart(width, '0')
      expect(readTimes(s, e)).toEqual(expected(s, e))
    }
  })
})

const SCALAR_KINDS = new Set(['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue'])
const isScalar = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'

/** `{"stringValue": …}` and its kind, or an array of them. */
function isSkimmableValue(value: unknown): boolean {
  if (!isObject(value)) return false
  const entries = Object.entries(value)
  if (entries.length !== 1) return false
  const [kind, inner] = entries[0] as [string, unknown]
  if (SCALAR_KINDS.has(kind)) return isScalar(inner)
  if (kind !== 'arrayValue' || !isObject(inner) || Object.keys(inner).join() !== 'values' || !Array.isArray(inner.values)) return false
  return inner.values.every(
    (item: unknown) => isObject(item) && Object.keys(item).length === 1 && SCALAR_KINDS.has(Object.keys(item)[0] as string) && isScalar(Object.values(item)[0]),
  )
}

/** The parse with every list under a key ending in "attributes" that skimming may empty (scalar entries, no repeated key) emptied. */
function withSkimmableListsEmptied(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSkimmableListsEmptied)
  if (!isObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(value)) {
    const isSkimmable =
      key.endsWith('attributes') &&
      Array.isArray(member) &&
      member.every(
        (item: unknown) => isObject(item) && Object.keys(item).join() === 'key,value' && typeof item.key === 'string' && isSkimmableValue(item.value),
      ) &&
      new Set(member.map((item: JsonObject) => item.key)).size === member.length
    out[key] = isSkimmable ? [] : withSkimmableListsEmptied(member)
  }
  return out
}

/** The skim contract (`expectSkimKeepsParse`) for `skimOtlpAttributes` on a line. */
function expectSkimKeepsParse(text: string): void {
  expectSkimContract(text, skimOtlpAttributes, withSkimmableListsEmptied)
}

describe('skimOtlpAttributes', () => {
  it('empties lists of scalar attributes without a repeated key, and leaves any other', () => {
    const entry = (key: string, value = '{"stringValue":"v"}') => `{"key":"${key}","value":${value}}`
    const cases: Array<[string, string]> = [
      [
        `{"spans":[{"attributes":[${entry('a')},${entry('b', '{"intValue":"7"}')},${entry('c', '{"arrayValue":{"values":[{"boolValue":true}]}}')}]}]}`,
        '{"spans":[{"attributes":[]}]}',
      ],
      [`{"attributes":[${entry('a', '{"stringValue":"say \\"hi\\" \\u00e9"}')}]}`, '{"attributes":[]}'],
      // A repeated key (the import warns), an escaped key, a nested or missing value: left.
      [`{"attributes":[${entry('a')},${entry('a')}]}`, `{"attributes":[${entry('a')},${entry('a')}]}`],
      [`{"attributes":[${entry('\\u0061')}]}`, `{"attributes":[${entry('\\u0061')}]}`],
      [`{"attributes":[${entry('a', '{"kvlistValue":{"values":[]}}')}]}`, `{"attributes":[${entry('a', '{"kvlistValue":{"values":[]}}')}]}`],
      [`{"attributes":[${entry('a', 'null')}]}`, `{"attributes":[${entry('a', 'null')}]}`],
      // Resources' and scopes' lists as the collector writes them: left.
      [`{"resource":{"attributes":[${entry('service.name')}]}}`, `{"resource":{"attributes":[${entry('service.name')}]}}`],
      [`{"scope":{"name":"s","version":"1","attributes":[${entry('a')}]}}`, `{"scope":{"name":"s","version":"1","attributes":[${entry('a')}]}}`],
      // Not JSON: left to the parse.
      [`{"attributes":[${entry('a')},]}`, `{"attributes":[${entry('a')},]}`],
      [`{"attributes":[${entry('a', '{"intValue":01}')}]}`, `{"attributes":[${entry('a', '{"intValue":01}')}]}`],
    ]
    for (const [text, skimmed] of cases) {
      expect([text, skimOtlpAttributes(text)]).toEqual([text, skimmed])
      expectSkimKeepsParse(text)
    }
  })

  it('parses exactly when the line does, to the same values, whatever the line (property)', () => {
    const part = often(
      fc.constantFrom('a', 'b.c', 'attributes', ' '),
      fc.constantFrom('\\', '\\"', '\\x', '\\u00', '\\u0061', '\u0001', '"', '{', '}', ',', ':', ']'),
    )
    const string = fc.array(part, { maxLength: 3 }).map((parts) => `"${parts.join('')}"`)
    const scalar = often(fc.oneof(string, fc.constantFrom('1', '-2.5e3', 'true', 'false')), fc.constantFrom('01', '1.', 'null', '{}', '[]', '+1'))
    const kind = often(
      fc.constantFrom('stringValue', 'intValue', 'boolValue', 'doubleValue'),
      fc.constantFrom('kvlistValue', 'value', 'stringValue":1,"intValue'),
    )
    const scalarValue = fc.tuple(kind, scalar).map(([k, v]) => `{"${k}":${v}}`)
    const value = often(
      scalarValue,
      fc.array(scalarValue, { maxLength: 2 }).map((values) => `{"arrayValue":{"values":[${values.join(',')}]}}`),
    )
    const key = often(fc.constantFrom('"a"', '"b"', '"c"'), string)
    const entry = fc.tuple(key, value, often(fc.constant(''), fc.constantFrom(' ', ',"x":1'))).map(([k, v, extra]) => `{"key":${k},"value":${v}${extra}}`)
    const list = fc
      .tuple(
        often(fc.constant('"attributes":'), fc.constantFrom('"attributes": ', '"my\\"attributes":', 'attributes":')),
        fc.array(entry, { maxLength: 3 }),
        often(fc.constant(''), fc.constantFrom(',', ' ')),
      )
      .map(([k, entries, tail]) => `${k}[${entries.join(',')}${tail}]`)
    const holder = fc
      .tuple(
        often(fc.constantFrom('{', '{"resource":{', '{"scope":{"name":"s",'), fc.constantFrom('{"n":"', '[')),
        list,
        often(fc.constantFrom('}', '}}'), fc.constantFrom('"}', '', ']')),
      )
      .map((parts) => parts.join(''))
    fc.assert(
      fc.property(fc.array(holder, { minLength: 1, maxLength: 3 }), (holders) => expectSkimKeepsParse(`{"spans":[${holders.join(',')}]}`)),
      { numRuns: 5000 },
    )
  })
})
