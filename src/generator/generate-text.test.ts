import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { generateSpans, MAX_REGULAR_DEPTH } from './generate-spans.ts'
import { GEN_FORMATS, generateTraceText } from './generate-text.ts'
import type { GenFormat, GenerateTextOptions } from './generate-text.ts'
import { MAX_ATTRIBUTES, MIN_ATTRIBUTES } from './span-details.ts'
import { readGenerated } from './testing/read-generated.ts'
import type { ReadSpan } from './testing/read-generated.ts'

const text = (options: GenerateTextOptions): string => [...generateTraceText(options)].join('')
const read = (format: GenFormat, spanCount: number, traceCount = 1, seed = 1): ReadSpan[] =>
  readGenerated(format, text({ format, spanCount, traceCount, seed }))

/** Depth of every span, walking parent links iteratively (chains are hundreds deep). */
function depths(spans: readonly ReadSpan[]): Map<string, number> {
  const byId = new Map(spans.map((s) => [s.spanId, s]))
  const out = new Map<string, number>()
  for (const span of spans) {
    const path: ReadSpan[] = []
    let cur: ReadSpan | undefined = span
    while (cur !== undefined && !out.has(cur.spanId)) {
      path.push(cur)
      cur = cur.parentId === undefined ? undefined : byId.get(cur.parentId)
    }
    let d = cur === undefined ? -1 : (out.get(cur.spanId) as number)
    for (let i = path.length - 1; i >= 0; i--) out.set((path[i] as ReadSpan).spanId, ++d)
  }
  return out
}

function childCounts(spans: readonly ReadSpan[]): number[] {
  const counts = new Map<string, number>()
  for (const s of spans) if (s.parentId !== undefined) counts.set(s.parentId, (counts.get(s.parentId) ?? 0) + 1)
  return [...counts.values()]
}

describe.each(GEN_FORMATS)('%s', (format) => {
  it('is byte-identical for the same arguments and differs for another seed', () => {
    const a = text({ format, spanCount: 700, traceCount: 2, seed: 42 })
    expect(text({ format, spanCount: 700, traceCount: 2, seed: 42, chunkChars: 999 })).toBe(a)
    expect(text({ format, spanCount: 700, traceCount: 2, seed: 43 })).not.toBe(a)
  })

  it.each([
    [1, 1],
    [2, 1],
    [37, 1],
    [37, 37],
    [1000, 3],
    [600, 1],
    [600, 7],
  ])('writes exactly %i spans over %i traces', (spanCount, traceCount) => {
    const spans = read(format, spanCount, traceCount, spanCount + traceCount)
    expect(spans).toHaveLength(spanCount)
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spanCount)
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(traceCount)
    expect(spans.filter((s) => s.parentId === undefined)).toHaveLength(traceCount)
  })

  it('links every child to a parent in its trace and keeps it inside the parent window', () => {
    const spans = read(format, 2000, 3, 5)
    const byId = new Map(spans.map((s) => [s.spanId, s]))
    const problems: string[] = []
    for (const s of spans) {
      if (!/^[0-9a-f]{32}$/.test(s.traceId) || !/^[0-9a-f]{16}$/.test(s.spanId)) problems.push(`bad ids ${s.traceId}/${s.spanId}`)
      if (s.endNs < s.startNs) problems.push(`${s.spanId} ends before it starts`)
      if (s.parentId === undefined) continue
      const parent = byId.get(s.parentId)
      if (parent === undefined || parent.traceId !== s.traceId) problems.push(`${s.spanId} has no parent in its trace`)
      else if (s.startNs < parent.startNs || s.endNs > parent.endNs) problems.push(`${s.spanId} lies outside its parent`)
    }
    expect(problems).toEqual([])
  })

  it('places spans near a seed-derived 2024 base epoch', () => {
    const from = BigInt(Date.UTC(2024, 0, 1)) * 1_000_000n
    const to = BigInt(Date.UTC(2025, 1, 1)) * 1_000_000n
    const spans = read(format, 500, 5, 9)
    expect(spans.filter((s) => s.startNs < from || s.endNs >= to)).toEqual([])
  })
})

