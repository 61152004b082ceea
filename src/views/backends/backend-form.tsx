import { useId, useState } from 'react'
import type { FormEvent } from 'react'
import type { BackendConfig, BackendKind } from '../../backends/types.ts'
import { BACKEND_KINDS } from '../../state/backends-store.ts'
import type { BackendDraft } from '../../state/backends-store.ts'
import { BUTTON_CLASS, INPUT_CLASS, PRIMARY_BUTTON_CLASS } from '../../ui/styles.ts'
import { ConnectionCheck } from './connection-check.tsx'
import { checkBaseUrl, formatHeadersInput, parseHeadersInput } from './headers-input.ts'
import { KIND_NAMES } from './use-backends.ts'

const DEFAULT_URLS: Record<BackendKind, string> = {
  jaeger: 'http://127.0.0.1:16686',
  zipkin: 'http://127.0.0.1:9411',
  tempo: 'http://127.0.0.1:3200',
}

const TENANT_HEADERS: Record<BackendKind, string | undefined> = { jaeger: 'x-tenant', zipkin: undefined, tempo: 'X-Scope-OrgID' }

const LABEL_CLASS = 'flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300'
const HINT_CLASS = 'text-[11px] font-normal text-zinc-500 dark:text-zinc-400'

interface FormValues {
  readonly kind: BackendKind
  readonly name: string
  readonly baseUrl: string
  readonly headers: string
  readonly orgId: string
  readonly tempoProtobuf: boolean
  readonly tempoSearch: 'traceql' | 'tags'
}

type FormErrors = Partial<Record<'name' | 'baseUrl' | 'headers', string>>

function initialValues(initial: BackendConfig | undefined): FormValues {
  return {
    kind: initial?.kind ?? 'jaeger',
    name: initial?.name ?? '',
    baseUrl: initial?.baseUrl ?? '',
    headers: formatHeadersInput(initial?.headers),
    orgId: initial?.orgId ?? '',
    tempoProtobuf: initial?.tempoProtobuf ?? false,
    tempoSearch: initial?.tempoSearch ?? 'traceql',
  }
}

/** The values as a backend configuration, or the errors that keep them from being one. */
function toDraft(values: FormValues, isProxied: boolean): { draft?: BackendDraft; errors: FormErrors } {
  const errors: FormErrors = {}
  const url = isProxied ? { url: values.baseUrl } : checkBaseUrl(values.baseUrl)
  if (url.error) errors.baseUrl = url.error
  const headers = parseHeadersInput(values.headers)
  if (headers.error) errors.headers = headers.error
  let name = values.name.trim()
  if (name === '' && url.url) {
    let host = url.url
    try {
      host = new URL(url.url, window.location.href).host
    } catch {
      // keep the path as the name
    }
    name = `${KIND_NAMES[values.kind]} (${host})`
  }
  if (Object.keys(errors).length > 0 || !url.url) return { errors }
  return {
    draft: {
      kind: values.kind,
      name,
      baseUrl: url.url,
      headers: headers.headers,
      orgId: TENANT_HEADERS[values.kind] ? values.orgId.trim() : '',
      tempoProtobuf: values.kind === 'tempo' && values.tempoProtobuf,
      tempoSearch: values.kind === 'tempo' ? values.tempoSearch : undefined,
    },
    errors,
  }
}

/** A cross-origin URL the browser will call directly (so CORS matters). */
function isCrossOrigin(baseUrl: string): boolean {
  try {
    return new URL(baseUrl, window.location.href).origin !== window.location.origin
  } catch {
    return false
  }
}

/**
 * Add or edit a backend. Proxied backends (SPANGLASS_BACKENDS) keep their name and address;
 * their kind, headers and tenant can still be set here.
 */
