// @ts-check
// One way to serialise read-modify-write sequences on storage (ES module, background).
//
// `const serial = serialQueue(); serial(async () => { read; change; write })`: each function
// starts after the previous one ended (resolved or rejected), so two writers of the same key
// cannot lose each other's update. A rejected function rejects its own caller only.

/**
 * A new queue: a function that runs `fn` after everything queued before it.
 * @returns {<T>(fn: () => T | PromiseLike<T>) => Promise<T>}
 */
export function serialQueue() {
  /** @type {Promise<unknown>} */
  let tail = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn);
    tail = run.catch(() => {});
    return run;
  };
}
