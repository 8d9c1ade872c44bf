/**
 * Two requests racing to insert the same unique row (a bank retrying while its first notification is still being
 * recorded, a double-clicked "get sub-account") make one transaction fail with a unique violation. Run the command
 * once more: its own idempotency check then finds the winner's row and answers as for a repeat.
 */
export async function retryOnUniqueViolation<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code !== '23505') throw e;
    return run();
  }
}
