import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generateTraceText } from '../generator/generate-text.ts'
import { LazySpanRecord, materializeSpan } from '../model/lazy-span.ts'
import { StatusCode } from '../model/span-record.ts'
import { importDocuments, importInPieces, importText } from './import-input.ts'
import type { InputImport } from './import-input.ts'
import { readInPieces, splitJaegerText } from './import-pieces.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { defaultImporters } from './registry.ts'
import { fixturePath, listFixtureFiles } from './testing/fixture-files.ts'
import { skimOtlpAttributes } from './otlp.ts'
import { skimV2Tags } from './zipkin.ts'

/**
 * A Jaeger document read from pieces of its text must import exactly as the whole text parsed
 * at once: the same records, details and warnings. Every fixture of the usual shape, generated
 * traces cut into many pieces, and texts made to trip each proof are read both ways.
 */

function parsedWhole(text: string): InputImport {
  return importDocuments(parseJsonDocuments(text), defaultImporters)
}

/** Reads the text from pieces of about `pieceChars`; expects it to be read so, and as the whole parse reads it. */
function expectSameAsWhole(text: string, pieceChars?: number): InputImport {
  const pieces = importInPieces(text, defaultImporters, pieceChars) as InputImport
  expect(pieces).toBeDefined()
  const whole = parsedWhole(text)
  expect({ ...pieces, spans: pieces.spans.map(materializeSpan) }).toEqual({ ...whole, spans: whole.spans.map(materializeSpan) })
  return pieces
}

const TRACE_ID = '00000000000000000000000000000abc'

function jaegerSpan(spanID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceID: TRACE_ID,
    spanID,
    operationName: `op-${spanID}`,
    references: spanID === '00000000000000a0' ? [] : [{ refType: 'CHILD_OF', traceID: TRACE_ID, spanID: '00000000000000a0' }],
    startTime: 1_700_000_000_000_000,
    duration: 10,
    tags: [
      { key: 'http.method', type: 'string', value: 'GET' },
      { key: 'span.kind', type: 'string', value: 'server' },
    ],
    logs: [],
    processID: 'p1',
    warnings: null,
    ...extra,
  }
}

/** A compact query API document (spans one per line, as the bench files), of `count` spans after the root. */
function documentText(count: number, extra: (i: number) => Record<string, unknown> = () => ({})): string {
  const spans = [
    jaegerSpan('00000000000000a0'),
    ...Array.from({ length: count }, (_, i) => jaegerSpan(`00000000000001${String(i).padStart(2, '0')}`.slice(-16), extra(i))),
  ]
  const processes = { p1: { serviceName: 'svc', tags: [{ key: 'host', type: 'string', value: 'h1' }] } }
  return `{"data":[{"traceID":"${TRACE_ID}","spans":[\n${spans.map((item) => JSON.stringify(item)).join(',\n')}],"processes":${JSON.stringify(processes)},"warnings":null}],"total":0,"limit":0,"offset":0,"errors":null}`
}

