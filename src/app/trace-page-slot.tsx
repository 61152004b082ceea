import { lazy } from 'react'
import type { TracePage as TracePageComponent } from '../views/trace/trace-page.tsx'

// The trace page (waterfall, span details, their analyses) is a chunk of its own, so that the
// app's start-up evaluates less code in its first task. It starts loading with the app, long
// before any trace is imported.
let loadedPage: typeof TracePageComponent | undefined
const loading = import('../views/trace/trace-page.tsx').then((module) => {
  loadedPage = module.TracePage
  return { default: module.TracePage }
})
// A failed load (a redeployed app whose old chunk is gone) reaches the error boundary through
// `lazy`; the early promise itself must not count as an unhandled rejection meanwhile.
loading.catch(() => {})
const LazyTracePage = lazy(() => loading)

/**
 * `TracePage`, rendered directly once its chunk is in (the usual case: no Suspense fallback, no
 * extra frame when a trace opens), and through `lazy` before that (a deep link on a cold start).
 */
export function TracePageSlot({ traceId }: { readonly traceId: string }) {
  const Page = loadedPage ?? LazyTracePage
  return <Page traceId={traceId} />
}
