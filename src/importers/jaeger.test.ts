import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildTraces } from '../model/build-traces.ts'
import { dumpTrace } from '../model/dump.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { ImportResult, SpanRecord } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import { importText } from './import-input.ts'
import type { ImporterSet } from './import-input.ts'
import { jaegerImporter, readTagValue, UNKNOWN_SERVICE } from './jaeger.ts'
import { parseJsonDocuments } from './parse-json.ts'

const ONLY_JAEGER: ImporterSet = { json: [jaegerImporter], binary: [] }

function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/jaeger/${name}`, import.meta.url), 'utf8')
}

/** The one document of a fixture, read by the app's own JSON reader (bigints and all). */
function fixtureDocument(name: string): unknown {
  const documents = parseJsonDocuments(fixtureText(name))
  expect(documents).toHaveLength(1)
  return documents[0]
}

function importFixture(name: string): ImportResult {
  const document = fixtureDocument(name)
  expect(jaegerImporter.detect(document)).toBe(true)
  return jaegerImporter.importDocument(document)
}

function dumpAll(spans: readonly SpanRecord[]): string {
  return buildTraces(spans).map(dumpTrace).join('\n')
}

function spanById(spans: readonly SpanRecord[], spanId: string, name?: string): SpanRecord {
  const span = spans.find((candidate) => candidate.spanId === spanId && (name === undefined || candidate.name === name))
  if (!span) throw new Error(`no span ${spanId}`)
  return span
}

/** A minimal Jaeger span for hand-written cases. */
function jaegerSpan(spanID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceID: 'abc',
    spanID,
    operationName: `op-${spanID}`,
    references: [],
    startTime: 1_000_000,
    duration: 10,
    tags: [],
    logs: [],
    processID: 'p1',
    warnings: null,
    ...extra,
  }
}

function jaegerTrace(spans: unknown[], processes: Record<string, unknown> = { p1: { serviceName: 'svc', tags: [] } }): Record<string, unknown> {
  return { traceID: 'abc', spans, processes, warnings: null }
}

function expectImportError(run: () => unknown): ImportError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError)
    return error as ImportError
  }
  throw new Error('expected an ImportError')
}

describe('jaeger importer on real files', () => {
  it('ui_01.json: duplicate span id, refs into another trace, FOLLOWS_FROM, span and trace warnings', () => {
    const result = importFixture('ui_01.json')
    // Span 0004's parent is its first CHILD_OF *into the same trace* (0002), not the one into trace ff;
    // both 0003 and 0004 hang under the first of the two spans with id 0002.
    expect(dumpAll(result.spans)).toBe(`trace 00000000000000000000000000000001 spans=5 start=1485467191639875000 duration=5us
service-x:test-general-conversion +0us 5us unspecified #0000000000000002
  service-y:some-operation +0us 5us unspecified #0000000000000003
  service-y:reference-test +0us 5us unspecified #0000000000000004
    service-y:preserveParentID-test +0us 4us unspecified #0000000000000005
service-x:some-operation +0us 5us unspecified ERROR !dup-id #0000000000000002
warning source-warning: 2 spans carry warnings from their source (span 0000000000000004: some span warning; span 0000000000000005: some span warning)
warning duplicate-span-id: 1 span shares a span id with another, different span; children attach to the first (span 0000000000000002: "test-general-conversion" and "some-operation")`)
    expect(result.warnings).toEqual([
      { kind: 'source-warning', message: 'Jaeger warning on trace 00000000000000000000000000000001: some trace warning', spanIds: [] },
    ])
  })

  it('ui_01.json: typed tags, links and logs', () => {
    const { spans } = importFixture('ui_01.json')
    const tagged = spanById(spans, '0000000000000002', 'some-operation')
    expect(tagged.attributes).toEqual([
      { key: 'peer.service', value: 'service-y' },
      { key: 'peer.ipv4', value: 23456n },
      { key: 'error', value: true },
      { key: 'temperature', value: 72.5 },
      // int64 beyond 2^53, written by Jaeger as a decimal string.
      { key: 'javascript_limit', value: 9223372036854775222n },
      // base64 "AAAwOQ==" = 0x00003039 = 12345.
      { key: 'blob', value: new Uint8Array([0, 0, 0x30, 0x39]) },
    ])
    expect(tagged.statusCode).toBe(StatusCode.Error)
    expect(tagged.resource).toEqual([{ key: 'service.name', value: 'service-x' }])

    const referenced = spanById(spans, '0000000000000004')
    expect(referenced.parentSpanId).toBe('0000000000000002')
    expect(referenced.links).toEqual([
      { traceId: '000000000000000000000000000000ff', spanId: '00000000000000ff', kind: 'child_of', attributes: [] },
      { traceId: '00000000000000000000000000000001', spanId: '0000000000000002', kind: 'follows_from', attributes: [] },
    ])
    expect(referenced.warnings).toEqual(['some span warning'])

    const logged = spanById(spans, '0000000000000002', 'test-general-conversion')
    expect(logged.events).toEqual([
      { timeNs: 1485467191639875000n, name: 'some-event', attributes: [] },
      { timeNs: 1485467191639875000n, name: 'log', attributes: [{ key: 'x', value: 'y' }] },
    ])
    expect(logged.startTimeNs).toBe(1485467191639875000n)
    expect(logged.durationNs).toBe(5000)
    expect(logged.warnings).toBeUndefined()
  })

  it('testTrace.json: non-hex ids kept, error "true" as a string, FOLLOWS_FROM as parent', () => {
    const { spans, warnings } = importFixture('testTrace.json')
    expect(warnings).toEqual([])
    // span-7 has only a FOLLOWS_FROM reference (to span-6), which makes span-6 its parent; it
    // ends 680 ms after span-6, hence outside-parent. span-2 has error: "true".
    expect(dumpAll(spans)).toBe(`trace trace-123 spans=11 start=1542666452979000000 duration=1000000us
