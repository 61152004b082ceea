import { Suspense, useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { hasSpanDetails } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { selectTreeState, useSpanTreeStore } from '../../state/span-tree-store.ts'
import { useTracesStore } from '../../state/traces-store.ts'
import { buildHref, navigate, replaceParam, useUrlParams } from '../../state/url-params.ts'
import { selectWaterfallState, useWaterfallStore } from '../../state/waterfall-store.ts'
import { pluralize } from '../../ui/format.ts'
import { LoadingView } from '../../ui/loading-view.tsx'
import { HomePage } from '../home/home-page.tsx'
import { ImportProgress } from '../home/import-progress.tsx'
import { SpanDetailPanel } from '../span-detail/span-detail-panel.tsx'
import { useSpanFilterStore } from '../statistics/span-filter-store.ts'
import { useBackendTrace } from '../search/use-backend-trace.tsx'
import { ExportMenu } from '../trace-export/export-menu.tsx'
import { getAdjustedTrace, getSkewAdjustment } from './skew.ts'
import { TraceHeader } from './trace-header.tsx'
import { summarizeTrace } from './trace-summary.ts'
import { preloadTraceViews, TRACE_VIEWS } from './trace-views.ts'
import { useTraceUrlState } from './use-trace-url-state.ts'

/**
 * `?trace=<id>`: the trace's header, a tab per view (`&view=`, the waterfall by default) and the
 * selected span's details. With `&skew=1` every view sees the trace with clock skew adjusted.
 */
export function TracePage({ traceId }: { readonly traceId: string }) {
  const trace = useTracesStore((state) => state.traces.get(traceId))
  const isWaiting = useTracesStore((state) => state.isRestoring || state.pendingJobs > 0)
  const backendNotice = useBackendTrace(traceId, trace !== undefined) // search helper: `&backend=` fetches the trace from that backend
  useEffect(() => {
    if (!trace) return
    const { rootService, rootName } = summarizeTrace(trace)
    document.title = `${rootService} › ${rootName} — Spanglass`
    return () => {
      document.title = 'Spanglass'
    }
  }, [trace])
  if (!trace) {
    if (backendNotice) return backendNotice // search helper: fetch progress or the backend's error
    if (isWaiting) {
      return (
        <div className="mx-auto mt-16 flex max-w-xl flex-col gap-3 p-4" data-testid="trace-loading">
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            Loading trace <span className="font-mono">{traceId}</span>…
          </p>
          <ImportProgress />
        </div>
      )
    }
    return <HomePage notice={<TraceNotLoaded traceId={traceId} />} />
  }
  return <LoadedTrace trace={trace} />
}

function LoadedTrace({ trace }: { readonly trace: Trace }) {
  const params = useUrlParams()
  // The other views' code, once the page has painted and nothing else is waiting.
  useEffect(() => {
    if (typeof requestIdleCallback !== 'function') return
    const request = requestIdleCallback(preloadTraceViews)
    return () => cancelIdleCallback(request)
  }, [])
  // The adjustment reads each span's host from its resource: it waits for the span details.
  const hasDetails = hasSpanDetails(trace)
  const isSkewAdjusted = params.get('skew') === '1' && hasDetails
  const viewTrace = isSkewAdjusted ? getAdjustedTrace(trace) : trace
  const skew = isSkewAdjusted ? getSkewAdjustment(trace) : undefined
  useTraceUrlState(viewTrace)

  const { selected } = useSpanTreeStore(useShallow((state) => selectTreeState(state, viewTrace)))
  const select = useSpanTreeStore((state) => state.select)
  const viewId = params.get('view') ?? TRACE_VIEWS[0]?.id
  const view = TRACE_VIEWS.find((entry) => entry.id === viewId) ?? TRACE_VIEWS[0]
  const View = view?.component

  const toggleSkew = () => {
    const next = !isSkewAdjusted
    const to = next ? getAdjustedTrace(trace) : trace
    if (to !== viewTrace) {
      // Same spans, same order: carry the selection, collapsed set, search and zoom over.
      const shiftNs = Number(viewTrace.startTimeNs - to.startTimeNs)
      const window = selectWaterfallState(useWaterfallStore.getState(), viewTrace).window
      useSpanTreeStore.getState().rebase(viewTrace, to)
      useWaterfallStore.getState().rebase(viewTrace, to)
      useSpanFilterStore.getState().rebase(viewTrace, to)
      if (window) useWaterfallStore.getState().update(to, { window: { startNs: window.startNs + shiftNs, endNs: window.endNs + shiftNs } })
    }
    replaceParam('skew', next ? '1' : undefined)
  }

  const actions = (
    <>
      <button
        type="button"
        data-testid="skew-toggle"
        aria-pressed={isSkewAdjusted}
        onClick={toggleSkew}
        disabled={!hasDetails}
        title={
          hasDetails
            ? 'Shift server spans into their client parents, per host, the way Zipkin and Jaeger adjust clock skew (never PRODUCER/CONSUMER or asynchronous links). Off shows the raw times.'
            : 'Waiting for the span details (each span’s host) to arrive'
        }
        className="inline-flex items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-800 shadow-xs hover:bg-zinc-100 aria-pressed:border-sky-500 aria-pressed:bg-sky-50 aria-pressed:text-sky-800 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700 dark:aria-pressed:border-sky-400 dark:aria-pressed:bg-sky-950 dark:aria-pressed:text-sky-200"
      >
        Adjust clock skew
        {skew && (
          <span data-testid="skew-count" className="font-normal tabular-nums">
            {skew.adjustedCount === 0 ? '(nothing to adjust)' : `(${pluralize(skew.adjustedCount, 'span')} moved)`}
          </span>
        )}
      </button>
      <ExportMenu trace={trace} />
    </>
  )

  return (
    <div className="flex h-full flex-col">
      <TraceHeader trace={viewTrace} onJumpToSpan={(index) => select(viewTrace, index)} actions={actions} />
      <TraceTabs currentId={view?.id} />
      <div className="flex min-h-0 flex-1 bg-white dark:bg-zinc-950">
        {View && <ViewSlot key={view.id} View={View} trace={viewTrace} />}
        {selected !== undefined && (
          <div
            data-testid="span-details"
            tabIndex={-1}
            className="flex w-[min(420px,40%)] min-w-64 shrink-0 flex-col overflow-hidden border-l border-zinc-200 focus:outline-none dark:border-zinc-800"
          >
            <SpanDetailPanel
              trace={viewTrace}
              index={selected}
              skew={skew}
              onSelect={(index) => select(viewTrace, index)}
              onClose={() => select(viewTrace, undefined)}
            />
          </div>
        )}
      </div>
    </div>
  )
}

function ViewSlot({ View, trace }: { readonly View: (typeof TRACE_VIEWS)[number]['component']; readonly trace: Trace }) {
  return (
    <div className="flex min-h-0 min-w-0 flex-1 flex-col" role="tabpanel">
      <Suspense fallback={<LoadingView />}>
        <View trace={trace} />
      </Suspense>
    </div>
  )
}

function TraceTabs({ currentId }: { readonly currentId: string | undefined }) {
  const defaultId = TRACE_VIEWS[0]?.id
  return (
    <div role="tablist" aria-label="Views" className="flex shrink-0 gap-1 border-b border-zinc-200 bg-white px-3 dark:border-zinc-800 dark:bg-zinc-900">
      {TRACE_VIEWS.map((tab) => {
        const isCurrent = tab.id === currentId
        return (
          <button
            key={tab.id}
            type="button"
            role="tab"
            data-testid={`view-tab-${tab.id}`}
            aria-selected={isCurrent}
            // Pointing at a tab (or reaching it with Tab) starts loading its view.
            onPointerEnter={tab.preload}
            onFocus={tab.preload}
            onClick={() => {
              const values = Object.fromEntries(new URLSearchParams(window.location.search))
              navigate(buildHref({ ...values, view: tab.id === defaultId ? undefined : tab.id }))
            }}
            className={`-mb-px border-b-2 px-3 py-1.5 text-xs font-medium ${
              isCurrent
                ? 'border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300'
                : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-100'
            }`}
          >
            {tab.label}
          </button>
        )
      })}
    </div>
  )
}

function TraceNotLoaded({ traceId }: { readonly traceId: string }) {
  const url = useUrlParams().get('url')
  return (
    <div
      role="alert"
      data-testid="trace-not-loaded"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="font-semibold">
        Trace <span className="font-mono break-all">{traceId}</span> is not loaded.
      </p>
      <p className="mt-1 text-xs">
        {url
          ? `It is not in ${url}, or that file could not be loaded (see below). Drop the file that holds it to open it.`
          : 'It was opened from a file that this browser no longer has. Drop that file here (or load it from its URL) to open the trace.'}
      </p>
    </div>
  )
}
