/** A promise that gives up after `ms` (rejects with 'timed out'); the timer never outlives it. */
export function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