describe('generated trace shape', () => {
  it('has a chain deeper than 12 at 10,000 spans, and fan-outs of 50+ children', () => {
    const spans = read('zipkin-json', 10_000)
    expect(Math.max(...depths(spans).values())).toBeGreaterThan(200)
    expect(Math.max(...childCounts(spans))).toBeGreaterThanOrEqual(50)
    for (const seed of [2]) {
      let deepest = 0
      for (const s of generateSpans({ spanCount: 10_000, seed })) deepest = Math.max(deepest, s.depth)
      expect(deepest).toBeGreaterThan(MAX_REGULAR_DEPTH)
    }
  })

  it('has a fan-out of 50–500 children already at 2,000 spans', () => {
    const widest = Math.max(...childCounts(read('zipkin-json', 2000)))
    expect(widest).toBeGreaterThanOrEqual(50)
    expect(widest).toBeLessThanOrEqual(500)
  })

  it('gives every span 5 to 15 attributes', () => {
    const counts = read('otlp-json', 3000, 2).map((s) => s.attributeCount)
    expect(Math.min(...counts)).toBe(MIN_ATTRIBUTES)
    expect(Math.max(...counts)).toBe(MAX_ATTRIBUTES)
  })

  it('keeps the regular tree within depth 12 and has all span kinds, ~20 services, events', () => {
    const kinds = new Set<string>()
    const services = new Set<string>()
    let regularDeepest = 0
    const inChain = new Set<string>()
    let exceptions = 0
    let errors = 0
    let spans = 0
    for (const s of generateSpans({ spanCount: 8_000, traceCount: 20, seed: 11 })) {
      spans++
      kinds.add(s.kind)
      services.add(s.service.def.name)
      // Recursive chains (and the lookup at their bottom) are the only spans allowed below depth 12.
      if (s.attributes.some((a) => a.key === 'app.recursion.depth') || (s.parentSpanId !== undefined && inChain.has(s.parentSpanId))) inChain.add(s.spanId)
      else regularDeepest = Math.max(regularDeepest, s.depth)
      if (s.isError) {
        errors++
        const exception = s.events.find((e) => e.name === 'exception')
        const keys = exception?.attributes.map((a) => a.key).join(',')
        if (s.statusMessage && keys === 'exception.type,exception.message,exception.stacktrace,exception.escaped') exceptions++
      }
    }
    expect(spans).toBe(8_000)
    expect([...kinds].sort()).toEqual(['client', 'consumer', 'internal', 'producer', 'server'])
    expect(services.size).toBeGreaterThanOrEqual(18)
    expect(regularDeepest).toBeLessThanOrEqual(MAX_REGULAR_DEPTH)
    expect(exceptions).toBe(errors)
    const ratio = errors / spans
    expect(ratio).toBeGreaterThanOrEqual(0.01)
    expect(ratio).toBeLessThanOrEqual(0.03)
  })

  it('writes the same spans, times and errors in every format', () => {
    const key = (s: ReadSpan): string => `${s.traceId}/${s.spanId}/${s.parentId ?? ''}/${s.service}/${s.startNs / 1000n}/${s.isError}`
    const [otlp, jaeger, zipkin] = GEN_FORMATS.map((f) => read(f, 1200, 2, 77).map(key).sort())
    expect(jaeger).toEqual(otlp)
    expect(zipkin).toEqual(otlp)
  })

  it('rejects impossible options', () => {
    expect(() => [...generateSpans({ spanCount: 0 })]).toThrow(RangeError)
    expect(() => [...generateSpans({ spanCount: 3, traceCount: 4 })]).toThrow(RangeError)
    expect(() => [...generateSpans({ spanCount: 1.5 })]).toThrow(RangeError)
    expect(() => [...generateSpans({ spanCount: 1, seed: -1 })]).toThrow(RangeError)
  })
})

describe('OTLP JSON lines', () => {
  it('writes one TracesData per batch with one resourceSpans per service', () => {
    const lines = text({ format: 'otlp-json', spanCount: 2500, traceCount: 2, otlpBatchSpans: 1000 }).split('\n')
    expect(lines.pop()).toBe('')
    expect(lines).toHaveLength(3)
    for (const line of lines) {
      const doc = JSON.parse(line) as { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] } }[] }
      const services = doc.resourceSpans.map((rs) => rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue)
      expect(new Set(services).size).toBe(services.length)
      const keys = doc.resourceSpans[0]?.resource.attributes.map((a) => a.key)
      expect(keys).toEqual(expect.arrayContaining(['service.name', 'service.version', 'host.name', 'k8s.pod.name']))
    }
  })

  it('is a single JSON document when the spans fit one batch', () => {
    const out = text({ format: 'otlp-json', spanCount: 800, traceCount: 1 })
    expect(out.trimEnd().split('\n')).toHaveLength(1)
    expect(() => JSON.parse(out) as unknown).not.toThrow()
  })
})

describe('Jaeger and Zipkin details', () => {
  it('Jaeger: typed tags, CHILD_OF references, every processID resolves', () => {
    const doc = JSON.parse(text({ format: 'jaeger-json', spanCount: 600, traceCount: 2, seed: 3 })) as {
      data: {
        processes: Record<string, { serviceName: string }>
        spans: { processID: string; references: { refType: string }[]; tags: { type: string }[] }[]
      }[]
    }
    expect(doc.data).toHaveLength(2)
    const problems: string[] = []
    for (const trace of doc.data) {
      for (const span of trace.spans) {
        if (!trace.processes[span.processID]?.serviceName) problems.push(`unknown process ${span.processID}`)
        for (const ref of span.references) if (ref.refType !== 'CHILD_OF') problems.push(ref.refType)
        for (const tag of span.tags) if (!['string', 'bool', 'int64', 'float64'].includes(tag.type)) problems.push(tag.type)
      }
    }
    expect(problems).toEqual([])
  })

  it('Zipkin: string tags, upper-case kinds, shared:false on servers, remote endpoints on clients', () => {
    const spans = JSON.parse(text({ format: 'zipkin-json', spanCount: 600, seed: 3 })) as {
      kind?: string
      shared?: boolean
      tags: Record<string, unknown>
      remoteEndpoint?: { serviceName: string }
    }[]
    const problems: string[] = []
    for (const span of spans) {
      for (const value of Object.values(span.tags)) if (typeof value !== 'string') problems.push(`tag ${String(value)}`)
      if (![undefined, 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].includes(span.kind)) problems.push(`kind ${span.kind}`)
      if (span.kind === 'SERVER' && span.shared !== false) problems.push('server without shared:false')
      if (span.kind === 'CLIENT' && !span.remoteEndpoint?.serviceName) problems.push('client without remote')
    }
    expect(problems).toEqual([])
  })
})

describe('generator core', () => {
  it('imports nothing Node-only, so it can run in a browser', () => {
    const dir = dirname(fileURLToPath(import.meta.url))
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    expect(sources.length).toBeGreaterThan(5)
    for (const file of sources) expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/from ['"](node:|fs|path|stream)/)
  })
})
