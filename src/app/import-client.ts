import type { SpanRecord } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'
import type { ImportActions } from '../state/import-actions.ts'
import { useTracesStore } from '../state/traces-store.ts'
import type { InputKind } from '../state/traces-store.ts'
import type { ImportInput, ImportRequest, ImportResponse, InputResult } from '../workers/import-protocol.ts'
import { carryTraceState } from '../views/trace/carry-trace-state.ts'
import { rememberWorkerCriticalPath } from '../views/trace/column-analyses.ts'
import { clearInputs, loadInputs, saveInput } from './persisted-inputs.ts'
import type { PersistedInput } from './persisted-inputs.ts'

/**
 * The page's side of the import worker: posts inputs, feeds progress and results into the
 * traces store, persists successful inputs, and restores them on the next visit.
 */

interface Backend {
  post(request: ImportRequest): void
}

interface PendingJob {
  readonly inputIds: readonly string[]
  readonly generation: number
  readonly resolve: (traceIds: readonly string[]) => void
}

/** An input as the client tracks it until its result is known. */
interface ClientInput extends ImportInput {
  readonly kind: InputKind
  readonly url?: string
  /** Set for inputs restored from IndexedDB, which need not be saved again. */
  readonly isRestored?: boolean
  /** Set for inputs that are not saved for the next visit (a backend's answer: the link refetches it). */
  readonly isEphemeral?: boolean
}

export interface ImportClient extends ImportActions {
  /** Imports the inputs saved by an earlier visit. */
  restore(): Promise<void>
}

