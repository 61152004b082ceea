import { Component } from 'react'
import type { ErrorInfo, ReactNode } from 'react'

interface Props {
  readonly children: ReactNode
}

interface State {
  readonly error: Error | undefined
}

/**
 * Never a blank page: a render error shows what happened and a way back. Keyed by the URL in
 * the app, so navigating elsewhere clears it.
 */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: undefined }

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Spanglass render error', error, info.componentStack)
  }

  render(): ReactNode {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div
        role="alert"
        data-testid="app-error"
        className="mx-auto mt-16 max-w-xl rounded-lg border border-red-300 bg-red-50 p-6 text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100"
      >
        <h1 className="text-base font-semibold">Something went wrong while showing this page</h1>
        <p className="mt-2 font-mono text-xs break-words whitespace-pre-wrap">{error.message || error.name}</p>
        <p className="mt-3 text-sm">The loaded traces are still in memory. You can go back to the list or reload the page.</p>
        <div className="mt-4 flex gap-2">
          <a
            href={window.location.pathname}
            className="rounded border border-red-300 bg-white px-3 py-1 text-sm font-medium hover:bg-red-100 dark:border-red-700 dark:bg-red-900 dark:hover:bg-red-800"
          >
            Back to the list
          </a>
          <button
            type="button"
            onClick={() => window.location.reload()}
            className="rounded border border-red-300 bg-white px-3 py-1 text-sm font-medium hover:bg-red-100 dark:border-red-700 dark:bg-red-900 dark:hover:bg-red-800"
          >
            Reload
          </button>
        </div>
      </div>
    )
  }
}