describe('readInPieces', () => {
  it('reads the Jaeger, Zipkin and OTLP JSON lines fixtures of the usual shapes as the whole parse does', () => {
    const read: string[] = []
    const readInSmallPieces: string[] = []
    for (const url of listFixtureFiles()) {
      const text = readFileSync(url, 'utf8')
      if (readInPieces(text, defaultImporters) === undefined) continue
      expectSameAsWhole(text)
      read.push(fixturePath(url))
      // In pieces of 500 characters: those whose spans open alike (compact ones) are cut.
      if (readInPieces(text, defaultImporters, 500) === undefined) continue
      expectSameAsWhole(text, 500)
      readInSmallPieces.push(fixturePath(url))
    }
    expect(readInSmallPieces.length).toBeGreaterThanOrEqual(7)
    expect(read).toEqual([
      'backends/jaeger/v1-search.json',
      'backends/jaeger/v1-trace.json',
      'backends/zipkin/trace-64bit.json',
      'backends/zipkin/trace.json',
      'otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json',
      'otlp/otlp2jaeger-multi-in.json.txt',
      'zipkin/ascend.json',
      'zipkin/envoy.json',
      'zipkin/messaging-kafka.json',
      'zipkin/messaging.json',
      'zipkin/messaging2.json',
      'zipkin/shared-without-flag.spanglass.json',
      'zipkin/simple-db-p6.json',
      'zipkin/smartthings-oauth-authorization.json',
      'zipkin/yelp.json',
      'zipkin/zipkin_01.json',
    ])
  })

  it('reads a generated trace cut into many pieces as the whole parse does, its records keeping the pieces', () => {
    const text = [...generateTraceText({ format: 'jaeger-json', spanCount: 2000, traceCount: 1, seed: 3 })].join('')
    const read = importInPieces(text, defaultImporters, 20_000) as InputImport
    expect(read.spans).toHaveLength(2000)
    expect(read.spans.every((record) => record instanceof LazySpanRecord && record.isDeferred)).toBe(true)
    // Details read in any order come from the pieces' texts.
    const shuffled = [...read.spans].reverse()
    const whole = parsedWhole(text)
    expect(shuffled.map(materializeSpan).reverse()).toEqual(whole.spans.map(materializeSpan))
    expect(read.warnings).toEqual(whole.warnings)
    expectSameAsWhole(text, 5_000)
    expectSameAsWhole(text, 1 << 20)
  })

  it('reads generated Zipkin spans cut into many pieces as the whole parse does', () => {
    const text = [...generateTraceText({ format: 'zipkin-json', spanCount: 2000, traceCount: 2, seed: 4 })].join('')
    const read = expectSameAsWhole(text, 10_000)
    expect(read.spans).toHaveLength(2000)
    expect(read.spans.some((record) => record instanceof LazySpanRecord)).toBe(true)
  })

  it('joins a Zipkin client and server sharing an id across pieces as the whole parse does', () => {
    const client = {
      traceId: TRACE_ID,
      id: '00000000000000c1',
      kind: 'CLIENT',
      name: 'get',
      timestamp: 1_700_000_000_000_000,
      duration: 30,
      localEndpoint: { serviceName: 'front' },
      tags: { 'http.path': '/a' },
    }
    const filler = Array.from({ length: 80 }, (_, i) => ({
      traceId: TRACE_ID,
      id: `00000000000001${String(i).padStart(2, '0')}`,
      parentId: '00000000000000c1',
      name: `f${i}`,
      timestamp: 1_700_000_000_000_001,
      duration: 1,
      localEndpoint: { serviceName: 'front' },
      tags: { i: String(i) },
    }))
    const server = { ...client, kind: 'SERVER', shared: true, localEndpoint: { serviceName: 'back' }, tags: { 'http.status_code': '500', error: 'boom' } }
    const text = `[\n${[client, ...filler, server].map((item) => JSON.stringify(item)).join(',\n')}\n]`
    const read = expectSameAsWhole(text, 400)
    expect(read.spans.length).toBe(82)
  })

  it('reads Zipkin spans from skimmed pieces as the whole parse does: status tags, and spans read whole from their text', () => {
    const span = (i: number, extra: Record<string, unknown> = {}) => ({
      traceId: TRACE_ID,
      id: `0000000000a0${String(i).padStart(4, '0')}`,
      ...(i === 0 ? {} : { parentId: '0000000000a00000' }),
      kind: 'SERVER',
      name: `op${i}`,
      timestamp: 1_700_000_000_000_000 + i,
      duration: 5,
      localEndpoint: { serviceName: 'front' },
      tags: { 'http.method': 'GET', 'http.path': `/item/"${i}"` },
      ...extra,
    })
    // Past the first pieces (the format is decided on the first 64 spans, which are not skimmed).
    const odd = new Map<number, Record<string, unknown>>([
      [100, { tags: { 'http.method': 'GET', error: 'boom' } }],
      [110, { tags: { 'otel.status_code': 'ERROR', 'otel.status_description': 'bad' } }],
      [120, { tags: { 'http.method': 'GET' } }],
      // An unreadable annotation: the span is read whole, its skimmable tags from the piece's own text.
      [130, { annotations: [{ timestamp: 1_700_000_000_000_200, value: null }] }],
      [140, { tags: { 'http.method': 'GET', missing: null } }],
    ])
    const items = Array.from({ length: 160 }, (_, i) => JSON.stringify(span(i, odd.get(i))))
    // A key spelt with escapes reads as "error" all the same.
    items[120] = (items[120] as string).replace('"tags":{', '"tags":{"err\\u006fr":"escaped",')
    const text = `[\n${items.join(',\n')}\n]`
    expect(skimV2Tags(text)).not.toBe(text)
    const read = expectSameAsWhole(text, 2_000)
    const byName = new Map(read.spans.map((record) => [record.name, record]))
    expect(['op100', 'op110', 'op120', 'op5'].map((name) => byName.get(name)?.statusCode)).toEqual([
      StatusCode.Error,
      StatusCode.Error,
      StatusCode.Error,
      StatusCode.Unset,
    ])
    expect(byName.get('op130')?.attributes.map((attribute) => attribute.key)).toEqual(['http.method', 'http.path'])
    expect(byName.get('op130')?.warnings).toEqual(['1 annotation(s) without a value or timestamp dropped'])
  })

  it('reads generated OTLP JSON lines as the whole parse does, each line a piece', () => {
    const text = [...generateTraceText({ format: 'otlp-json', spanCount: 3000, traceCount: 2, seed: 6 })].join('')
    expect(text.trim().split('\n').length).toBeGreaterThan(1)
    const read = expectSameAsWhole(text)
    expect(read.spans).toHaveLength(3000)
    expect(read.spans.some((record) => record instanceof LazySpanRecord)).toBe(true)
  })

  it('reads OTLP JSON lines skimmed as the whole parse does: resources as written, spans read whole from their line', () => {
    const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } })
    const span = (i: number, extra: Record<string, unknown> = {}) => ({
      traceId: TRACE_ID,
      spanId: `0000000000b0${String(i).padStart(4, '0')}`,
      ...(i === 0 ? {} : { parentSpanId: '0000000000b00000' }),
      name: `op${i}`,
      kind: 2,
      startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i)),
      endTimeUnixNano: String(1_700_000_000_000_100_000n),
      attributes: [attribute('http.method', 'GET'), attribute('http.path', `/item/"${i}"`)],
      ...extra,
    })
    const line = (service: string, spans: unknown[], resourceFirst = true) => {
      const resourceAttributes = [attribute('service.name', service), attribute('host.name', 'h1')]
      // As the collector writes a resource (its list first, which skimming leaves), or with a member before it.
      const resource = resourceFirst ? { attributes: resourceAttributes } : { droppedAttributesCount: 0, attributes: resourceAttributes }
      return JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'lib', version: '1', attributes: [attribute('a', 'b')] }, spans }] }] })
    }
    const text = [
      line('front', [span(0), span(1)]),
      line('back', [span(2), span(3)], false),
      line('db', [
        span(4),
        // Events with a repeated key: read whole at import, its skimmed attributes from the line's own text.
        span(5, { events: [{ timeUnixNano: '1700000000000000010', name: 'e', attributes: [attribute('x', '1'), attribute('x', '2')] }] }),
        // A repeated key of its own: left by skimming, warned about.
        span(6, { attributes: [attribute('k', '1'), attribute('k', '2')] }),
      ]),
    ].join('\n')
    for (const each of text.split('\n').slice(1)) expect(skimOtlpAttributes(each)).not.toBe(each)
    const read = expectSameAsWhole(text)
    const byName = new Map(read.spans.map((record) => [record.name, record]))
    expect(['op1', 'op2', 'op5'].map((name) => byName.get(name)?.service)).toEqual(['front', 'back', 'db'])
    expect(byName.get('op2')?.resource.map((attribute) => attribute.key)).toEqual(['service.name', 'host.name'])
    expect(byName.get('op5')?.attributes.map((attribute) => attribute.key)).toEqual(['http.method', 'http.path'])
    expect(read.warnings.map((warning) => warning.kind)).toContain('duplicate-attribute')
  })

  it('declines JSON lines that are not all OTLP, or that do not all parse', () => {
    const otlp = [...generateTraceText({ format: 'otlp-json', spanCount: 50, traceCount: 1, seed: 6 })].join('').trim()
    expect(importInPieces(`${otlp}\n{"hello":"world"}\n`, defaultImporters)).toBeUndefined()
    expect(importInPieces(`${otlp}\n{"resourceSpans":[}\n`, defaultImporters)).toBeUndefined()
  })

  it('gives up, without parsing the rest, when every cut it tries is inside an item', () => {
    // An array holding one trace object whose spans open as the trace does: every cut is inside it.
    const traces = JSON.stringify(JSON.parse(documentText(60)).data)
    expect(traces.startsWith('[{"traceID"')).toBe(true)
    expect(importInPieces(traces, defaultImporters, 300)).toBeUndefined()
    expect(importText(traces, defaultImporters)).toEqual(parsedWhole(traces))
    // Zipkin spans each holding more objects that open as spans do than the cuts tried: no cut proves itself.
    const nested = Array.from({ length: 40 }, (_, i) => ({
      traceId: TRACE_ID,
      id: `00000000000002${String(i).padStart(2, '0')}`,
      name: 'n',
      timestamp: 1_700_000_000_000_000,
      duration: 1,
      localEndpoint: { serviceName: 's' },
      extra: Array.from({ length: 40 }, (_, k) => ({ traceId: k })),
    }))
    const text = JSON.stringify(nested)
    expect(importInPieces(text, defaultImporters, 300)).toBeUndefined()
    expect(importInPieces(text, defaultImporters, 1 << 20)).toBeDefined()
    expect(importText(text, defaultImporters)).toEqual(parsedWhole(text))
  })

  it('declines Zipkin arrays of traces and v1 spans, which the whole parse reads', () => {
    const span = {
      traceId: TRACE_ID,
      id: '00000000000000c1',
      name: 'get',
      timestamp: 1_700_000_000_000_000,
      duration: 30,
      localEndpoint: { serviceName: 'front' },
    }
    expect(readInPieces(JSON.stringify([[span], [{ ...span, id: '00000000000000c2' }]]), defaultImporters)).toBeUndefined()
    const v1 = [{ traceId: TRACE_ID, id: '00000000000000c1', name: 'get', annotations: [{ timestamp: 1, value: 'cs', endpoint: { serviceName: 'a' } }] }]
    expect(readInPieces(JSON.stringify(v1), defaultImporters)).toBeUndefined()
  })

  it('reads spans whose problems the reader reports, in any piece, as the whole parse does', () => {
    const text = documentText(40, (i) =>
      i % 7 === 0
        ? {
            tags: [
              { key: 'a', value: 1 },
              { key: 'a', value: 2 },
            ],
          }
        : i % 7 === 1
          ? { spanID: undefined }
          : i % 7 === 2
            ? { processID: 'nope' }
            : i % 7 === 3
              ? { logs: [{ timestamp: 1_700_000_000_000_005, fields: [{ key: 'event', type: 'string', value: 'x' }] }] }
              : {},
    )
    const read = expectSameAsWhole(text, 300)
    expect(read.warnings.length).toBeGreaterThan(0)
  })

  it('retries a cut before a nested object that opens like a span', () => {
    // References written with traceID first open as spans do: cuts before them do not parse.
    const text = documentText(60, () => ({
      references: [
        { traceID: TRACE_ID, spanID: '00000000000000a0', refType: 'CHILD_OF' },
        { traceID: TRACE_ID, spanID: '00000000000000a0', refType: 'FOLLOWS_FROM' },
      ],
    }))
    expect(text.includes(',{"traceID"')).toBe(true)
    expectSameAsWhole(text, 200)
  })

  it('declines what it cannot prove, which the whole parse then reads or reports', () => {
    const valid = documentText(30)
    const cases = [
      // Other shapes.
      JSON.stringify(JSON.parse(valid).data),
      JSON.stringify(JSON.parse(valid), null, 2),
      valid.replace(/],"processes":.*$/, '],"processes":{}},{"traceID":"1","spans":[]}]}'),
      // Not JSON: a trailing comma, a broken token in a middle span, a comma missing between spans.
      valid.replace('],"processes"', ',\n],"processes"'),
      valid.replace('"op-0000000000000110"', 'op-0000000000000110"'),
      valid.replace('},\n{"traceID"', '}\n{"traceID"'),
    ]
    for (const [n, text] of cases.entries()) {
      expect([n, readInPieces(text, defaultImporters, 200)]).toEqual([n, undefined])
      let whole: unknown
      let error: unknown
      try {
        whole = parsedWhole(text)
      } catch (caught) {
        error = caught
      }
      // importText gives what the whole parse gives: the same import, or the same error.
      if (error === undefined) expect(importText(text, defaultImporters)).toEqual(whole)
      else expect(() => importText(text, defaultImporters)).toThrow((error as Error).message)
    }
  })

  it('reads members before the spans, even one repeated after them (the later one wins, as in the parse)', () => {
    expectSameAsWhole(documentText(30).replace('"spans":[', '"processes":{},"warnings":["early"],"spans":['), 300)
  })

  it('reads an empty spans array, a byte order mark, and spaces around the brackets', () => {
    const empty = `\ufeff {"data":[{"traceID":"${TRACE_ID}","spans":[ ],"processes":{},"warnings":null}],"total":0,"limit":0,"offset":0,"errors":null}`
    expect(splitJaegerText(empty.slice(1))).toBeDefined()
    expect(importInPieces(empty, defaultImporters)?.spans).toEqual([])
    expect(importText(empty, defaultImporters)).toEqual(importDocuments(parseJsonDocuments(empty), defaultImporters))
  })
})
