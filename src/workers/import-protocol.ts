import type { CriticalPath } from '../model/analyses/critical-path.ts'
import type { FormatId, SpanRecord, TraceWarning } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'

/**
 * Messages between the page and the import worker. Everything here is structured-cloneable:
 * a `File` travels as is (the worker streams it), and built traces come back with their typed
 * arrays transferred rather than copied.
 */

export type ImportSource =
  /** A dropped or picked file (a `File` is a `Blob`). */
  | { readonly kind: 'blob'; readonly blob: Blob }
  /** Pasted text. */
  | { readonly kind: 'text'; readonly text: string }
  /** An absolute http(s) URL, fetched by the worker. */
  | { readonly kind: 'url'; readonly url: string }

export interface ImportInput {
  /** Unique per input for the page's lifetime (and in IndexedDB). */
  readonly id: string
  /** A file name, "pasted JSON", or the URL's last path segment. */
  readonly name: string
  readonly source: ImportSource
}

export type ImportStage = 'reading' | 'decompressing' | 'parsing' | 'importing' | 'building'

export interface ImportProgress {
  readonly stage: ImportStage
  /** Of the whole job, 0…1. */
  readonly fraction: number
  /** The input being worked on; undefined while building traces. */
  readonly inputName?: string
}

/** What one input yielded; `error` set means nothing was imported from it. */
export interface InputResult {
  readonly id: string
  readonly name: string
  readonly format?: FormatId
  readonly formats: readonly FormatId[]
  readonly spanCount: number
  readonly byteCount?: number
  /** Traces this input contributed spans to. */
  readonly traceIds: readonly string[]
  /** Warnings of the importer for this input (trace-building warnings live on each trace). */
  readonly warnings: readonly TraceWarning[]
  /** Shown as is: an `ImportError` message, or a sentence naming what failed. */
  readonly error?: string
}

export type ImportRequest =
  | { readonly type: 'import'; readonly jobId: number; readonly inputs: readonly ImportInput[] }
  /** Forget every loaded span, so later inputs start a fresh set of traces. */
  | { readonly type: 'clear' }
  /** Send the span details that the job's `done` left out (see `done`). */
  | { readonly type: 'details'; readonly jobId: number; readonly traceIds: readonly string[] }

export type ImportResponse =
  | { readonly type: 'progress'; readonly jobId: number; readonly progress: ImportProgress }
  | { readonly type: 'input-result'; readonly jobId: number; readonly result: InputResult }
  /**
   * The span details of a large trace, in order, a chunk per message, in answer to `details`:
   * deserializing 100,000 records in one message would block the page for seconds, chunks keep
   * it responsive. `isLast` marks the trace's last chunk.
   */
  | { readonly type: 'spans'; readonly jobId: number; readonly traceId: string; readonly spans: readonly SpanRecord[]; readonly isLast: boolean }
  /**
   * Every trace the job touched, rebuilt with the fragments of earlier jobs merged in. A large
   * trace comes without its span details (`spans` empty while `spanCount` is not): its columns
   * are enough to draw it, and the page asks for the details with `details` once it has painted.
   */
  | {
      readonly type: 'done'
      readonly jobId: number
      readonly traces: readonly Trace[]
      readonly results: readonly InputResult[]
      /** The critical paths the worker computed, for very large traces (see `WorkerCriticalPath`). */
      readonly criticalPaths?: readonly WorkerCriticalPath[]
    }
  /** The job itself failed (not one input): a bug, or the worker ran out of memory. */
  | { readonly type: 'failed'; readonly jobId: number; readonly message: string }

/**
 * The critical path of a trace of `CRITICAL_PATH_IN_WORKER_SPANS` spans or more (worker-critical-paths.ts), computed by the
 * worker before it posts the columns (0.1–0.2 s at a million spans, which on the page would be
 * one long task right after the first paint), with its compute time.
 */
export interface WorkerCriticalPath {
  readonly traceId: string
  readonly path: CriticalPath
  readonly computeMs: number
}
