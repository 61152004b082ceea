import type { UnsafeIntegerCheck } from './import-pipeline.ts'

export interface UnsafeIntegerRequest {
  readonly id: number
  readonly buffer: ArrayBuffer
  readonly byteOffset: number
  readonly byteLength: number
}

export interface UnsafeIntegerResponse {
  readonly id: number
  readonly isUnsafe: boolean
}

/**
 * An `UnsafeIntegerCheck` run by a worker of its own, started with the import worker (started at
 * the first check instead, it answered 70–90 ms after the parse it was meant to overlap had
 * ended). The bytes' buffer is transferred, not copied. Once that worker fails, every check fails
 * at once, and the import worker checks on its own thread.
 */
export function workerUnsafeIntegerCheck(): UnsafeIntegerCheck {
  let worker: Worker | undefined
  let failure: Error | undefined
  let nextId = 1
  const pending = new Map<number, { resolve: (isUnsafe: boolean) => void; reject: (error: Error) => void }>()
  const fail = (error: Error) => {
    failure = error
    for (const { reject } of pending.values()) reject(error)
    pending.clear()
    worker?.terminate()
  }
  const start = (): Worker => {
    const started = new Worker(new URL('./unsafe-integer-worker.ts', import.meta.url), { type: 'module', name: 'spanglass-unsafe-integers' })
    started.onmessage = (event: MessageEvent<UnsafeIntegerResponse>) => {
      const { id, isUnsafe } = event.data
      pending.get(id)?.resolve(isUnsafe)
      pending.delete(id)
    }
    started.onerror = (event) => {
      event.preventDefault()
      fail(new Error(`the unsafe-integer check stopped: ${event.message || 'it could not start'}`))
    }
    return started
  }
  try {
    worker = start()
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error))
  }
  return (bytes) => {
    if (failure || !worker) return Promise.reject(failure ?? new Error('the unsafe-integer check did not start'))
    const id = nextId++
    const request: UnsafeIntegerRequest = { id, buffer: bytes.buffer as ArrayBuffer, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength }
    const answer = new Promise<boolean>((resolve, reject) => pending.set(id, { resolve, reject }))
    try {
      worker.postMessage(request, [bytes.buffer as ArrayBuffer])
    } catch (error) {
      // A buffer that cannot be transferred: this check fails, and the caller checks on its own thread.
      pending.delete(id)
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
    return answer
  }
}
