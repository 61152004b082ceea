import type { InputKind } from '../state/traces-store.ts'

/**
 * Keeps the inputs of this browser's session in IndexedDB (a few calls, no library), so that a
 * reload — or a trace link opened in a new tab — finds the dropped files again. Files and
 * pasted text are stored as Blobs; URL inputs as the URL only, and re-fetched.
 * Every function here fails soft: without IndexedDB (private windows, quota), nothing persists.
 */

export interface PersistedInput {
  readonly id: string
  readonly name: string
  readonly kind: InputKind
  readonly blob?: Blob
  readonly url?: string
  readonly addedAtMs: number
}

const DB_NAME = 'spanglass'
const DB_VERSION = 1
const STORE = 'inputs'
/** Larger inputs are not kept: a reload asks for them again rather than filling the disk. */
const MAX_PERSISTED_BYTES = 256 * 1024 * 1024

let dbPromise: Promise<IDBDatabase> | undefined

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('IndexedDB is not available'))
      return
    }
    const request = indexedDB.open(DB_NAME, DB_VERSION)
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'id' })
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'))
    request.onblocked = () => reject(new Error('IndexedDB open blocked'))
  })
  return dbPromise
}

function runTransaction<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | undefined): Promise<T | undefined> {
  return openDb().then(
    (db) =>
      new Promise<T | undefined>((resolve, reject) => {
        const transaction = db.transaction(STORE, mode)
        const request = work(transaction.objectStore(STORE))
        transaction.oncomplete = () => resolve(request?.result)
        transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'))
        transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'))
      }),
  )
}

export async function saveInput(input: PersistedInput): Promise<void> {
  if (input.blob && input.blob.size > MAX_PERSISTED_BYTES) return
  try {
    await runTransaction('readwrite', (store) => store.put(input))
  } catch {
    // Quota or no IndexedDB: the input lasts for this page only.
  }
}

export async function loadInputs(): Promise<PersistedInput[]> {
  try {
    const records = ((await runTransaction<unknown[]>('readonly', (store) => store.getAll())) ?? []).filter(isPersistedInput)
    return records.sort((a, b) => a.addedAtMs - b.addedAtMs)
  } catch {
    return []
  }
}

export async function clearInputs(): Promise<void> {
  try {
    await runTransaction('readwrite', (store) => store.clear())
  } catch {
    // Nothing persisted.
  }
}

function isPersistedInput(value: unknown): value is PersistedInput {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return (
    typeof record.id === 'string' &&
    typeof record.name === 'string' &&
    (record.kind === 'file' || record.kind === 'paste' || record.kind === 'url') &&
    typeof record.addedAtMs === 'number' &&
    (record.blob instanceof Blob || typeof record.url === 'string')
  )
}
