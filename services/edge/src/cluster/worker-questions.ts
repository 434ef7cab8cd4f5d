// The primary asks every live worker one question and gathers the answers; a worker that dies or hangs meanwhile is left out.
import type { Worker } from 'node:cluster';
import type { FromWorker, Question, ToWorker } from './worker-messages.js';
import { isFromWorker } from './worker-messages.js';

export interface WorkerQuestions {
  /** Answers of the workers that answered within `timeoutMs`, in no particular order. */
  askAll<T>(workers: readonly Worker[], question: Question, timeoutMs: number, args?: { timeoutMs?: number }): Promise<T[]>;
}

export function createWorkerQuestions(): WorkerQuestions {
  let nextId = 1;
  return {
    askAll<T>(workers: readonly Worker[], question: Question, timeoutMs: number, args: { timeoutMs?: number } = {}): Promise<T[]> {
      const live = workers.filter((w) => w.isConnected());
      return Promise.all(live.map((worker) => ask<T>(worker, nextId++, question, timeoutMs, args))).then((answers) => answers.filter((a): a is { value: T } => a !== undefined).map((a) => a.value));
    },
  };
}

function ask<T>(worker: Worker, id: number, question: Question, timeoutMs: number, args: { timeoutMs?: number }): Promise<{ value: T } | undefined> {
  return new Promise((resolve) => {
    const done = (answer: { value: T } | undefined): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve(answer);
    };
    const onMessage = (message: unknown): void => {
      if (!isFromWorker(message)) return;
      const m: FromWorker = message;
      if (m.type === 'answer' && m.id === id) done(m.error === undefined ? { value: m.value as T } : undefined);
    };
    const onExit = (): void => done(undefined);
    const timer = setTimeout(() => done(undefined), timeoutMs);
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    const message: ToWorker = { sluice: 'edge', type: 'ask', id, question, ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}) };
    try {
      worker.send(message);
    } catch {
      done(undefined);
    }
  });
}
