import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildTraces } from '../model/build-traces.ts'
import { dumpTrace } from '../model/dump.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { SpanRecord } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import { importText } from './import-input.ts'
import { jaegerApiV3Importer } from './jaeger-api-v3.ts'
import { otlpJsonImporter } from './otlp.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { tempoImporter } from './tempo.ts'

const readFixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')
const parseFixture = (path: string) => parseJsonDocuments(readFixture(path))[0]
/** The dump, with buildTraces' warning lines cut to their kind (their wording is not this file's business). */
const dumpAll = (spans: readonly SpanRecord[]) =>
  buildTraces(spans)
    .map(dumpTrace)
    .join('\n')
    .replace(/^warning ([a-z-]+): .*$/gm, 'warning $1')
const importers = { json: [tempoImporter, jaegerApiV3Importer, otlpJsonImporter], binary: [] }

describe('tempoImporter', () => {
  it('reads a real /api/traces answer: batches, base64 ids, enum names (trace_by_id.json)', () => {
    const document = parseFixture('tempo/trace_by_id.json')
    expect(tempoImporter.detect(document)).toBe(true)
    expect(otlpJsonImporter.detect(document)).toBe(false)
    const { spans, warnings } = tempoImporter.importDocument(document)
    expect(warnings).toEqual([])
    // "B3vTDy+BVLWUjcBHJPif9Q==", "P7TdbwfHmLc=", "2qIRtIJLOhY=", "ymu/6+mnY7A=" in the file.
    expect(dumpAll(spans)).toBe(
      [
        'trace 077bd30f2f8154b5948dc04724f89ff5 spans=3 start=1693573635765422206 duration=2788.428us',
        'app:GET /stock +0us 1303.150us server #3fb4dd6f07c798b7',
        '  app:StockController.getStock +453.360us 555.231us internal #daa211b4824b3a16',
        '    app:kafkaTopic publish +547.345us 2241.083us producer !outside-parent #ca6bbfebe9a763b0',
        'warning child-outside-parent',
      ].join('\n'),
    )
    const root = spans[0] as SpanRecord
    expect(root.scope).toEqual({ name: 'io.opentelemetry.tomcat-10.0', version: '1.29.0-alpha' })
    const args = root.resource.find((attribute) => attribute.key === 'process.command_args')
    expect(args?.value).toEqual(['/opt/java/openjdk/bin/java', '-javaagent:grafana-opentelemetry-java.jar', '-jar', '/app.jar'])
    expect(root.resource.find((attribute) => attribute.key === 'process.pid')?.value).toBe(1n)
  })

  it('reads Tempo < 2.0 batches with instrumentationLibrarySpans, base64 ids and SPAN_KIND_/STATUS_CODE_ names', () => {
    const { spans, warnings } = tempoImporter.importDocument(parseFixture('tempo/batches-instrumentation-library.spanglass.json'))
    expect(warnings).toEqual([])
    expect(dumpAll(spans)).toBe(
      [
        'trace 00000000000000004bf92f3577b34da6 spans=4 start=1633000000000000000 duration=250000us',
        'checkout:POST /cart/checkout +0us 250000us server ERROR #00f067aa0ba902b7',
        '  checkout:HTTP POST +10000us 190000us client ERROR #a3ce929d0e0e4736',
        '    payment:payment.Charge +15000us 180000us server ERROR #b7ad6b7169203331',
        '      payment:db.query +20000us 30000us client #1111111111111111',
      ].join('\n'),
    )
    const [checkout, client, charge] = spans as [SpanRecord, SpanRecord, SpanRecord]
    expect(checkout.scope).toEqual({ name: 'io.opentelemetry.servlet-3.0', version: '1.5.0' })
    expect(client.scope).toEqual({ name: 'io.opentelemetry.okhttp-3.0', version: '1.5.0' })
    expect(charge.scope).toEqual({ name: 'io.opentelemetry.grpc-1.6' })
    expect(checkout.parentSpanId).toBeUndefined()
    expect(checkout.statusMessage).toBe('payment failed')
    expect(checkout.attributes).toEqual([
      { key: 'http.method', value: 'POST' },
      { key: 'http.status_code', value: 500n },
    ])
    // Both spans of the first batch share its resource.
    expect(checkout.resource).toBe(client.resource)
    expect(charge.events).toEqual([{ timeNs: 1633000000190000000n, name: 'exception', attributes: [{ key: 'exception.message', value: 'card declined' }] }])
    expect(charge.kind).toBe(SpanKind.Server)
    expect(charge.statusCode).toBe(StatusCode.Error)
  })

  it('reads a v2 answer and turns status PARTIAL into a source warning with Tempo\'s message', () => {
    const document = parseFixture('tempo/v2-partial.spanglass.json')
    expect(tempoImporter.detect(document)).toBe(true)
    const { spans, warnings } = tempoImporter.importDocument(document)
    expect(warnings).toEqual([
      {
        kind: 'source-warning',
        message:
          'Tempo returned a partial trace (status PARTIAL); some spans may be missing (Tempo says: "the trace is larger than the configured limit; only part of it is returned")',
        spanIds: [],
      },
    ])
    expect(dumpAll(spans)).toBe(
      [
        'trace 0af7651916cd43dd8448eb211c80319c spans=2 start=1700000000100000000 duration=4500us',
        'orders-db:SELECT orders +0us 4500us client !orphan #2222222222222222',
        '  orders-db:pool.acquire +500us 500us internal #3333333333333333',
        'warning orphan',
      ].join('\n'),
    )
  })

  it('reads a complete v2 answer (no status) without warning, and v2 with batches inside', () => {
    const resourceSpans = [{ scopeSpans: [{ spans: [{ traceId: 'AAECAwQFBgcICQoLDA0ODw==', spanId: 'AAECAwQFBgc=', name: 'x' }] }] }]
    const complete = tempoImporter.importDocument({ trace: { resourceSpans }, metrics: { inspectedBytes: '10' } })
    expect(complete.warnings).toEqual([])
    expect(complete.spans.map((span) => span.spanId)).toEqual(['0001020304050607'])
    const batches = tempoImporter.importDocument({ trace: { batches: resourceSpans }, status: 1 })
    expect(batches.spans).toHaveLength(1)
    expect(batches.warnings[0]?.message).toBe('Tempo returned a partial trace (status PARTIAL); some spans may be missing')
    const snake = tempoImporter.importDocument({ trace: { resource_spans: resourceSpans }, status: 'COMPLETE' })
    expect(snake).toEqual({ spans: complete.spans, warnings: [] })
  })

  it('detects batches and trace wrappers only', () => {
    expect(tempoImporter.detect({ batches: [] })).toBe(true)
    expect(tempoImporter.detect({ trace: { resourceSpans: [] } })).toBe(true)
    expect(tempoImporter.detect({ trace: {} })).toBe(false)
    expect(tempoImporter.detect({ resourceSpans: [] })).toBe(false)
    expect(tempoImporter.detect({ batches: 'x' })).toBe(false)
    expect(tempoImporter.detect({ traces: [{ traceID: 'a', rootServiceName: 'b' }] })).toBe(false)
    expect(tempoImporter.detect('batches')).toBe(false)
    expect(() => tempoImporter.importDocument(7)).toThrow(ImportError)
    expect(() => tempoImporter.importDocument({ trace: { resourceSpans: 'x' } })).toThrow(ImportError)
  })

  it('is chosen by the pipeline ahead of plain OTLP, also for a saved v2 answer', () => {
    const v1 = importText(readFixture('tempo/batches-instrumentation-library.spanglass.json'), importers)
    expect(v1.format).toBe('tempo-json')
    const v2 = importText(readFixture('tempo/v2-partial.spanglass.json'), importers)
    expect([v2.format, v2.spans.length, v2.warnings.map((w) => w.kind)]).toEqual(['tempo-json', 2, ['source-warning']])
  })
})