service1:op1 +0us 390000us server #span-1
  service1:op2 +125000us 33000us client ERROR #span-2
  service1:op3 +180000us 66000us client #span-3
    service2:op1 +200000us 20000us server #span-4
      service2:op2 +201000us 18000us unspecified #span-5
  service1:op2 +250000us 37000us client #span-2_1
  service1:op4 +300000us 20000us producer #span-6
    service2:op3 +800000us 200000us consumer !outside-parent #span-7
  service1:op6 +330000us 10000us unspecified #span-12
    service1:op7 +331000us 9000us unspecified #span-13
    service1:op7 +332000us 8000us unspecified #span-14
warning child-outside-parent: 1 span starts before or ends after its parent (span span-7 in span-6)`)
    const failed = spanById(spans, 'span-2')
    // The `error` tag stays (read as a real boolean); `span.kind` became `kind` and left the tags.
    expect(failed.attributes).toEqual([{ key: 'error', value: true }])
    expect(failed.kind).toBe(SpanKind.Client)
    expect(failed.flags).toBe(1)
    expect(spanById(spans, 'span-7').links).toEqual([])
    expect(spanById(spans, 'span-1').resource).toEqual([
      { key: 'service.name', value: 'service1' },
      { key: 'hostname', value: 'foobar.org' },
    ])
  })

  it('testTraceNormal.json: a real Java trace with 128-bit ids, input order differs from tree order', () => {
    const { spans, warnings } = importFixture('testTraceNormal.json')
    expect(warnings).toEqual([])
    expect(dumpAll(spans)).toBe(`trace 4766f1209f70a5e2e55417fc296fd101 spans=5 start=1579070675083000000 duration=4902us
