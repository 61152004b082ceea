import { lazy, useState } from 'react'
import type { ComponentType, JSX } from 'react'

export interface PreloadableComponent<P extends object> {
  /** Renders the component: directly once its code is in, through `lazy` (suspending) before. */
  readonly Component: (props: P) => JSX.Element
  /**
   * Starts loading the code (once). A failure is left to `Component`, whose render throws it to
   * the nearest error boundary (a redeployed app whose old chunk is gone).
   */
  readonly preload: () => void
}

/**
 * A component whose code is a split chunk, like `lazy`, that can be loaded ahead of its first
 * render. `lazy` alone suspends on a component's first render even when its chunk has long
 * arrived, and React then keeps the Suspense fallback on screen for at least 300 ms: a flame
 * graph tab of a 100,000-span trace painted 375–400 ms after the click, of which 220 ms idle
 * (bench/results). Once `preload` has resolved, `Component` renders the loaded component itself.
 */
export function preloadableLazy<P extends object>(load: () => Promise<ComponentType<P>>): PreloadableComponent<P> {
  let loaded: ComponentType<P> | undefined
  let loading: Promise<{ default: ComponentType<P> }> | undefined
  const start = () =>
    (loading ??= load().then((component) => {
      loaded = component
      return { default: component }
    }))
  const Lazy = lazy(start)
  function Component(props: P) {
    // Chosen once per mounted instance: one that started through `Lazy` keeps it (resolved, it no
    // longer suspends), since a switch of component type would remount the view and lose its state.
    const [Type] = useState(() => loaded ?? Lazy)
    return <Type {...props} />
  }
  const preload = () => void start().catch(() => {})
  return { Component, preload }
}
