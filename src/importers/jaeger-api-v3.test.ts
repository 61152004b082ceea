import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildTraces } from '../model/build-traces.ts'
import { dumpTrace } from '../model/dump.ts'
import { StatusCode } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import { importText } from './import-input.ts'
import { jaegerApiV3Importer } from './jaeger-api-v3.ts'
import { otlpJsonImporter } from './otlp.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { tempoImporter } from './tempo.ts'

const readFixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')
const importers = { json: [tempoImporter, jaegerApiV3Importer, otlpJsonImporter], binary: [] }

describe('jaegerApiV3Importer', () => {
  it('reads a FindTraces snapshot: empty resource and scope, error status, no times (FindTraces.json)', () => {
    const [document] = parseJsonDocuments(readFixture('jaeger/FindTraces.json'))
    expect(jaegerApiV3Importer.detect(document)).toBe(true)
    expect(tempoImporter.detect(document)).toBe(false)
    expect(otlpJsonImporter.detect(document)).toBe(false)
    const { spans, warnings } = jaegerApiV3Importer.importDocument(document)
    expect(warnings).toEqual([])
    expect(spans[0]?.resource).toEqual([])
    expect(spans[0]?.scope).toBeUndefined()
    expect(spans[0]?.statusCode).toBe(StatusCode.Error)
    expect(buildTraces(spans).map(dumpTrace).join('\n').replace(/^warning ([a-z-]+): .*$/gm, 'warning $1')).toBe(
      [
        'trace 00000000000000000000000000000001 spans=1 start=0 duration=0us',
        'unknown_service:foobar +0us 0us server ERROR !no-start,no-duration #0000000000000002',
        'warning missing-start',
        'warning missing-duration',
      ].join('\n'),
    )
  })

  it('reads a GetTrace answer of a HotROD trace (getTrace-response.json)', () => {
    const result = importText(readFixture('jaeger/getTrace-response.json'), importers)
    expect(result.format).toBe('jaeger-api-v3')
    expect(result.warnings).toEqual([])
    expect(result.spans).toHaveLength(40)
    const [trace] = buildTraces(result.spans)
    expect(trace?.spanCount).toBe(40)
    expect(trace?.errorCount).toBe(3)
    expect(new Set(result.spans.map((span) => span.service))).toEqual(new Set(['frontend', 'customer', 'mysql', 'driver', 'redis-manual', 'route']))
    // 0x101: sampled, parent not remote; 0x301: sampled, parent remote (the server spans).
    expect(result.spans.filter((span) => span.flags === 257)).toHaveLength(28)
    expect(result.spans.filter((span) => span.flags === 769)).toHaveLength(12)
    expect(dumpTrace(trace!).split('\n').slice(0, 5)).toEqual([
      'trace 2ea75461946a7dd10f2c15ab36a076cb spans=40 start=1782036644630407050 duration=702608.277us',
      'frontend:GET /dispatch +0us 702608.277us server #c8d93156b47cd010',
      '  frontend:HTTP GET +6261.275us 261558.454us client #9082d67808fc8870',
      '    customer:GET /customer +8937.774us 258421.463us server #2947f6da1a6168d0',
      '      mysql:SQL SELECT +9661.321us 257310.354us client #9580b82434d5a1b8',
    ])
    const client = result.spans.find((span) => span.spanId === '9082d67808fc8870')
    expect(client?.scope).toEqual({ name: 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp', version: '0.69.0' })
    expect(client?.attributes.find((attribute) => attribute.key === 'http.response.status_code')?.value).toBe(200n)
  })

  it('reads several results streamed back to back, and snake_case inside', () => {
    const one = (spanId: string) => JSON.stringify({ result: { resource_spans: [{ scope_spans: [{ spans: [{ trace_id: '0102030405060708090a0b0c0d0e0f10', span_id: spanId }] }] }] } })
    const result = importText(`${one('0000000000000001')}${one('0000000000000002')}`, importers)
    expect(result.format).toBe('jaeger-api-v3')
    expect(result.spans.map((span) => span.spanId)).toEqual(['0000000000000001', '0000000000000002'])
  })

  it('detects only result.resourceSpans', () => {
    expect(jaegerApiV3Importer.detect({ result: { resourceSpans: [] } })).toBe(true)
    expect(jaegerApiV3Importer.detect({ result: {} })).toBe(false)
    expect(jaegerApiV3Importer.detect({ error: { httpCode: 404, message: 'No traces found' } })).toBe(false)
    expect(jaegerApiV3Importer.detect({ summaries: [] })).toBe(false)
    expect(() => jaegerApiV3Importer.importDocument({ result: 1 })).toThrow(ImportError)
  })
})
