// What every dashboard view is: a section that is built once, started when shown and stopped when left.
import type { ApiClient } from './api-client.js';
import type { Session } from './session.js';

export interface View {
  readonly element: HTMLElement;
  /** Loads or refreshes what the view shows. */
  start(): void;
  /** Stops timers and open streams. */
  stop(): void;
}

export interface ViewDeps {
  api: ApiClient;
  session: Session;
}
