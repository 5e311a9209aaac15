import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig } from '../config/index.js';
import type { JobExecutorOptions } from '../jobs/index.js';

/** How the child opens its engine (the argument of engine-process-main.ts). */
export interface EngineProcessOptions {
  readonly database: DatabaseConfig;
  readonly jobExecutorActivate?: boolean;
  readonly jobExecutor?: JobExecutorOptions;
}

export type EngineProcessRequest =
  | { readonly type: 'drain' }
  | { readonly type: 'acquire'; readonly maxJobs: number }
  | { readonly type: 'start'; readonly processDefinitionKey: string }
  | { readonly type: 'close' };

export type EngineProcessReply =
  | { readonly type: 'ready'; readonly lockOwner: string; readonly pid: number }
  | { readonly type: 'drained'; readonly executed: number; readonly emptyAcquisitions: number; readonly ms: number }
  | { readonly type: 'acquired'; readonly jobIds: string[]; readonly lockOwner: string }
  | { readonly type: 'started'; readonly processInstanceId: string }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly message: string };

type ReplyOf<T extends EngineProcessReply['type']> = Extract<EngineProcessReply, { type: T }>;

interface Pending {
  readonly resolve: (reply: EngineProcessReply) => void;
  readonly reject: (error: Error) => void;
}

const ENTRY = fileURLToPath(new URL('./engine-process-main.ts', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;
const live = new Set<EngineProcess>();

// a parent that ends (a failed test run, Ctrl-C) leaves no engine process behind
process.on('exit', () => {
  for (const child of live) child.child.kill('SIGKILL');
});

/**
 * An engine in a real child process (node with tsx, the same source), driven over IPC: the only
 * way to have engines that share nothing but the database, as engine nodes in production do.
 * Every request has a deadline, so a stuck child fails the test instead of hanging it.
 */
export class EngineProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  lockOwner = '';
  private readonly pending: Pending[] = [];
  private stderr = '';

  private constructor(readonly child: ChildProcess) {
    live.add(this);
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (reply: EngineProcessReply) => this.pending.shift()?.resolve(reply));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        live.delete(this);
        const error = new Error(`engine process ${child.pid} exited (code ${code}, signal ${signal}) before answering${this.stderrTail()}`);
        for (const waiting of this.pending.splice(0)) waiting.reject(error);
        resolve({ code, signal });
      });
    });
  }

  /** Starts an engine process and waits until its engine is open. */
  static async fork(options: EngineProcessOptions): Promise<EngineProcess> {
    const child = fork(ENTRY, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    const started = new EngineProcess(child);
    const ready = await started.reply('ready', STARTUP_TIMEOUT_MS);
    started.lockOwner = ready.lockOwner;
    return started;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Sends a request and waits for its answer of the expected type. */
  async request<T extends EngineProcessReply['type']>(request: EngineProcessRequest, expected: T, timeoutMs: number): Promise<ReplyOf<T>> {
    const answer = this.reply(expected, timeoutMs, request.type);
    this.child.send(request);
    return answer;
  }

  /** SIGKILL: the process gets no chance to release anything, as in a crash or a power cut. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Closes the engine (its job executor finishes the jobs in hand) and waits for the process to end. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (!live.has(this)) return;
    await this.request({ type: 'close' }, 'closed', timeoutMs);
    await this.exited;
  }

  private reply<T extends EngineProcessReply['type']>(expected: T, timeoutMs: number, what: string = expected): Promise<ReplyOf<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`engine process ${this.child.pid} did not answer '${what}' within ${timeoutMs} ms (killed)${this.stderrTail()}`));
        this.child.kill('SIGKILL');
      }, timeoutMs);
      this.pending.push({
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.type === expected) resolve(reply as ReplyOf<T>);
          else reject(new Error(`engine process ${this.child.pid} answered '${what}' with ${reply.type === 'failed' ? reply.message : reply.type}`));
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  private stderrTail(): string {
    return this.stderr ? `; its stderr:\n${this.stderr}` : '';
  }
}

/** Kills every engine process still running (the `after` hook of a suite that forks them). */
export async function killEngineProcesses(): Promise<void> {
  await Promise.all([...live].map((child) => child.kill()));
}
