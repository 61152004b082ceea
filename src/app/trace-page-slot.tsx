import { preloadableLazy } from '../ui/preloadable-lazy.tsx'

// The trace page (waterfall, span details, their analyses) is a chunk of its own, so that the
// app's start-up evaluates less code in its first task. It starts loading with the app, long
// before any trace is imported, and renders directly once in (the usual case: no Suspense
// fallback, no extra frame when a trace opens); through `lazy` before (a deep link on a cold start).
const TracePage = preloadableLazy(() => import('../views/trace/trace-page.tsx').then((module) => module.TracePage))
TracePage.preload()

export function TracePageSlot({ traceId }: { readonly traceId: string }) {
  return <TracePage.Component traceId={traceId} />
}
