import { describe, expect, it } from 'vitest'
import { toJaegerJson } from '../../exporters/jaeger-json.ts'
import { toOtlpJson } from '../../exporters/otlp-json.ts'
import { toZipkinJson } from '../../exporters/zipkin-json.ts'
import { stringifyJson } from '../../lib/stringify-json.ts'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { EXPORT_FORMATS } from './export-formats.ts'
import { buildTraceFile, fileNameForTrace } from './export-trace.ts'

const [trace] = fixtureTraces('zipkin/ascend.json')
if (!trace) throw new Error('no trace')

interface OtlpShape {
  resourceSpans: { scopeSpans: { spans: unknown[] }[] }[]
}

describe('buildTraceFile', () => {
  it('writes the same text as the CLI converter for each format', () => {
    expect(buildTraceFile(trace, 'otlp-json').text).toBe(`${stringifyJson(toOtlpJson([trace]))}\n`)
    expect(buildTraceFile(trace, 'jaeger-json').text).toBe(`${stringifyJson(toJaegerJson([trace]))}\n`)
    expect(buildTraceFile(trace, 'zipkin-json').text).toBe(`${stringifyJson(toZipkinJson([trace]))}\n`)
  })

  it('names the file <traceId>.<format>.json and keeps every span', () => {
    const otlp = buildTraceFile(trace, 'otlp-json')
    expect(otlp.fileName).toBe('0000000000000000ef86c83c0a05a6d6.otlp.json')
    expect(otlp.mimeType).toBe('application/json')
    const parsed = JSON.parse(otlp.text) as OtlpShape
    expect(parsed.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))).toHaveLength(trace.spanCount)
    expect(buildTraceFile(trace, 'jaeger-json').fileName).toBe('0000000000000000ef86c83c0a05a6d6.jaeger.json')
    const zipkin = buildTraceFile(trace, 'zipkin-json')
    expect(zipkin.fileName).toBe('0000000000000000ef86c83c0a05a6d6.zipkin.json')
    expect(JSON.parse(zipkin.text)).toHaveLength(trace.spanCount)
    expect(EXPORT_FORMATS.map((f) => f.format)).toEqual(['otlp-json', 'jaeger-json', 'zipkin-json'])
  })

  it('keeps file names to safe characters', () => {
    expect(fileNameForTrace('trace-123', 'otlp')).toBe('trace-123.otlp.json')
    expect(fileNameForTrace('../../etc/passwd', 'zipkin')).toBe('_etc_passwd.zipkin.json')
    expect(fileNameForTrace('', 'jaeger')).toBe('trace.jaeger.json')
  })
})
