import { createContext, useContext } from 'react'

/**
 * What views may ask of the import machinery. The app provides the implementation (a worker
 * client); views only see this interface, so they never reach importers or workers.
 */
export interface ImportActions {
  importFiles(files: readonly File[]): void
  importText(text: string): void
  /** Resolves with the ids of the traces the URL held (empty when it failed). */
  importUrl(url: string): Promise<readonly string[]>
  /**
   * Bytes fetched by the page (a backend's answer), read like a dropped file named `name`; not
   * saved for the next visit. Resolves with the ids of the traces they held (empty when it failed).
   */
  importBlob(blob: Blob, name: string): Promise<readonly string[]>
  clearAll(): void
}

export const ImportActionsContext = createContext<ImportActions | undefined>(undefined)

export function useImportActions(): ImportActions {
  const actions = useContext(ImportActionsContext)
  if (!actions) throw new Error('useImportActions needs an ImportActionsContext provider (see src/app/app.tsx).')
  return actions
}
