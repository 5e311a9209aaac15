/** A didi module as form-js's `additionalModules` take it: services by name, some started at once. */
export interface FormJsModule {
  readonly __depends__?: readonly FormJsModule[];
  readonly __init__?: readonly string[];
  readonly [service: string]: unknown;
}
