// What every worker's loop awaits between chunks of work: a round trip
// through a message channel, so that messages queued meanwhile (a pause,
// a query, a new link, a stop) run before the next chunk.

/** Resolves once the messages already queued have run. */
export const yieldToEvents = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => resolve();
  ch.port2.postMessage(null);
});
