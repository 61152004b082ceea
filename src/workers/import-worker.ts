import { materializeSpan } from '../model/lazy-span.ts'
import type { SpanRecord } from '../model/span-record.ts'
import { transferablesOf } from '../model/trace.ts'
import type { Trace } from '../model/trace.ts'
import { defaultImporters } from '../importers/registry.ts'
import { ImportSession } from './import-pipeline.ts'
import { shareEqualAttributes } from './share-values.ts'
import type { ImportRequest, ImportResponse } from './import-protocol.ts'
import { workerCriticalPaths } from './worker-critical-paths.ts'
import { workerUnsafeIntegerCheck } from './unsafe-integer-check.ts'

/**
 * The import worker: decoding, parsing, importing and building happen here so the page never
 * freezes. Requests run one at a time, in order, so a `clear` sent after an import applies
 * after it. Built traces are posted with their typed arrays transferred, not copied.
 *
 * A large trace is posted without its span details: the columns draw the waterfall, and the
 * details (read lazily by the importers, then structured-cloned) would cost the page more than
 * the drawing. The page asks for them once it has painted; the worker keeps them until then.
 */

/**
 * Span details per message; each message is one task on the page's thread. With 1,000 spans the
 * longest of those tasks (one that met a garbage collection) took 40–55 ms on the benchmark
 * machine (bench/results); with 500, 3 ms on average and 30–57 ms for the longest.
 */
const SPANS_PER_MESSAGE = 500

const session = new ImportSession(defaultImporters, { checkUnsafeIntegers: workerUnsafeIntegerCheck() })
let queue: Promise<void> = Promise.resolve()
/** The details held back from `done`, by trace id, with the job that built them. */
const heldDetails = new Map<string, { readonly jobId: number; readonly spans: readonly SpanRecord[] }>()

function post(message: ImportResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer })
}

function plainSpans(spans: readonly SpanRecord[]): SpanRecord[] {
  const plain = spans.map(materializeSpan)
  shareEqualAttributes(plain)
  return plain
}

async function handle(request: ImportRequest): Promise<void> {
  if (request.type === 'clear') {
    session.clear()
    heldDetails.clear()
    return
  }
  if (request.type === 'details') {
    for (const traceId of request.traceIds) sendDetails(request.jobId, traceId)
    return
  }
  const { jobId } = request
  try {
    const { traces, results } = await session.run(request.inputs, {
      onProgress: (progress) => post({ type: 'progress', jobId, progress }),
      onInputResult: (result) => post({ type: 'input-result', jobId, result }),
    })
    const posted = traces.map((trace): Trace => {
      if (trace.spans.length <= SPANS_PER_MESSAGE) {
        heldDetails.delete(trace.traceId)
        return { ...trace, spans: plainSpans(trace.spans) }
      }
      heldDetails.set(trace.traceId, { jobId, spans: trace.spans })
      return { ...trace, spans: [] }
    })
    // Before the columns are transferred, which leaves them empty here.
    const { criticalPaths, buffers } = workerCriticalPaths(posted)
    // A Set, because transferring one buffer twice is a DataCloneError.
    const transfer = new Set<ArrayBuffer>(buffers)
    for (const trace of posted) for (const buffer of transferablesOf(trace)) transfer.add(buffer)
    post({ type: 'done', jobId, traces: posted, results, criticalPaths }, [...transfer])
  } catch (error) {
    post({ type: 'failed', jobId, message: `The import failed: ${error instanceof Error ? error.message : String(error)}` })
  }
}

/** The held details of one trace, in chunks; nothing when a later job rebuilt the trace or it was cleared. */
function sendDetails(jobId: number, traceId: string): void {
  const held = heldDetails.get(traceId)
  if (!held || held.jobId !== jobId) return
  heldDetails.delete(traceId)
  const { spans } = held
  for (let from = 0; from < spans.length; from += SPANS_PER_MESSAGE) {
    const to = Math.min(spans.length, from + SPANS_PER_MESSAGE)
    post({ type: 'spans', jobId, traceId, spans: plainSpans(spans.slice(from, to)), isLast: to === spans.length })
  }
}

self.onmessage = (event: MessageEvent<ImportRequest>) => {
  const request = event.data
  queue = queue.then(() => handle(request))
}