let idCounter = 0
function createInputId(): string {
  idCounter++
  return `${Date.now().toString(36)}-${idCounter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

/** Only http(s) URLs are fetched: a `javascript:` or `file:` URL from a link is refused. */
export function resolveFetchUrl(url: string): URL {
  let resolved: URL
  try {
    resolved = new URL(url.trim(), window.location.href)
  } catch {
    throw new Error(`Not a URL: ${JSON.stringify(url)}.`)
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') throw new Error(`Only http and https URLs can be loaded, not ${resolved.protocol}`)
  return resolved
}

function nameOfUrl(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).pop()
  try {
    return segment ? decodeURIComponent(segment) : url.host
  } catch {
    return segment ?? url.host
  }
}

let sharedClient: ImportClient | undefined

/** The page's one client (one worker), however often React asks for it. */
export function getImportClient(): ImportClient {
  sharedClient ??= createImportClient()
  return sharedClient
}

export function createImportClient(): ImportClient {
  const store = useTracesStore
  const jobs = new Map<number, PendingJob>()
  const inputsById = new Map<string, ClientInput>()
  /** One import per URL per session: `?url=` on reload, restore and a click must not load it twice. */
  const urlImports = new Map<string, Promise<readonly string[]>>()
  let nextJobId = 1
  let generation = 0
  let restorePromise: Promise<void> | undefined

  /**
   * Large traces arrive without their span details (see `ImportResponse` 'done'): the client asks
   * for them once the page is idle (it has painted), collects the chunks, and swaps in the trace
   * with its details, carrying the open view's state (selection, collapsed, zoom) over.
   */
  const pendingDetails = new Map<string, { readonly jobId: number; readonly spans: SpanRecord[] }>()
  const requestDetails = (jobId: number, traceIds: readonly string[]) => {
    const requestedGeneration = generation
    whenIdle(() => {
      if (requestedGeneration === generation) backend.post({ type: 'details', jobId, traceIds })
    })
  }
  const attachDetails = (traceId: string, spans: readonly SpanRecord[]) => {
    const current = store.getState().traces.get(traceId)
    if (!current || current.spans.length > 0 || current.spanCount !== spans.length) return
    const next: Trace = { ...current, spans }
    carryTraceState(current, next)
    store.getState().replaceTrace(next)
  }

  const handleResponse = (response: ImportResponse) => {
    if (response.type === 'spans') {
      const pending = pendingDetails.get(response.traceId)
      if (!pending || pending.jobId !== response.jobId) return
      for (const span of response.spans) pending.spans.push(span)
      if (response.isLast) {
        pendingDetails.delete(response.traceId)
        attachDetails(response.traceId, pending.spans)
      }
      return
    }
    const job = jobs.get(response.jobId)
    if (!job || job.generation !== generation) return
    switch (response.type) {
      case 'progress':
        store.getState().setProgress(response.progress)
        break
      case 'input-result':
        store.getState().finishInput(response.result)
        break
      case 'done': {
        jobs.delete(response.jobId)
        const held = response.traces.filter((trace) => trace.spans.length === 0 && trace.spanCount > 0).map((trace) => trace.traceId)
        // A trace rebuilt by this job supersedes the details an earlier job may still be sending.
        for (const trace of response.traces) pendingDetails.delete(trace.traceId)
        for (const traceId of held) pendingDetails.set(traceId, { jobId: response.jobId, spans: [] })
        for (const { traceId, path, computeMs } of response.criticalPaths ?? []) {
          const trace = response.traces.find((candidate) => candidate.traceId === traceId)
          if (trace) rememberWorkerCriticalPath(trace, { path, computeMs })
        }
        const finish = () => {
          if (job.generation !== generation) return job.resolve([])
          store.getState().finishJob(response.traces, response.results)
          for (const result of response.results) persistResult(result)
          if (held.length > 0) requestDetails(response.jobId, held)
          job.resolve(unionOfTraceIds(response.results))
        }
        // Taking in a large trace's columns (its message) and rendering it (an open trace page
        // renders at once) are two tasks, so that neither comes near 100 ms.
        if (held.length > 0) setTimeout(finish, 0)
        else finish()
        break
      }
      case 'failed':
        jobs.delete(response.jobId)
        store.getState().failJob(job.inputIds, response.message)
        job.resolve([])
        break
    }
  }

  const failAllJobs = (message: string) => {
    for (const [jobId, job] of jobs) {
      jobs.delete(jobId)
      store.getState().failJob(job.inputIds, message)
      job.resolve([])
    }
  }

  const backend = createBackend(handleResponse, failAllJobs)

  const persistResult = (result: InputResult) => {
    const input = inputsById.get(result.id)
    inputsById.delete(result.id)
    if (!input || input.isRestored || input.isEphemeral || result.error !== undefined) return
    const record: PersistedInput =
      input.source.kind === 'url'
        ? { id: input.id, name: input.name, kind: input.kind, url: input.source.url, addedAtMs: Date.now() }
        : {
            id: input.id,
            name: input.name,
            kind: input.kind,
            blob: input.source.kind === 'blob' ? input.source.blob : new Blob([input.source.text], { type: 'application/json' }),
            addedAtMs: Date.now(),
          }
    void saveInput(record)
  }

  const startJob = (inputs: readonly ClientInput[]): Promise<readonly string[]> => {
    if (inputs.length === 0) return Promise.resolve([])
    const jobId = nextJobId++
    for (const input of inputs) inputsById.set(input.id, input)
    store.getState().startJob(inputs.map(({ id, name, kind, url }) => ({ id, name, kind, url })))
    return new Promise((resolve) => {
      jobs.set(jobId, { inputIds: inputs.map((input) => input.id), generation, resolve })
      backend.post({ type: 'import', jobId, inputs: inputs.map(({ id, name, source }) => ({ id, name, source })) })
    })
  }

  const startUrlImport = (url: string, id: string, isRestored: boolean): Promise<readonly string[]> => {
    const promise = startJob([{ id, name: nameOfUrl(new URL(url)), kind: 'url', url, source: { kind: 'url', url }, isRestored }])
    urlImports.set(url, promise)
    // A failed URL may be tried again.
    void promise.then((traceIds) => {
      if (traceIds.length === 0 && urlImports.get(url) === promise) urlImports.delete(url)
    })
    return promise
  }

  return {
    importFiles(files) {
      void startJob(files.map((file) => ({ id: createInputId(), name: file.name || 'unnamed file', kind: 'file', source: { kind: 'blob', blob: file } })))
    },

    importText(text) {
      void startJob([{ id: createInputId(), name: 'pasted JSON', kind: 'paste', source: { kind: 'text', text } }])
    },

    importBlob(blob, name) {
      return startJob([{ id: createInputId(), name, kind: 'file', source: { kind: 'blob', blob }, isEphemeral: true }])
    },

    importUrl(url) {
      let resolved: URL
      try {
        resolved = resolveFetchUrl(url)
      } catch (error) {
        const id = createInputId()
        store.getState().startJob([{ id, name: url, kind: 'url' }])
        store.getState().failJob([id], error instanceof Error ? error.message : String(error))
        return Promise.resolve([])
      }
      return urlImports.get(resolved.href) ?? startUrlImport(resolved.href, createInputId(), false)
    },

    clearAll() {
      generation++
      jobs.forEach((job) => job.resolve([]))
      jobs.clear()
      pendingDetails.clear()
      inputsById.clear()
      urlImports.clear()
      backend.post({ type: 'clear' })
      store.getState().clear()
      void clearInputs()
    },

    restore() {
      restorePromise ??= (async () => {
        store.getState().setRestoring(true)
        try {
          const records = await loadInputs()
          const blobs = records.filter((record) => record.blob !== undefined)
          void startJob(
            blobs.map((record) => ({
              id: record.id,
              name: record.name,
              kind: record.kind,
              source: { kind: 'blob', blob: record.blob as Blob },
              isRestored: true,
            })),
          )
          for (const record of records) {
            if (record.url !== undefined && !urlImports.has(record.url)) void startUrlImport(record.url, record.id, true)
          }
        } finally {
          store.getState().setRestoring(false)
        }
      })()
      return restorePromise
    },
  }
}

/** After the page has painted and gone idle (or after a second at the latest). */
function whenIdle(callback: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(callback, { timeout: 1000 })
  else setTimeout(callback, 50)
}

function unionOfTraceIds(results: readonly InputResult[]): readonly string[] {
  const ids = new Set<string>()
  for (const result of results) for (const id of result.traceIds) ids.add(id)
  return [...ids]
}

/**
 * A module worker when the browser has one; otherwise the same pipeline on the main thread
 * (the page may stall on a large file, but it still loads).
 */
function createBackend(onResponse: (response: ImportResponse) => void, onCrash: (message: string) => void): Backend {
  if (typeof Worker !== 'undefined') {
    try {
      const worker = new Worker(new URL('../workers/import-worker.ts', import.meta.url), { type: 'module', name: 'spanglass-import' })
      worker.onmessage = (event: MessageEvent<ImportResponse>) => onResponse(event.data)
      worker.onerror = (event) => {
        event.preventDefault()
        onCrash(`The import worker stopped: ${event.message || 'it could not start or ran out of memory'}. Reload the page to try again.`)
      }
      worker.onmessageerror = () => onCrash('The import worker sent a message the page could not read.')
      return { post: (request) => worker.postMessage(request) }
    } catch {
      // Fall through to the main thread.
    }
  }
  return createMainThreadBackend(onResponse)
}

function createMainThreadBackend(onResponse: (response: ImportResponse) => void): Backend {
  const sessionPromise = Promise.all([import('../workers/import-pipeline.ts'), import('../importers/registry.ts')]).then(
    ([pipeline, registry]) => new pipeline.ImportSession(registry.defaultImporters),
  )
  let queue: Promise<void> = Promise.resolve()
  return {
    post(request) {
      queue = queue.then(async () => {
        const session = await sessionPromise
        if (request.type === 'clear') {
          session.clear()
          return
        }
        // Traces built here keep their details: there is nothing to ask for.
        if (request.type === 'details') return
        const { jobId } = request
        try {
          const outcome: { traces: Trace[]; results: InputResult[] } = await session.run(request.inputs, {
            onProgress: (progress) => onResponse({ type: 'progress', jobId, progress }),
            onInputResult: (result) => onResponse({ type: 'input-result', jobId, result }),
          })
          onResponse({ type: 'done', jobId, ...outcome })
        } catch (error) {
          onResponse({ type: 'failed', jobId, message: `The import failed: ${error instanceof Error ? error.message : String(error)}` })
        }
      })
    },
  }
}
