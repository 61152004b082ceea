import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { connectionQueryOptions } from '../../backends/queries.ts'
import type { BackendConfig } from '../../backends/types.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { BackendErrorMessage } from './backend-error.tsx'
import { getBackendClient } from './use-backends.ts'

/**
 * "Check connection": asks the backend for its services (Jaeger, Zipkin) or its echo and build
 * info (Tempo), and shows what answered — with the server's version when it tells — or what
 * failed and how to fix it. `getConfig` returns the configuration to check, or an error to show
 * (a form with invalid fields).
 */
export function ConnectionCheck({ getConfig, label = 'Check connection' }: { readonly getConfig: () => BackendConfig | string; readonly label?: string }) {
  const [check, setCheck] = useState<{ readonly count: number; readonly config: BackendConfig | string }>()
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div>
        <button
          type="button"
          className={BUTTON_CLASS}
          data-testid="backend-check"
          onClick={() => setCheck((current) => ({ count: (current?.count ?? 0) + 1, config: getConfig() }))}
        >
          {label}
        </button>
      </div>
      {check &&
        (typeof check.config === 'string' ? (
          <p data-testid="backend-check-result" data-ok="false" className="text-xs text-red-700 dark:text-red-300">
            {check.config}
          </p>
        ) : (
          <ConnectionResultView key={check.count} config={check.config} />
        ))}
    </div>
  )
}

function ConnectionResultView({ config }: { readonly config: BackendConfig }) {
  const client = getBackendClient(config)
  // Each click asks again (a cached answer is shown meanwhile).
  const query = useQuery({ ...connectionQueryOptions(client), staleTime: 0 })
  if (query.isPending) {
    return (
      <p data-testid="backend-check-result" data-ok="pending" className="text-xs text-zinc-500 dark:text-zinc-400">
        Checking {config.baseUrl}…
      </p>
    )
  }
  if (query.isError) return <BackendErrorMessage error={query.error} />
  const result = query.data
  return (
    <div
      data-testid="backend-check-result"
      data-ok={String(result.ok)}
      className={`flex items-start gap-2 rounded-md border px-3 py-2 text-xs ${
        result.ok
          ? 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-100'
          : 'border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100'
      }`}
    >
      <span aria-hidden="true" className="font-bold">
        {result.ok ? '✓' : '✕'}
      </span>
      <div className="min-w-0">
        <p className="break-words">{result.message}</p>
        {(result.version || result.api) && (
          <p className="mt-0.5 text-[11px] opacity-80" data-testid="backend-version">
            {result.version ? `Version ${result.version}` : ''}
            {result.version && result.api ? ' · ' : ''}
            {result.api ? `API ${result.api}` : ''}
          </p>
        )}
        {query.isFetching && <p className="mt-0.5 text-[11px] opacity-70">Checking again…</p>}
      </div>
    </div>
  )
}
