// A FIFO of messages waiting for the next batch: O(1) push, batches taken from the front.

export interface MessageQueue<T> {
  readonly length: number;
  push(item: T): void;
  /** Removes and returns up to `max` items from the front, oldest first. */
  take(max: number): T[];
}

export function createMessageQueue<T>(): MessageQueue<T> {
  let items: T[] = [];
  let start = 0;
  return {
    get length() {
      return items.length - start;
    },
    push(item) {
      items.push(item);
    },
    take(max) {
      const taken = items.slice(start, start + max);
      start += taken.length;
      // Drop the consumed front now and then, so that taking stays cheap and memory is returned.
      if (start === items.length) {
        items = [];
        start = 0;
      } else if (start > 4096 && start * 2 > items.length) {
        items = items.slice(start);
        start = 0;
      }
      return taken;
    },
  };
}