api-gateway:GET /api/customer/owners/8/pets/10 +0us 4902us server #150c193cf155b46b
  api-gateway:GET /owners/8/pets/10 +820us 2499us client #22be69e72cbcde0b
    customers-service:GET /owners/8/pets/10 +1200us 1739us server #e821b549888cbc3b
      customers-service:HikariProxyPreparedStatement.executeQuery +2059us 21us unspecified #4085dddb47429851
      customers-service:HikariProxyPreparedStatement.executeQuery +2840us 52us unspecified #622a5079b565623e`)
  })

  it('spansAmongEachOther.json: unpadded ids (31-char trace, 15-char span) padded, siblings by start then input order', () => {
    const { spans, warnings } = importFixture('spansAmongEachOther.json')
    expect(warnings).toEqual([])
    const sql = 'customers-service:HikariProxyPreparedStatement.executeQuery'
    expect(dumpAll(spans)).toBe(`trace 0df84e36b9e2ee3815d07f0867a5be1f spans=12 start=1573131432955000000 duration=3720us
api-gateway:GET /api/customer/owners +0us 3720us server #9afcdf2e24e8d70a
  api-gateway:GET /owners +376us 2977us client #6962df17f54c3741
    customers-service:GET /owners +1016us 1696us server #6f9bbe751e5fd944
      ${sql} +1849us 31us unspecified #d293d7d80690ce74
      ${sql} +1854us 20us unspecified #b33418a95acab83f
      ${sql} +1855us 19us unspecified #0a68c6983a6d81a2
      ${sql} +1856us 17us unspecified #22a6dbf5f149e280
      ${sql} +1857us 14us unspecified #cbcdc46290379f7a
      ${sql} +1857us 15us unspecified #4308efcfd216cbb0
      ${sql} +1857us 15us unspecified #d0ae415b55555eb0
      ${sql} +1857us 15us unspecified #38b37689f26c5b9e
      ${sql} +1857us 14us unspecified #427f5b436c6ef2cb`)
  })

  it('upload-test-file-a/b.json: text ids that look like unpadded base64 ("span-a-root") stay as written', () => {
    expect(dumpAll(importFixture('upload-test-file-a.json').spans)).toBe(`trace upload-test-file-a spans=2 start=1700001000000000000 duration=5000000us
upload-demo-a:file-a.root (remove me first) +0us 5000000us server #span-a-root
  upload-demo-a:file-a.child +1000000us 2000000us internal #span-a-child`)
    expect(dumpAll(importFixture('upload-test-file-b.json').spans)).toBe(`trace upload-test-file-b spans=1 start=1700002000000000000 duration=3000000us
upload-demo-b:file-b.root (should stay after removing A) +0us 3000000us server #span-b-root`)
  })

  it('the two upload files as JSON lines give two traces', () => {
    const lines = [fixtureText('upload-test-file-a.json'), fixtureText('upload-test-file-b.json')].map((text) => JSON.stringify(JSON.parse(text))).join('\n')
    const result = importText(lines, ONLY_JAEGER)
    expect(result.format).toBe('jaeger-json')
    expect(buildTraces(result.spans).map((trace) => `${trace.traceId}:${trace.spanCount}`)).toEqual(['upload-test-file-a:2', 'upload-test-file-b:1'])
  })

  it('api-envelope.spanglass.json: {data:[…], total, limit, offset, errors} with a processes map and bool tags', () => {
    const { spans, warnings } = importFixture('api-envelope.spanglass.json')
    expect(warnings).toEqual([])
    // The second trace starts first; its 16-char id is zero-extended to 128 bits.
    expect(dumpAll(spans)).toBe(`trace 00000000000000005f6e7d8c9bab0c1d spans=1 start=1711999999000000000 duration=1000us
frontend:HTTP GET /config +0us 1000us server #4d5e6f708192a3b4
trace 7a4cbe6f0d1c2b3a4f5e6d7c8b9a0f1e spans=3 start=1712000000000000000 duration=250000us
frontend:HTTP GET /dispatch +0us 250000us server #1a2b3c4d5e6f7081
  redis:FindDriverIDs +12000us 30000us client #2b3c4d5e6f708192
  redis:GetDriver +50000us 15000us client ERROR #3c4d5e6f708192a3`)
    const dispatch = spanById(spans, '1a2b3c4d5e6f7081')
    expect(dispatch.attributes).toEqual([
      { key: 'http.status_code', value: 200n },
      { key: 'sampler.type', value: 'const' },
      { key: 'sampler.param', value: true },
    ])
    expect(dispatch.resource).toEqual([
      { key: 'service.name', value: 'frontend' },
      { key: 'hostname', value: 'web-1' },
      { key: 'ip', value: '10.0.0.5' },
      { key: 'jaeger.version', value: 'Go-2.30.0' },
    ])
    const lookup = spanById(spans, '2b3c4d5e6f708192')
    expect(lookup.attributes).toContainEqual({ key: 'cache.hit', value: false })
    expect(lookup.statusCode).toBe(StatusCode.Unset)
    // One resource array per process, shared by its spans.
    expect(spanById(spans, '3c4d5e6f708192a3').resource).toBe(lookup.resource)
    expect(spanById(spans, '3c4d5e6f708192a3').events).toEqual([
      { timeNs: 1712000000064000000n, name: 'error', attributes: [{ key: 'message', value: 'redis timeout' }] },
    ])
  })

  it('gives the same result through the input pipeline as through importDocument', () => {
    for (const name of ['ui_01.json', 'testTrace.json', 'api-envelope.spanglass.json']) {
      const direct = importFixture(name)
      const piped = importText(fixtureText(name), ONLY_JAEGER)
      expect(piped.format).toBe('jaeger-json')
      expect(dumpAll(piped.spans)).toBe(dumpAll(direct.spans))
      expect(piped.warnings).toEqual(direct.warnings)
    }
  })
})

