import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { ReactNode } from 'react'
import type { AnyBackend } from '../../backends/create-backend.ts'
import { BackendError } from '../../backends/errors.ts'
import { traceQueryOptions } from '../../backends/queries.ts'
import { parseTraceIdInput } from '../../backends/trace-id.ts'
import type { TracePayload } from '../../backends/types.ts'
import { useBackendsStore } from '../../state/backends-store.ts'
import { useImportActions } from '../../state/import-actions.ts'
import { useTracesStore } from '../../state/traces-store.ts'
import { buildHref, followLink, navigate } from '../../state/url-params.ts'
import { formatBytes } from '../../ui/format.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { BackendErrorMessage } from '../backends/backend-error.tsx'
import { errorText } from '../backends/error-text.ts'
import { useSelectedBackend } from '../backends/use-backends.ts'
import { ImportProgress } from '../home/import-progress.tsx'

const NOTICE_CLASS = 'mx-auto mt-16 flex max-w-2xl flex-col gap-3 p-4'

/** Fetches `traceId` from the backend `backendId` and imports it; renders the progress or the error meanwhile. */
export function BackendTraceLoader({ traceId, backendId }: { readonly traceId: string; readonly backendId: string }) {
  const { known, client, isLoading } = useSelectedBackend(backendId)
  const isRestoring = useTracesStore((state) => state.isRestoring)
  const searchHref = buildHref({ page: 'search', backend: backendId })

  let normalized: string | undefined
  let idError: unknown
  try {
    normalized = parseTraceIdInput(traceId)
  } catch (error) {
    idError = error
  }
  useEffect(() => {
    // A hand-typed id (`?trace=ABC`): the model keys traces by 32 lower-case hex digits.
    if (normalized !== undefined && normalized !== traceId) {
      const values = Object.fromEntries(new URLSearchParams(window.location.search))
      navigate(buildHref({ ...values, trace: normalized }), { replace: true })
    }
  }, [normalized, traceId])

  if (idError !== undefined) return <Notice>{<BackendErrorMessage error={idError} />}</Notice>
  if (!client || !known) {
    if (isLoading) return <Notice testId="backend-trace-loading">Loading the backends…</Notice>
    const settingsHref = buildHref({ page: 'backends' })
    return (
      <Notice>
        <BackendErrorMessage
          error={
            new BackendError(
              'not-found',
              `No backend "${backendId}" is configured in this browser, so trace ${traceId} cannot be fetched. Add it on the Backends page (or start Spanglass with SPANGLASS_BACKENDS=${backendId}=<url>), then open this link again.`,
            )
          }
        />
        <a href={settingsHref} onClick={(event) => followLink(event, settingsHref)} className={`${BUTTON_CLASS} self-start`}>
          Backends
        </a>
      </Notice>
    )
  }
  if (isRestoring || normalized !== traceId) {
    return (
      <Notice testId="backend-trace-loading">
        Loading trace <span className="font-mono">{traceId}</span>…
      </Notice>
    )
  }
  return <FetchAndImport traceId={traceId} backend={client} searchHref={searchHref} />
}

function FetchAndImport({ traceId, backend, searchHref }: { readonly traceId: string; readonly backend: AnyBackend; readonly searchHref: string }) {
  const actions = useImportActions()
  const setLastUsed = useBackendsStore((state) => state.setLastUsed)
  const pendingJobs = useTracesStore((state) => state.pendingJobs)
  const inputs = useTracesStore((state) => state.inputs)
  // Payloads can be large and the model keeps the trace: the raw bytes need not stay cached long.
  const fetched = useQuery({ ...traceQueryOptions(backend, traceId), gcTime: 60_000 })
  const payload = fetched.data
  // Imported once the answer is here and no other import runs (a restored file may hold this trace).
  const imported = useQuery({
    queryKey: ['spanglass-backend-import', backend.cacheKey, traceId, fetched.dataUpdatedAt],
    queryFn: () => actions.importBlob(blobOf(payload as TracePayload), (payload as TracePayload).fileName),
    enabled: payload !== undefined && pendingJobs === 0,
    staleTime: Infinity,
    // Forgotten as soon as this notice goes away, so that after "Clear all" the link imports again.
    gcTime: 0,
    retry: false,
  })
  useEffect(() => {
    if (payload) setLastUsed(backend.config.id)
  }, [payload, backend, setLastUsed])

  const back = (
    <a href={searchHref} onClick={(event) => followLink(event, searchHref)} className={`${BUTTON_CLASS} self-start`} data-testid="backend-trace-back">
      Back to search
    </a>
  )

  if (fetched.isError) {
    return (
      <Notice testId="backend-trace-error">
        <BackendErrorMessage error={fetched.error} context={`Trace ${traceId} from ${backend.config.name}`} onRetry={() => void fetched.refetch()} />
        {back}
      </Notice>
    )
  }
  if (!payload) {
    return (
      <Notice testId="backend-trace-loading">
        <p>
          Fetching trace <span className="font-mono">{traceId}</span> from {backend.config.name}
          {fetched.failureCount > 0 ? ` (attempt ${fetched.failureCount + 1}: ${fetched.failureReason ? errorText(fetched.failureReason) : 'retrying'})` : ''}…
        </p>
        <div className="h-1 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
          <div className="h-full w-1/3 animate-pulse rounded bg-indigo-500" />
        </div>
        {back}
      </Notice>
    )
  }
  if (imported.isSuccess && !imported.data.includes(traceId)) {
    const input = inputs.findLast((entry) => entry.name === payload.fileName)
    const message = input?.error
      ? `${backend.config.name} answered GET ${payload.url} (${formatBytes(payload.bytes.length)}), but the answer cannot be read: ${input.error}`
      : `${backend.config.name} answered GET ${payload.url}, but the answer holds ${imported.data.length === 0 ? 'no trace' : `trace ${imported.data.join(', ')}`}, not ${traceId}.`
    return (
      <Notice testId="backend-trace-error">
        <BackendErrorMessage error={new BackendError('bad-payload', message, { url: payload.url })} context={`Trace ${traceId}`} />
        {back}
      </Notice>
    )
  }
  return (
    <Notice testId="backend-trace-loading">
      <p>
        Reading trace <span className="font-mono">{traceId}</span> ({formatBytes(payload.bytes.length)} from {backend.config.name})…
      </p>
      <ImportProgress />
    </Notice>
  )
}

function blobOf(payload: TracePayload): Blob {
  return new Blob([payload.bytes as Uint8Array<ArrayBuffer>], { type: payload.contentType || 'application/octet-stream' })
}

function Notice({ children, testId }: { readonly children: ReactNode; readonly testId?: string }) {
  return (
    <div className={`${NOTICE_CLASS} text-sm text-zinc-600 dark:text-zinc-300`} data-testid={testId}>
      {children}
    </div>
  )
}