export function BackendForm({
  initial,
  isProxied = false,
  onSave,
  onCancel,
}: {
  readonly initial?: BackendConfig
  readonly isProxied?: boolean
  readonly onSave: (draft: BackendDraft) => void
  readonly onCancel: () => void
}) {
  const id = useId()
  const [values, setValues] = useState<FormValues>(() => initialValues(initial))
  const [errors, setErrors] = useState<FormErrors>({})
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((current) => ({ ...current, [key]: value }))
  const tenantHeader = TENANT_HEADERS[values.kind]

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const { draft, errors: found } = toDraft(values, isProxied)
    setErrors(found)
    if (draft) onSave(draft)
  }

  const hasHeaders = values.headers.trim() !== '' || values.orgId.trim() !== ''
  const showCorsNote = !isProxied && values.baseUrl.trim() !== '' && isCrossOrigin(values.baseUrl.trim())

  return (
    <form data-testid="backend-form" onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">Type</legend>
        <div className="flex gap-1" role="radiogroup">
          {BACKEND_KINDS.map((kind) => (
            <label
              key={kind}
              className={`cursor-pointer rounded-md border px-3 py-1 text-xs font-medium ${
                values.kind === kind
                  ? 'border-indigo-500 bg-indigo-50 text-indigo-900 dark:border-indigo-400 dark:bg-indigo-950 dark:text-indigo-100'
                  : 'border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200 dark:hover:bg-zinc-700'
              }`}
            >
              <input
                type="radio"
                name={`${id}-kind`}
                value={kind}
                checked={values.kind === kind}
                onChange={() => set('kind', kind)}
                data-testid={`backend-kind-${kind}`}
                className="sr-only"
              />
              {KIND_NAMES[kind]}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid gap-3 sm:grid-cols-2">
        <label className={LABEL_CLASS}>
          Name
          <input
            data-testid="backend-name"
            className={INPUT_CLASS}
            value={values.name}
            disabled={isProxied}
            placeholder={`${KIND_NAMES[values.kind]} (production)`}
            onChange={(event) => set('name', event.target.value)}
          />
          {errors.name && <span className="text-[11px] text-red-600 dark:text-red-400">{errors.name}</span>}
        </label>
        <label className={LABEL_CLASS}>
          Base URL
          <input
            data-testid="backend-url"
            className={`${INPUT_CLASS} font-mono`}
            value={values.baseUrl}
            disabled={isProxied}
            placeholder={DEFAULT_URLS[values.kind]}
            spellCheck={false}
            onChange={(event) => set('baseUrl', event.target.value)}
            aria-invalid={errors.baseUrl !== undefined}
          />
          {errors.baseUrl ? (
            <span className="text-[11px] text-red-600 dark:text-red-400" data-testid="backend-url-error">
              {errors.baseUrl}
            </span>
          ) : (
            <span className={HINT_CLASS}>The query API’s address, with its base path if any (e.g. https://host/jaeger), without /api.</span>
          )}
        </label>
      </div>

      {showCorsNote && (
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[11px] text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
          data-testid="backend-cors-note"
        >
          The browser calls this address directly, so the backend must send CORS headers for this page’s origin ({window.location.origin})
          {values.kind === 'tempo'
            ? ' — Tempo’s query API never does'
            : values.kind === 'jaeger'
              ? ' — Jaeger does only when configured to'
              : ' — Zipkin does by default'}
          . Otherwise start Spanglass with <code className="font-mono">SPANGLASS_BACKENDS=name=url</code> and use the proxied entry.
          {hasHeaders ? ' Custom headers make the browser ask first (a preflight), which the backend must allow too.' : ''}
        </p>
      )}

      <div className="grid gap-3 sm:grid-cols-2">
        <label className={LABEL_CLASS}>
          Headers <span className={HINT_CLASS}>optional, one “Name: value” per line</span>
          <textarea
            data-testid="backend-headers"
            className={`${INPUT_CLASS} min-h-16 font-mono`}
            value={values.headers}
            placeholder="Authorization: Bearer <token>"
            spellCheck={false}
            onChange={(event) => set('headers', event.target.value)}
          />
          {errors.headers && (
            <span className="text-[11px] text-red-600 dark:text-red-400" data-testid="backend-headers-error">
              {errors.headers}
            </span>
          )}
        </label>
        <div className="flex flex-col gap-3">
          {tenantHeader && (
            <label className={LABEL_CLASS}>
              Tenant <span className={HINT_CLASS}>optional, sent as {tenantHeader}</span>
              <input data-testid="backend-org-id" className={INPUT_CLASS} value={values.orgId} onChange={(event) => set('orgId', event.target.value)} />
            </label>
          )}
          {values.kind === 'tempo' && (
            <>
              <label className="flex items-center gap-2 text-xs text-zinc-700 dark:text-zinc-300">
                <input
                  type="checkbox"
                  data-testid="backend-protobuf"
                  checked={values.tempoProtobuf}
                  onChange={(event) => set('tempoProtobuf', event.target.checked)}
                />
                Fetch traces as protobuf <span className={HINT_CLASS}>(smaller and exact; JSON otherwise)</span>
              </label>
              <label className={LABEL_CLASS}>
                Search with
                <select
                  data-testid="backend-tempo-search"
                  className={INPUT_CLASS}
                  value={values.tempoSearch}
                  onChange={(event) => set('tempoSearch', event.target.value === 'tags' ? 'tags' : 'traceql')}
                >
                  <option value="traceql">TraceQL (Tempo 2 and later)</option>
                  <option value="tags">the legacy tags search</option>
                </select>
              </label>
            </>
          )}
        </div>
      </div>

      <div className="flex flex-wrap items-start gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        <button type="submit" className={PRIMARY_BUTTON_CLASS} data-testid="backend-save">
          {initial ? 'Save' : 'Add backend'}
        </button>
        <button type="button" className={BUTTON_CLASS} onClick={onCancel} data-testid="backend-cancel">
          Cancel
        </button>
        <div className="ml-auto min-w-0 sm:max-w-[60%]">
          <ConnectionCheck
            label="Test these settings"
            getConfig={() => {
              const { draft, errors: found } = toDraft(values, isProxied)
              setErrors(found)
              return draft ? { ...draft, id: 'draft' } : 'Fix the fields above first.'
            }}
          />
        </div>
      </div>
    </form>
  )
}
