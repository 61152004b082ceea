import { isBackendError } from '../../backends/errors.ts'
import type { BackendErrorKind } from '../../backends/errors.ts'
import { buildHref, followLink } from '../../state/url-params.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'

const TITLES: Record<BackendErrorKind, string> = {
  unreachable: 'The backend is unreachable',
  cors: 'The browser blocked the request (CORS)',
  unauthorized: 'The backend wants credentials (401)',
  forbidden: 'The backend refused access (403)',
  'not-found': 'Not found (404)',
  timeout: 'The backend did not answer in time',
  server: 'The backend failed',
  'bad-payload': 'The answer cannot be read',
  cancelled: 'Cancelled',
  'bad-request': 'The backend rejected the query',
  unsupported: 'Not supported by this backend',
}

/**
 * A failed backend call: what failed (the error's kind as a title) and the client's message,
 * which says where and what to do. Settings-related failures link to the backends page.
 */
export function BackendErrorMessage({ error, onRetry, context }: { readonly error: unknown; readonly onRetry?: () => void; readonly context?: string }) {
  const kind = isBackendError(error) ? error.kind : undefined
  const message = error instanceof Error ? error.message : String(error)
  const isSettingsProblem = kind === 'cors' || kind === 'unauthorized' || kind === 'forbidden' || kind === 'unreachable' || kind === 'not-found'
  const settingsHref = buildHref({ page: 'backends' })
  return (
    <div
      role="alert"
      data-testid="backend-error"
      data-kind={kind ?? 'error'}
      className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
    >
      <p className="font-semibold">
        {context ? `${context}: ` : ''}
        {kind ? TITLES[kind] : 'Something failed'}
      </p>
      <p className="mt-1 text-xs break-words whitespace-pre-wrap" data-testid="backend-error-message">
        {message}
      </p>
      {(onRetry || isSettingsProblem) && (
        <div className="mt-2 flex gap-2">
          {onRetry && (
            <button type="button" className={BUTTON_CLASS} onClick={onRetry} data-testid="backend-error-retry">
              Try again
            </button>
          )}
          {isSettingsProblem && (
            <a href={settingsHref} onClick={(event) => followLink(event, settingsHref)} className={BUTTON_CLASS}>
              Backend settings
            </a>
          )}
        </div>
      )}
    </div>
  )
}
