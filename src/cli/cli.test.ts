import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importText } from '../importers/import-input.ts'
import { defaultImporters } from '../importers/registry.ts'

const ROOT = new URL('../..', import.meta.url).pathname
const TSX = join(ROOT, 'node_modules/.bin/tsx')

function cli(...args: string[]) {
  const result = spawnSync(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

// Each run starts tsx (a second or more on a busy machine): give the suites room.
describe('cli inspect', { timeout: 60_000 }, () => {
  it('prints the JSON contract for several files of different formats', () => {
    const { code, stdout, stderr } = cli('inspect', 'fixtures/jaeger/testTraceNormal.json', 'fixtures/zipkin/messaging.json', '--json')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(Object.keys(report)).toEqual(['files', 'traces'])
    expect(report.files).toEqual([
      { file: 'fixtures/jaeger/testTraceNormal.json', format: 'jaeger-json', spans: expect.any(Number) },
      { file: 'fixtures/zipkin/messaging.json', format: 'zipkin-v2', spans: expect.any(Number) },
    ])
    expect(report.traces).toHaveLength(2)
    for (const trace of report.traces) {
      expect(Object.keys(trace)).toEqual(['traceId', 'spanCount', 'services', 'rootSpanNames', 'errorSpanCount', 'durationNs', 'warnings'])
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/)
    }
    const spansInFiles = report.files.reduce((n: number, f: { spans: number }) => n + f.spans, 0)
    const spansInTraces = report.traces.reduce((n: number, t: { spanCount: number }) => n + t.spanCount, 0)
    expect(spansInTraces).toBe(spansInFiles)
  })

  it('prints a readable summary by default', () => {
    const { code, stdout } = cli('inspect', 'fixtures/otlp/trace.json')
    expect(code).toBe(0)
    expect(stdout).toContain('fixtures/otlp/trace.json: otlp-json')
    expect(stdout).toMatch(/trace 5b8efff798038103d269b633813fc60c/)
  })

  it('exits 1 with one line on stderr for a missing file and for a non-trace file', () => {
    const missing = cli('inspect', 'no/such/file.json')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('no/such/file.json: cannot read: no such file\n')
    const notTrace = cli('inspect', 'fixtures/jaeger/GetServices.json', '--json')
    expect(notTrace.code).toBe(1)
    expect(notTrace.stdout).toBe('')
    expect(notTrace.stderr.trim().split('\n')).toHaveLength(1)
    expect(notTrace.stderr).toMatch(/^fixtures\/jaeger\/GetServices\.json: Not a trace format/)
  })

  it('exits 1 for malformed JSON, naming line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanglass-'))
    writeFileSync(join(dir, 'bad.json'), '{\n  "data": [\n    {"traceID": }\n  ]\n}\n')
    const { code, stderr } = cli('inspect', join(dir, 'bad.json'))
    expect(code).toBe(1)
    expect(stderr).toMatch(/bad\.json: Malformed JSON at line 3, column 17/)
  })
})

describe('cli convert', { timeout: 60_000 }, () => {
  it('converts Jaeger to OTLP JSON with the contract shape', () => {
    const { code, stdout } = cli('convert', 'fixtures/jaeger/testTraceNormal.json', '--to', 'otlp-json')
    expect(code).toBe(0)
    const otlp = JSON.parse(stdout)
    const span = otlp.resourceSpans[0].scopeSpans[0].spans[0]
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/)
    expect(typeof span.kind).toBe('number')
    expect(span.startTimeUnixNano).toMatch(/^\d+$/)
    expect(otlp.resourceSpans[0].resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: expect.any(String) } })
  })

  it('writes to -o and keeps the span count across every output format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanglass-'))
    const source = 'fixtures/zipkin/smartthings-oauth-authorization.json'
    const original = importText(readFileSync(join(ROOT, source), 'utf8'), defaultImporters).spans.length
    for (const to of ['otlp-json', 'jaeger-json', 'zipkin-json']) {
      const out = join(dir, `${to}.json`)
      const { code } = cli('convert', source, '--to', to, '-o', out)
      expect(code).toBe(0)
      expect(importText(readFileSync(out, 'utf8'), defaultImporters).spans).toHaveLength(original)
    }
  })

  it('refuses an unknown output format', () => {
    const { code, stderr } = cli('convert', 'fixtures/otlp/trace.json', '--to', 'xml')
    expect(code).toBe(2)
    expect(stderr).toContain('unknown output format "xml"')
  })
})