describe('jaeger detect', () => {
  const trace = jaegerTrace([jaegerSpan('a')])

  it.each([
    ['a bare trace', trace],
    ['{data:[trace]}', { data: [trace] }],
    ['{data: trace}', { data: trace }],
    ['an array of traces', [trace, trace]],
    ['an anonymizer span list', [jaegerSpan('a', { processID: undefined, process: { serviceName: 's', tags: [] } })]],
    ['a single span object (one JSON line)', jaegerSpan('a')],
    ['an empty search answer', { data: [], total: 0, limit: 0, offset: 0, errors: null }],
    ['"trace not found"', { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] }],
    ['a broken envelope (reported item by item)', { data: [null, { spans: 'x' }] }],
    ['a trace with processes but no traceID', { spans: [], processes: {} }],
  ])('accepts %s', (_name, document) => {
    expect(jaegerImporter.detect(document)).toBe(true)
  })

  it.each([
    ['a Zipkin v2 span list', [{ traceId: 'a', id: 'b', name: 'x', localEndpoint: { serviceName: 's' } }]],
    ['a Zipkin v2 trace list', [[{ traceId: 'a', id: 'b' }]]],
    ['a single Zipkin span', { traceId: 'a', id: 'b' }],
    ['OTLP', { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'a', spanId: 'b' }] }] }] }],
    ['Jaeger api_v3', { result: { resourceSpans: [] } }],
    ['Jaeger proto-JSON', { spans: [{ traceId: 'AAAAAAAAAAAAAAAAAAAAEg==', spanId: 'AAAAAAAAAAM=', startTime: '2017-01-26T16:46:31.639875Z' }] }],
    ['Jaeger Thrift-JSON', { process: { serviceName: 'a' }, spans: [{ traceIdLow: 1, spanId: 2 }] }],
    ['Zipkin proto3 ListOfSpans', { spans: [{ trace_id: 'QoVouqoJRn5CjmiKqglGfw==', id: 'AAAAAAAAAAI=' }] }],
    ['dependency links', { data: [{ parent: 'a', child: 'b', callCount: 1 }], total: 0, limit: 0, offset: 0, errors: null }],
    ['a bare {data: []}', { data: [] }],
    ['an empty array', []],
    ['null', null],
    ['a number', 5],
    ['a string', 'traceID'],
  ])('rejects %s', (_name, document) => {
    expect(jaegerImporter.detect(document)).toBe(false)
  })

  it('rejects the other real Jaeger files that are not Jaeger JSON', () => {
    for (const name of ['getTrace-response.json', 'FindTraces.json', 'FindTraceSummaries.json', 'small.json', 'GetServices.json', 'GetOperations.json']) {
      expect(jaegerImporter.detect(fixtureDocument(name)), name).toBe(false)
    }
  })
})

