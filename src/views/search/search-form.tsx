import { queryOptions, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { FormEvent, ReactNode } from 'react'
import type { AnyBackend } from '../../backends/create-backend.ts'
import { backendKeys, operationsQueryOptions, servicesQueryOptions, shouldRetry, retryDelay } from '../../backends/queries.ts'
import { toTraceQL } from '../../backends/tempo.ts'
import { buildHref, navigate } from '../../state/url-params.ts'
import { BUTTON_CLASS, INPUT_CLASS, PRIMARY_BUTTON_CLASS } from '../../ui/styles.ts'
import { errorText } from '../backends/error-text.ts'
import {
  DEFAULT_LIMIT,
  DEFAULT_LOOKBACK,
  LOOKBACKS,
  MAX_LIMIT,
  parseEpochMs,
  pinWindow,
  searchStateToParams,
  SPAN_KINDS,
  toDateTimeLocal,
  toSearchQuery,
  validateForm,
} from './search-state.ts'
import type { FieldError, SearchUrlState } from './search-state.ts'
import { TraceQLInput } from './traceql-input.tsx'

const LABEL_CLASS = 'flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300'
const SELECT_CLASS = INPUT_CLASS

/** Zipkin's remote services of a service (the backend's own extra; not in the common interface). */
function remoteServicesQueryOptions(backend: AnyBackend, service: string) {
  return queryOptions({
    queryKey: [...backendKeys.backend(backend), 'remote-services', service] as const,
    queryFn: ({ signal }) => (backend.kind === 'zipkin' ? backend.remoteServices(service, signal) : Promise.resolve([])),
    enabled: service !== '' && backend.capabilities.remoteServices,
    staleTime: 60_000,
    retry: shouldRetry,
    retryDelay,
  })
}

/**
 * The search form. It edits a copy of the URL state; "Find traces" pins the time window and
 * writes everything to the URL (a history entry), which is what the results read.
 */
export function SearchForm({ backend, urlState }: { readonly backend: AnyBackend; readonly urlState: SearchUrlState }) {
  const capabilities = backend.capabilities
  const [form, setForm] = useState<SearchUrlState>(() => ({
    ...urlState,
    lookback: urlState.lookback || DEFAULT_LOOKBACK,
    // The custom range is edited as local date-times.
    start: urlState.lookback === 'custom' ? datetimeOf(urlState.start) : '',
    end: urlState.lookback === 'custom' ? datetimeOf(urlState.end) : '',
  }))
  const [mode, setMode] = useState<'fields' | 'traceql'>(capabilities.traceQL && urlState.q.trim() !== '' ? 'traceql' : 'fields')
  const [errors, setErrors] = useState<readonly FieldError[]>([])
  const set = <K extends keyof SearchUrlState>(key: K, value: SearchUrlState[K]) => setForm((current) => ({ ...current, [key]: value }))
  const errorOf = (field: keyof SearchUrlState) => errors.find((error) => error.field === field)?.message

  const services = useQuery(servicesQueryOptions(backend))
  const operations = useQuery(operationsQueryOptions(backend, form.service))
  const remoteServices = useQuery(remoteServicesQueryOptions(backend, form.service))

  const submit = (event?: FormEvent) => {
    event?.preventDefault()
    const values: SearchUrlState = { ...form, q: mode === 'traceql' ? form.q : '' }
    const found = [...validateForm(values, capabilities)]
    if (backend.kind === 'jaeger' && values.service.trim() === '') {
      found.push({ field: 'service', message: 'Jaeger searches need a service: choose one.' })
    }
    const window = pinWindow(values.lookback, values.start, values.end, Date.now())
    found.push(...window.errors)
    setErrors(found)
    if (found.length > 0 || window.startMs === undefined || window.endMs === undefined) return
    navigate(buildHref(searchStateToParams({ ...values, backend: backend.config.id, start: String(window.startMs), end: String(window.endMs) })))
  }

  const switchMode = (next: 'fields' | 'traceql') => {
    if (next === 'traceql' && form.q.trim() === '') {
      // Start from the fields as TraceQL, so a search can be refined rather than retyped.
      const { query } = toSearchQuery({ ...form, q: '', start: '0', end: '1' }, capabilities)
      set('q', query ? toTraceQL(query) : '{}')
    }
    setMode(next)
  }

  const isTraceQL = mode === 'traceql'
  return (
    <form data-testid="search-form" onSubmit={submit} className="flex flex-col gap-3 p-4" noValidate>
      {capabilities.traceQL && (
        <div className="flex gap-1" role="group" aria-label="Search with">
          {(['fields', 'traceql'] as const).map((option) => (
            <button
              key={option}
              type="button"
              data-testid={`search-mode-${option}`}
              aria-pressed={mode === option}
              onClick={() => switchMode(option)}
              className={`${BUTTON_CLASS} flex-1 aria-pressed:border-indigo-500 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-900 dark:aria-pressed:border-indigo-400 dark:aria-pressed:bg-indigo-950 dark:aria-pressed:text-indigo-100`}
            >
              {option === 'fields' ? 'Fields' : 'TraceQL'}
            </button>
          ))}
        </div>
      )}

      {isTraceQL ? (
        <Field label="TraceQL" hint="tag names and values are offered as you type; Ctrl+Enter searches" error={errorOf('q')}>
          <TraceQLInput backend={backend} value={form.q} onChange={(value) => set('q', value)} onSubmit={() => submit()} />
        </Field>
      ) : (
        <>
          <Field label="Service" error={errorOf('service')} status={services.isError ? `Could not list services: ${errorText(services.error)}` : undefined}>
            <select
              data-testid="search-service"
              className={SELECT_CLASS}
              value={form.service}
              onChange={(event) => setForm((current) => ({ ...current, service: event.target.value, operation: '', remoteService: '' }))}
            >
              <option value="">{services.isPending ? 'Loading services…' : backend.kind === 'jaeger' ? 'Choose a service' : 'All services'}</option>
              {withCurrent(services.data ?? [], form.service).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </Field>

          {capabilities.operations && (
            <Field label="Operation" status={operations.isError ? `Could not list operations: ${errorText(operations.error)}` : undefined}>
              <select
                data-testid="search-operation"
                className={SELECT_CLASS}
                value={form.operation}
                disabled={form.service === ''}
                onChange={(event) => set('operation', event.target.value)}
              >
                <option value="">{form.service === '' ? 'Choose a service first' : operations.isPending ? 'Loading operations…' : 'All operations'}</option>
                {withCurrent(uniqueNames(operations.data ?? []), form.operation).map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
          )}

          {capabilities.traceQL && (
            <Field label="Span kind" error={errorOf('spanKind')}>
              <select data-testid="search-span-kind" className={SELECT_CLASS} value={form.spanKind} onChange={(event) => set('spanKind', event.target.value)}>
                <option value="">Any</option>
                {SPAN_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {kind}
                  </option>
                ))}
              </select>
            </Field>
          )}

          {capabilities.remoteServices && (
            <Field label="Remote service">
              <select
                data-testid="search-remote-service"
                className={SELECT_CLASS}
                value={form.remoteService}
                disabled={form.service === ''}
                onChange={(event) => set('remoteService', event.target.value)}
              >
                <option value="">{form.service === '' ? 'Choose a service first' : 'Any'}</option>
                {withCurrent(remoteServices.data ?? [], form.remoteService).map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
          )}

          {capabilities.tagSearch && (
            <Field label="Tags" hint="key=value, separated by spaces or lines" error={errorOf('tags')}>
              <textarea
                data-testid="search-tags"
                className={`${INPUT_CLASS} min-h-14 font-mono`}
                value={form.tags}
                placeholder={'http.status_code=500 error=true'}
                spellCheck={false}
                onChange={(event) => set('tags', event.target.value)}
              />
            </Field>
          )}

          {capabilities.durationFilter && (
            <div className="grid grid-cols-2 gap-2">
              <Field label="Min duration" error={errorOf('minDuration')}>
                <input
                  data-testid="search-min-duration"
                  className={INPUT_CLASS}
                  value={form.minDuration}
                  placeholder="e.g. 100ms"
                  onChange={(event) => set('minDuration', event.target.value)}
                />
              </Field>
              <Field label="Max duration" error={errorOf('maxDuration')}>
                <input
                  data-testid="search-max-duration"
                  className={INPUT_CLASS}
                  value={form.maxDuration}
                  placeholder="e.g. 1.5s"
                  onChange={(event) => set('maxDuration', event.target.value)}
                />
              </Field>
            </div>
          )}
        </>
      )}

      <Field label="Time range" error={errorOf('lookback')}>
        <select data-testid="search-lookback" className={SELECT_CLASS} value={form.lookback} onChange={(event) => set('lookback', event.target.value)}>
          {LOOKBACKS.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.label}
            </option>
          ))}
          <option value="custom">Custom range…</option>
        </select>
      </Field>
      {form.lookback === 'custom' && (
        <div className="grid grid-cols-1 gap-2">
          <Field label="From" error={errorOf('start')}>
            <input
              type="datetime-local"
              data-testid="search-start"
              className={INPUT_CLASS}
              value={form.start}
              onChange={(event) => set('start', event.target.value)}
            />
          </Field>
          <Field label="To" hint="empty = now" error={errorOf('end')}>
            <input
              type="datetime-local"
              data-testid="search-end"
              className={INPUT_CLASS}
              value={form.end}
              onChange={(event) => set('end', event.target.value)}
            />
          </Field>
        </div>
      )}

      <Field label="Limit" error={errorOf('limit')}>
        <input
          type="number"
          min={1}
          max={MAX_LIMIT}
          data-testid="search-limit"
          className={INPUT_CLASS}
          value={form.limit}
          placeholder={String(DEFAULT_LIMIT)}
          onChange={(event) => set('limit', event.target.value)}
        />
      </Field>

      <button type="submit" className={`${PRIMARY_BUTTON_CLASS} py-1.5`} data-testid="search-submit">
        Find traces
      </button>
    </form>
  )
}

function Field({
  label,
  hint,
  error,
  status,
  children,
}: {
  readonly label: string
  readonly hint?: string
  readonly error?: string
  readonly status?: string
  readonly children: ReactNode
}) {
  return (
    <label className={LABEL_CLASS}>
      <span>
        {label}
        {hint && <span className="ml-1 font-normal text-zinc-500 dark:text-zinc-400">({hint})</span>}
      </span>
      {children}
      {error && (
        <span className="text-[11px] font-normal text-red-600 dark:text-red-400" data-testid="search-field-error">
          {error}
        </span>
      )}
      {status && !error && <span className="text-[11px] font-normal break-words text-amber-700 dark:text-amber-300">{status}</span>}
    </label>
  )
}

/** A value from the URL stays selectable even when the backend no longer lists it. */
function withCurrent(names: readonly string[], current: string): string[] {
  return current !== '' && !names.includes(current) ? [current, ...names] : [...names]
}

function uniqueNames(operations: readonly { readonly name: string }[]): string[] {
  return [...new Set(operations.map((operation) => operation.name))]
}

function datetimeOf(text: string): string {
  const ms = parseEpochMs(text)
  return ms === undefined ? '' : toDateTimeLocal(ms)
}
