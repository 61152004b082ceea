import { create } from 'zustand'
import type { FormatId, TraceWarning } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'
import type { ImportProgress, InputResult } from '../workers/import-protocol.ts'

/**
 * The traces loaded in this tab and the inputs they came from. Traces arrive built from the
 * import worker; a trace merged from a later input replaces the earlier object of the same id.
 * Maps and arrays are replaced, never mutated, so selectors see the change.
 */

export type InputKind = 'file' | 'paste' | 'url'

export interface LoadedInput {
  readonly id: string
  readonly name: string
  readonly kind: InputKind
  /** For `url` inputs: the absolute URL, used in shareable links. */
  readonly url?: string
  readonly status: 'loading' | 'ok' | 'error'
  readonly format?: FormatId
  readonly spanCount?: number
  readonly byteCount?: number
  readonly traceIds: readonly string[]
  readonly warnings: readonly TraceWarning[]
  readonly error?: string
}

export interface ProgressState extends ImportProgress {
  readonly state: 'running' | 'done'
  /** Inputs in the running (or last) batch. */
  readonly inputCount: number
  readonly startedAtMs: number
  readonly finishedAtMs?: number
}

interface TracesState {
  readonly traces: ReadonlyMap<string, Trace>
  readonly inputs: readonly LoadedInput[]
  readonly progress: ProgressState | undefined
  /** Import jobs posted and not finished; while > 0 a missing trace may still arrive. */
  readonly pendingJobs: number
  /** True until inputs saved in IndexedDB by an earlier visit have been restored (or found absent). */
  readonly isRestoring: boolean

  startJob(inputs: readonly Pick<LoadedInput, 'id' | 'name' | 'kind' | 'url'>[]): void
  setProgress(progress: ImportProgress): void
  finishInput(result: InputResult): void
  finishJob(traces: readonly Trace[], results: readonly InputResult[]): void
  /** Puts `trace` in place of the loaded trace of the same id (the same trace with its span details). */
  replaceTrace(trace: Trace): void
  failJob(inputIds: readonly string[], message: string): void
  setRestoring(isRestoring: boolean): void
  clear(): void
}

export const useTracesStore = create<TracesState>()((set) => ({
  traces: new Map(),
  inputs: [],
  progress: undefined,
  pendingJobs: 0,
  // The app restores saved inputs on start; until then a missing trace may still arrive.
  isRestoring: true,

  startJob: (inputs) =>
    set((state) => ({
      inputs: [...state.inputs, ...inputs.map((input): LoadedInput => ({ ...input, status: 'loading', traceIds: [], warnings: [] }))],
      pendingJobs: state.pendingJobs + 1,
      progress: { stage: 'reading', fraction: 0, inputName: inputs[0]?.name, state: 'running', inputCount: inputs.length, startedAtMs: Date.now() },
    })),

  setProgress: (progress) =>
    set((state) => ({
      progress: { ...progress, state: 'running', inputCount: state.progress?.inputCount ?? 1, startedAtMs: state.progress?.startedAtMs ?? Date.now() },
    })),

  finishInput: (result) => set((state) => ({ inputs: applyResult(state.inputs, result) })),

  finishJob: (traces, results) =>
    set((state) => {
      let inputs = state.inputs
      for (const result of results) inputs = applyResult(inputs, result)
      const merged = new Map(state.traces)
      for (const trace of traces) merged.set(trace.traceId, trace)
      const pendingJobs = Math.max(0, state.pendingJobs - 1)
      return {
        inputs,
        traces: sortByStart(merged),
        pendingJobs,
        progress:
          pendingJobs > 0 || !state.progress ? state.progress : { ...state.progress, stage: 'building', fraction: 1, state: 'done', finishedAtMs: Date.now() },
      }
    }),

  replaceTrace: (trace) =>
    set((state) => {
      if (!state.traces.has(trace.traceId)) return {}
      const traces = new Map(state.traces)
      traces.set(trace.traceId, trace)
      return { traces }
    }),

  failJob: (inputIds, message) =>
    set((state) => {
      const ids = new Set(inputIds)
      const pendingJobs = Math.max(0, state.pendingJobs - 1)
      return {
        inputs: state.inputs.map((input) => (ids.has(input.id) && input.status === 'loading' ? { ...input, status: 'error', error: message } : input)),
        pendingJobs,
        progress: pendingJobs > 0 || !state.progress ? state.progress : { ...state.progress, state: 'done', finishedAtMs: Date.now() },
      }
    }),

  setRestoring: (isRestoring) => set({ isRestoring }),

  clear: () => set({ traces: new Map(), inputs: [], progress: undefined, pendingJobs: 0 }),
}))

function applyResult(inputs: readonly LoadedInput[], result: InputResult): readonly LoadedInput[] {
  return inputs.map((input) =>
    input.id === result.id
      ? {
          ...input,
          status: result.error === undefined ? 'ok' : 'error',
          format: result.format,
          spanCount: result.spanCount,
          byteCount: result.byteCount,
          traceIds: result.traceIds,
          warnings: result.warnings,
          error: result.error,
        }
      : input,
  )
}

function sortByStart(traces: Map<string, Trace>): Map<string, Trace> {
  const sorted = [...traces.values()].sort((a, b) => (a.startTimeNs < b.startTimeNs ? -1 : a.startTimeNs > b.startTimeNs ? 1 : 0))
  return new Map(sorted.map((trace) => [trace.traceId, trace]))
}

/** The URL a trace was fetched from, if any, so that its link can re-fetch it after a reload. */
export function findTraceUrl(inputs: readonly LoadedInput[], traceId: string): string | undefined {
  return inputs.find((input) => input.kind === 'url' && input.url !== undefined && input.traceIds.includes(traceId))?.url
}
