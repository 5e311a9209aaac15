/**
 * A timer definition that cannot be understood; the message names the text and what is wrong.
 * A plain `Error` subclass so this folder stays free of engine dependencies: the engine wraps it
 * into its own deployment error.
 */
export class TimerSyntaxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