describe('jaeger envelopes', () => {
  const spans = [jaegerSpan('1'), jaegerSpan('2', { references: [{ refType: 'CHILD_OF', traceID: 'abc', spanID: '1' }] })]
  const expected = `trace 00000000000000000000000000000abc spans=2 start=1000000000 duration=10us
svc:op-1 +0us 10us unspecified #0000000000000001
  svc:op-2 +0us 10us unspecified #0000000000000002`

  it('reads {data: trace}', () => {
    expect(dumpAll(jaegerImporter.importDocument({ data: jaegerTrace(spans) }).spans)).toBe(expected)
  })

  it('reads an array of traces', () => {
    const other = { ...jaegerTrace([jaegerSpan('9', { traceID: 'def', startTime: 2_000_000 })]), traceID: 'def' }
    const result = jaegerImporter.importDocument([jaegerTrace(spans), other])
    expect(result.warnings).toEqual([])
    expect(dumpAll(result.spans)).toBe(`${expected}
trace 00000000000000000000000000000def spans=1 start=2000000000 duration=10us
svc:op-9 +0us 10us unspecified #0000000000000009`)
  })

  it('reads an anonymizer span list with inline processes, sharing one resource per distinct process', () => {
    const process = () => ({ serviceName: 'anon-svc', tags: [{ key: 'hostname', type: 'string', value: 'h1' }] })
    const list = spans.map((span) => ({ ...span, processID: undefined, process: process() }))
    expect(jaegerImporter.detect(list)).toBe(true)
    const result = jaegerImporter.importDocument(list)
    expect(dumpAll(result.spans)).toBe(expected.replaceAll('svc:', 'anon-svc:'))
    const [first, second] = result.spans
    expect(first?.resource).toEqual([
      { key: 'service.name', value: 'anon-svc' },
      { key: 'hostname', value: 'h1' },
    ])
    expect(second?.resource).toBe(first?.resource)
  })

  it('reads spans one per JSON line (the pipeline splits lines into documents)', () => {
    const text = spans.map((span) => JSON.stringify({ ...span, processID: undefined, process: { serviceName: 'svc', tags: [] } })).join('\n')
    const result = importText(text, ONLY_JAEGER)
    expect(result.warnings).toEqual([])
    expect(dumpAll(result.spans)).toBe(expected)
  })

  it('reads a trace whose spans omit traceID (taken from the trace)', () => {
    const bare = spans.map((span) => ({ ...span, traceID: undefined }))
    expect(dumpAll(jaegerImporter.importDocument(jaegerTrace(bare)).spans)).toBe(expected)
  })

  it('turns API errors into warnings ("trace not found")', () => {
    const result = jaegerImporter.importDocument({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found', traceID: 'abc' }] })
    expect(result).toEqual({
      spans: [],
      warnings: [{ kind: 'source-warning', message: 'Jaeger reported an error for trace abc: trace not found (code 404)', spanIds: [] }],
    })
  })
})

describe('jaeger span fields', () => {
  function importOne(span: Record<string, unknown>, processes?: Record<string, unknown>): { span: SpanRecord; result: ImportResult } {
    const result = jaegerImporter.importDocument(jaegerTrace([span], processes))
    expect(result.spans).toHaveLength(1)
    return { span: result.spans[0] as SpanRecord, result }
  }

  it('takes the legacy parentSpanID when there are no references', () => {
    expect(importOne(jaegerSpan('2', { references: null, parentSpanID: '1' })).span.parentSpanId).toBe('0000000000000001')
    expect(importOne(jaegerSpan('2', { parentSpanID: '0000000000000000' })).span.parentSpanId).toBeUndefined()
    expect(importOne(jaegerSpan('2', { parentSpanID: '' })).span.parentSpanId).toBeUndefined()
    // A reference wins over parentSpanID.
    const both = importOne(jaegerSpan('2', { parentSpanID: '7', references: [{ refType: 'CHILD_OF', traceID: 'abc', spanID: '1' }] })).span
    expect(both.parentSpanId).toBe('0000000000000001')
  })

  it('prefers CHILD_OF over an earlier FOLLOWS_FROM, and keeps every other reference as a link', () => {
    const { span } = importOne(
      jaegerSpan('5', {
        references: [
          { refType: 'FOLLOWS_FROM', traceID: 'abc', spanID: '3' },
          { refType: 'CHILD_OF', traceID: 'other', spanID: '9' },
          { refType: 'CHILD_OF', traceID: '0000000000000abc', spanID: '4' },
          { refType: 'CHILD_OF', traceID: 'abc', spanID: '6' },
        ],
      }),
    )
    expect(span.parentSpanId).toBe('0000000000000004')
    expect(span.links.map((link) => `${link.kind} ${link.traceId}/${link.spanId}`)).toEqual([
      'follows_from 00000000000000000000000000000abc/0000000000000003',
      'child_of other/0000000000000009',
      'child_of 00000000000000000000000000000abc/0000000000000006',
    ])
  })

  it('notes unreadable references instead of dropping them silently', () => {
    const { span } = importOne(jaegerSpan('5', { references: [null, { refType: 'CHILD_OF', traceID: 'abc' }, { spanID: '1' }] }))
    // A reference without refType or traceID is CHILD_OF into the span's own trace.
    expect(span.parentSpanId).toBe('0000000000000001')
    expect(span.warnings).toEqual(['reference 0 is null, not an object; ignored', 'reference 1 has no spanID; ignored'])
  })

  it('looks processes up as own keys only: "__proto__" and "constructor" are ordinary ids', () => {
    const text = `{"traceID":"abc","spans":[
      {"traceID":"abc","spanID":"1","operationName":"a","startTime":1,"duration":1,"processID":"__proto__"},
      {"traceID":"abc","spanID":"2","operationName":"b","startTime":1,"duration":1,"processID":"constructor"},
      {"traceID":"abc","spanID":"3","operationName":"c","startTime":1,"duration":1,"processID":"toString"}],
      "processes":{"__proto__":{"serviceName":"proto-svc","tags":[]},"toString":{"serviceName":"to-string-svc","tags":[]}}}`
    const [document] = parseJsonDocuments(text)
    const result = jaegerImporter.importDocument(document)
    expect(result.spans.map((span) => span.service)).toEqual(['proto-svc', UNKNOWN_SERVICE, 'to-string-svc'])
    expect(result.spans[1]?.warnings).toEqual([`process "constructor" is not in the trace's processes; service "${UNKNOWN_SERVICE}"`])
    expect(({} as Record<string, unknown>).serviceName).toBeUndefined()
  })

  it('falls back from a missing processID to the inline process, then to unknown_service with a warning', () => {
    const noProcess = importOne(jaegerSpan('1', { processID: undefined })).span
    expect(noProcess.service).toBe(UNKNOWN_SERVICE)
    expect(noProcess.resource).toEqual([{ key: 'service.name', value: UNKNOWN_SERVICE }])
    expect(noProcess.warnings).toEqual([`the span names no process; service "${UNKNOWN_SERVICE}"`])

    const inline = importOne(jaegerSpan('1', { processID: 'p9', process: { serviceName: 'inline-svc', tags: [] } })).span
    expect(inline.service).toBe('inline-svc')
    expect(inline.warnings).toBeUndefined()

    const unnamed = importOne(jaegerSpan('1'), { p1: { tags: [{ key: 'hostname', type: 'string', value: 'h' }] } }).span
    expect(unnamed.service).toBe(UNKNOWN_SERVICE)
    expect(unnamed.resource).toEqual([
      { key: 'service.name', value: UNKNOWN_SERVICE },
      { key: 'hostname', value: 'h' },
    ])
    expect(unnamed.warnings).toEqual([`process "p1" has no serviceName; service "${UNKNOWN_SERVICE}"`])

    // The missing process shows in the built trace's warnings.
    expect(dumpAll([noProcess])).toContain(`warning source-warning: 1 span carries warnings from its source (span 0000000000000001: the span names no process; service "${UNKNOWN_SERVICE}")`)
  })

  it('keeps an int64 given as a JSON number beyond 2^53 (a bigint from the lossless reader) exact', () => {
    const { span } = importOne(jaegerSpan('1', { tags: [{ key: 'big', type: 'int64', value: 9223372036854775807n }] }))
    expect(span.attributes).toEqual([{ key: 'big', value: 9223372036854775807n }])
    // The same through the real reader, from text.
    const [document] = parseJsonDocuments('{"traceID":"abc","spans":[{"traceID":"abc","spanID":"1","processID":"p1","tags":[{"key":"big","type":"int64","value":-9223372036854775808}]}],"processes":{"p1":{"serviceName":"s","tags":[]}}}')
    expect(jaegerImporter.importDocument(document).spans[0]?.attributes).toEqual([{ key: 'big', value: -9223372036854775808n }])
  })

  it('reads tag values by type, accepting the wrong JSON type where producers use it', () => {
    expect(readTagValue('bool', 'true')).toBe(true)
    expect(readTagValue('bool', 'FALSE')).toBe(false)
    expect(readTagValue('bool', 'maybe')).toBe('maybe')
    expect(readTagValue('int64', 42)).toBe(42n)
    expect(readTagValue('int64', '-17')).toBe(-17n)
    expect(readTagValue('int64', 1.5)).toBe(1.5)
    expect(readTagValue('int64', 'lots')).toBe('lots')
    expect(readTagValue('float64', 2)).toBe(2)
    expect(readTagValue('float64', '2.5')).toBe(2.5)
    expect(readTagValue('float64', 7n)).toBe(7)
    expect(readTagValue('binary', 'AQID')).toEqual(new Uint8Array([1, 2, 3]))
    expect(readTagValue('binary', '%%not base64%%')).toBe('%%not base64%%')
    expect(readTagValue('string', 12)).toBe('12')
    expect(readTagValue('string', null)).toBe('')
    expect(readTagValue('STRING', 'x')).toBe('x')
    // No type (third-party producers): inferred from the JSON value.
    expect(readTagValue(undefined, 'x')).toBe('x')
    expect(readTagValue(undefined, true)).toBe(true)
    expect(readTagValue(undefined, 3)).toBe(3n)
    expect(readTagValue(undefined, 3.25)).toBe(3.25)
    expect(readTagValue(undefined, 12345678901234567890n)).toBe(12345678901234567890n)
    expect(readTagValue(undefined, null)).toBe(null)
    expect(readTagValue(undefined, { a: [1n] })).toBe('{"a":["1"]}')
    expect(readTagValue('mystery', 1)).toBe(1n)
  })

  it('reads error as a bool or a "true"/"false" string; error=false is not an error', () => {
    const status = (value: unknown, type = 'bool') => importOne(jaegerSpan('1', { tags: [{ key: 'error', type, value }] })).span.statusCode
    expect(status(true)).toBe(StatusCode.Error)
    expect(status('true')).toBe(StatusCode.Error)
    expect(status('true', 'string')).toBe(StatusCode.Error)
    expect(status(false)).toBe(StatusCode.Unset)
    expect(status('false')).toBe(StatusCode.Unset)
    expect(status('false', 'string')).toBe(StatusCode.Unset)
    const { span } = importOne(jaegerSpan('1', { tags: [{ key: 'error', type: 'bool', value: 'false' }] }))
    expect(span.attributes).toEqual([{ key: 'error', value: false }])
  })

  it('maps otel.status_*, scope, tracestate and span.kind out of the tags; other tags stay', () => {
    const { span } = importOne(
      jaegerSpan('1', {
        flags: 3,
        tags: [
          { key: 'span.kind', type: 'string', value: 'PRODUCER' },
          { key: 'otel.status_code', type: 'string', value: 'ERROR' },
          { key: 'otel.status_description', type: 'string', value: 'deadline exceeded' },
          { key: 'otel.scope.name', type: 'string', value: 'io.opentelemetry.kafka' },
          { key: 'otel.scope.version', type: 'string', value: '1.2.0' },
          { key: 'w3c.tracestate', type: 'string', value: 'vendor=abc' },
          { key: 'messaging.system', type: 'string', value: 'kafka' },
          { key: 'internal.span.format', type: 'string', value: 'otlp' },
        ],
      }),
    )
    expect(span.kind).toBe(SpanKind.Producer)
    expect(span.statusCode).toBe(StatusCode.Error)
    expect(span.statusMessage).toBe('deadline exceeded')
    expect(span.scope).toEqual({ name: 'io.opentelemetry.kafka', version: '1.2.0' })
    expect(span.traceState).toBe('vendor=abc')
    expect(span.flags).toBe(3)
    expect(span.attributes).toEqual([
      { key: 'messaging.system', value: 'kafka' },
      { key: 'internal.span.format', value: 'otlp' },
    ])
  })

  it('lets otel.status_code decide over the error tag, reads the older otel.library.*, keeps unknown span.kind values', () => {
    const ok = importOne(
      jaegerSpan('1', {
        tags: [
          { key: 'error', type: 'bool', value: true },
          { key: 'otel.status_code', type: 'string', value: 'OK' },
          { key: 'otel.library.name', type: 'string', value: 'old-lib' },
          { key: 'otel.library.version', type: 'string', value: '0.1' },
          { key: 'span.kind', type: 'string', value: 'rpc' },
        ],
      }),
    ).span
    expect(ok.statusCode).toBe(StatusCode.Ok)
    expect(ok.scope).toEqual({ name: 'old-lib', version: '0.1' })
    expect(ok.kind).toBe(SpanKind.Unspecified)
    expect(ok.attributes).toEqual([
      { key: 'error', value: true },
      { key: 'span.kind', value: 'rpc' },
    ])
  })

  it('reads logs: name from `event`, else `message`, else "log"', () => {
    const { span } = importOne(
      jaegerSpan('1', {
        logs: [
          { timestamp: 1_000_005, fields: [{ key: 'message', type: 'string', value: 'retrying' }, { key: 'attempt', type: 'int64', value: 2 }] },
          { timestamp: 1_000_006, fields: [{ key: 'level', type: 'string', value: 'info' }] },
          { timestamp: 1_000_007, fields: null },
          { fields: [{ key: 'event', type: 'string', value: 'late' }] },
          'junk',
        ],
      }),
    )
    expect(span.events).toEqual([
      { timeNs: 1_000_005_000n, name: 'retrying', attributes: [{ key: 'attempt', value: 2n }] },
      { timeNs: 1_000_006_000n, name: 'log', attributes: [{ key: 'level', value: 'info' }] },
      { timeNs: 1_000_007_000n, name: 'log', attributes: [] },
      { timeNs: 1_000_000_000n, name: 'late', attributes: [] },
    ])
    expect(span.warnings).toEqual(['log 3 has no timestamp; placed at the span start', 'log 4 is a string, not an object; ignored'])
  })

  it('accepts null references, tags, logs and warnings, and missing times', () => {
    const { span } = importOne({ traceID: 'abc', spanID: '1', processID: 'p1', references: null, tags: null, logs: null, warnings: null })
    expect(span).toEqual({
      traceId: '00000000000000000000000000000abc',
      spanId: '0000000000000001',
      name: '',
      service: 'svc',
      kind: SpanKind.Unspecified,
      startTimeNs: undefined,
      durationNs: undefined,
      statusCode: StatusCode.Unset,
      attributes: [],
      resource: [{ key: 'service.name', value: 'svc' }],
      events: [],
      links: [],
    })
  })

  it('converts µs to ns exactly, also from strings and bigints', () => {
    const { span } = importOne(jaegerSpan('1', { startTime: '1712000000123456', duration: 1500n }))
    expect(span.startTimeNs).toBe(1712000000123456000n)
    expect(span.durationNs).toBe(1_500_000)
  })

  it('keeps the last of repeated tag keys and says so', () => {
    const result = jaegerImporter.importDocument(
      jaegerTrace([jaegerSpan('1', { tags: [{ key: 'a', type: 'string', value: '1' }, { key: 'a', type: 'string', value: '2' }, { type: 'string', value: 'no key' }] })]),
    )
    expect(result.spans[0]?.attributes).toEqual([{ key: 'a', value: '2' }])
    expect(result.spans[0]?.warnings).toEqual(['1 tag(s) without a key were ignored'])
    expect(result.warnings).toEqual([
      { kind: 'duplicate-attribute', message: '1 Jaeger span repeats a tag key; the last value is kept: span 0000000000000001', spanIds: ['0000000000000001'] },
    ])
  })
})

describe('jaeger garbage', () => {
  it('skips broken trace entries and spans with warnings that say which and why', () => {
    const result = jaegerImporter.importDocument({
      data: [null, 5, { spans: 'x' }, { traceID: 'abc', spans: [null, 7, {}, { spanID: '' }, { spanID: 'a' }, jaegerSpan('b')], processes: { p1: { serviceName: 'svc' } } }],
    })
    expect(result.spans.map((span) => span.spanId)).toEqual(['000000000000000a', '000000000000000b'])
    expect(result.warnings).toEqual([
      {
        kind: 'skipped-document',
        message: '3 Jaeger trace entries hold no readable spans and were skipped: data[0] is null, not a trace object; data[1] is a number, not a trace object; data[2] has a string "spans", not an array',
        spanIds: [],
      },
      {
        kind: 'invalid-span',
        message: '4 Jaeger spans could not be read and were skipped: data[3].spans[0] is null, not a span object; data[3].spans[1] is a number, not a span object; data[3].spans[2] has no spanID; and 1 more',
        spanIds: [],
      },
    ])
  })

  it('skips a span with no trace id anywhere', () => {
    const result = jaegerImporter.importDocument([{ spanID: '1', process: { serviceName: 's' } }])
    expect(result.spans).toEqual([])
    expect(result.warnings).toEqual([
      { kind: 'invalid-span', message: '1 Jaeger span could not be read and was skipped: item [0] (span 0000000000000001) has no traceID', spanIds: ['0000000000000001'] },
    ])
  })

  it.each([
    ['null', null],
    ['a number', 5],
    ['a string', 'hello'],
    ['an unrelated object', { foo: 1 }],
  ])('throws ImportError for %s', (_name, document) => {
    expect(expectImportError(() => jaegerImporter.importDocument(document)).kind).toBe('invalid-structure')
  })

  it('survives hostile values without throwing anything but ImportError', () => {
    const hostile = JSON.parse(
      '{"toString":1,"valueOf":2,"__proto__":{"x":1},"constructor":"c","length":-1,"key":"k","type":"int64","value":{"toString":5}}',
    ) as unknown
    const values: unknown[] = [null, 5, 'x', true, [], {}, hostile, [hostile], 12345678901234567890n, 1e308, -1, NaN]
    for (const value of values) {
      for (const field of ['traceID', 'spanID', 'operationName', 'references', 'startTime', 'duration', 'tags', 'logs', 'processID', 'process', 'warnings', 'flags', 'parentSpanID']) {
        const document = jaegerTrace([{ ...jaegerSpan('1'), [field]: value }, jaegerSpan('2', { tags: [value, { key: 'k', type: 'binary', value }], logs: [{ timestamp: value, fields: [value] }], references: [value, { spanID: value, traceID: value, refType: value }] })])
        try {
          const result = jaegerImporter.importDocument(document)
          buildTraces(result.spans)
        } catch (error) {
          expect(error, `${field} = ${typeof value}`).toBeInstanceOf(ImportError)
        }
      }
      for (const wrapper of [{ data: value }, { data: [value] }, [value], { spans: value, traceID: 'a' }, { traceID: 'a', spans: [value], processes: value, warnings: value }]) {
        try {
          jaegerImporter.importDocument(wrapper)
        } catch (error) {
          expect(error).toBeInstanceOf(ImportError)
        }
      }
    }
  })

  it('survives every single-node mutation of a real file', () => {
    const original = fixtureDocument('ui_01.json')
    const junk: unknown[] = [null, 0, 'x', [], {}, 2n ** 70n]
    let nodes = 0
    const count = (value: unknown): void => {
      nodes++
      if (Array.isArray(value)) value.forEach(count)
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(count)
    }
    count(original)
    for (let target = 0; target < nodes; target++) {
      for (const replacement of junk) {
        let at = 0
        const mutate = (value: unknown): unknown => {
          if (at++ === target) return replacement
          if (Array.isArray(value)) return value.map(mutate)
          if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mutate(child)]))
          return value
        }
        const document = mutate(original)
        try {
          buildTraces(jaegerImporter.importDocument(document).spans)
        } catch (error) {
          expect(error).toBeInstanceOf(ImportError)
        }
      }
    }
  })
})
