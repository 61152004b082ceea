import { transferablesOf } from '../model/trace.ts'
import { defaultImporters } from '../importers/registry.ts'
import { ImportSession } from './import-pipeline.ts'
import { shareEqualAttributes } from './share-values.ts'
import type { ImportRequest, ImportResponse } from './import-protocol.ts'

/**
 * The import worker: decoding, parsing, importing and building happen here so the page never
 * freezes. Requests run one at a time, in order, so a `clear` sent after an import applies
 * after it. Built traces are posted with their typed arrays transferred, not copied.
 */

/**
 * Span details per message; each message is one task on the page's thread. With 1,000 spans the
 * longest of those tasks (one that met a garbage collection) took 40–55 ms on the benchmark
 * machine (bench/results); with 500, 3 ms on average and 30–57 ms for the longest.
 */
const SPANS_PER_MESSAGE = 500

const session = new ImportSession(defaultImporters)
let queue: Promise<void> = Promise.resolve()

function post(message: ImportResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer })
}

async function handle(request: ImportRequest): Promise<void> {
  if (request.type === 'clear') {
    session.clear()
    return
  }
  const { jobId } = request
  try {
    const { traces, results } = await session.run(request.inputs, {
      onProgress: (progress) => post({ type: 'progress', jobId, progress }),
      onInputResult: (result) => post({ type: 'input-result', jobId, result }),
    })
    const posted = traces.map((trace) => {
      if (trace.spans.length <= SPANS_PER_MESSAGE) return trace
      for (let from = 0; from < trace.spans.length; from += SPANS_PER_MESSAGE) {
        const spans = trace.spans.slice(from, from + SPANS_PER_MESSAGE)
        shareEqualAttributes(spans)
        post({ type: 'spans', jobId, traceId: trace.traceId, spans })
      }
      return { ...trace, spans: [] }
    })
    // A Set, because transferring one buffer twice is a DataCloneError.
    const transfer = new Set<ArrayBuffer>()
    for (const trace of posted) for (const buffer of transferablesOf(trace)) transfer.add(buffer)
    post({ type: 'done', jobId, traces: posted, results }, [...transfer])
  } catch (error) {
    post({ type: 'failed', jobId, message: `The import failed: ${error instanceof Error ? error.message : String(error)}` })
  }
}

self.onmessage = (event: MessageEvent<ImportRequest>) => {
  const request = event.data
  queue = queue.then(() => handle(request))
}
