import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildTraces } from '../model/build-traces.ts'
import { ImportError } from './import-error.ts'
import type { InputImport } from './import-input.ts'
import { importDocuments, importText } from './import-input.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { defaultImporters } from './registry.ts'

/**
 * Property tests on real fixtures, mutated at random: whatever the input, the importers either
 * return spans or throw their own ImportError (never a TypeError from reading a field of
 * undefined), and building traces from what they return never throws and loses no span.
 */

const FIXTURES = [
  'jaeger/ui_01.json',
  'jaeger/testTrace.json',
  'zipkin/yelp.json',
  'zipkin/messaging2.json',
  'zipkin/span-rpc.json',
  'zipkin/test.json',
  'otlp/otel_traces_01.json',
  'otlp/trace.json',
  'otlp/otlp2jaeger-multi-in.json.txt',
  'tempo/trace_by_id.json',
  'jaeger/getTrace-response.json',
] as const

const texts = new Map<string, string>(FIXTURES.map((path) => [path, readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')]))
const textOf = (path: string) => texts.get(path) as string

function importOrImportError(run: () => InputImport): InputImport | undefined {
  try {
    return run()
  } catch (error) {
    if (error instanceof ImportError) return undefined
    throw error
  }
}

/** Every span an importer returns ends up in a trace, or is counted as an exact duplicate removed. */
function expectSpansConserved(result: InputImport): void {
  const traces = buildTraces(result.spans)
  const built = traces.reduce((n, t) => n + t.spanCount, 0)
  const removed = traces.reduce((n, t) => n + (t.inputSpanCount - t.spanCount), 0)
  const warnedRemoved = traces.reduce((n, t) => n + (t.warnings.find((w) => w.kind === 'duplicate-span-removed')?.spanIds.length ?? 0), 0)
  expect(built + removed).toBe(result.spans.length)
  expect(warnedRemoved).toBe(removed)
}

type Json = unknown
type Mutation = (value: Json, pick: number, junk: Json) => Json

/** Applies one mutation at the `pick`-th node (pre-order) of a JSON value. */
function mutateAt(root: Json, target: number, mutate: (node: Json) => Json): Json {
  let counter = 0
  const visit = (node: Json): Json => {
    if (counter++ === target) return mutate(node)
    if (Array.isArray(node)) return node.map(visit)
    if (node !== null && typeof node === 'object') {
      const out: Record<string, Json> = {}
      for (const [key, child] of Object.entries(node)) Object.defineProperty(out, key, { value: visit(child), enumerable: true, writable: true, configurable: true })
      return out
    }
    return node
  }
  return visit(root)
}

function countNodes(value: Json): number {
  if (Array.isArray(value)) return 1 + value.reduce((n: number, v) => n + countNodes(v), 0)
  if (value !== null && typeof value === 'object') return 1 + Object.values(value).reduce((n: number, v) => n + countNodes(v), 0)
  return 1
}

const MUTATIONS: Mutation[] = [
  (node, _pick, junk) => (node === undefined ? node : junk), // replace with anything
  (node, pick) => {
    // delete a key
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node
    const keys = Object.keys(node)
    const drop = keys[pick % Math.max(1, keys.length)]
    return Object.fromEntries(Object.entries(node).filter(([key]) => key !== drop))
  },
  (node, pick) => (Array.isArray(node) && node.length > 0 ? [...node, node[pick % node.length]] : node), // duplicate an element
  (node) => (Array.isArray(node) ? [...node].reverse() : node), // reorder
  (node) => (typeof node === 'string' ? `${node}\u0000é"` : typeof node === 'number' ? -node : node), // odd values
  () => null,
]

const junkValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(null, '', 0, -1, 1e308, 'NaN', '__proto__', [], {}, { __proto__: null }, 9007199254740993n, 'AAAAAAAAAAA='),
)

describe('importers under random mutation of real fixtures', () => {
  it.each(FIXTURES)('%s: JSON-value mutations yield spans or an ImportError, and no span is lost in building', (path) => {
    const documents = parseJsonDocuments(textOf(path))
    const sizes = documents.map(countNodes)
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(MUTATIONS.length - 1), fc.nat(), junkValue), { minLength: 1, maxLength: 4 }),
        (edits) => {
          let docs = documents
          for (const [where, which, pick, junk] of edits) {
            const doc = where % docs.length
            const target = Math.floor(where / docs.length) % (sizes[doc] as number)
            const mutation = MUTATIONS[which] as Mutation
            docs = docs.map((d, i) => (i === doc ? mutateAt(d, target, (node) => mutation(node, pick, junk)) : d))
          }
          const result = importOrImportError(() => importDocuments(docs, defaultImporters))
          if (result) expectSpansConserved(result)
        },
      ),
      { numRuns: 150, seed: 42 },
    )
  })

  it.each(FIXTURES)('%s: text edits (cuts, inserted bytes) yield spans or an ImportError', (path) => {
    const text = textOf(path)
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(40), fc.string({ maxLength: 8 }), (at, cut, insert) => {
        const edited = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut))
        const result = importOrImportError(() => importText(edited, defaultImporters))
        if (result) expectSpansConserved(result)
      }),
      { numRuns: 100, seed: 7 },
    )
  })
})
