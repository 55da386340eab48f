/**
 * The engine's event bus: typed emit, plain listeners. Listeners are called synchronously and must not
 * throw; one that does is reported and the others still run, so one broken client cannot stop
 * collection.
 */
import type { EventData, EventMessage, EventName } from '../../shared/api.ts';

export type EventListener = (message: EventMessage) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  /** Adds a listener for every event; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, data: EventData<E>): void {
    const message: EventMessage = { event, data };
    for (const listener of this.#listeners) {
      try {
        listener(message);
      } catch (error) {
        console.error(`hostwatch: a listener of ${event} failed:`, error);
      }
    }
  }
}
