export async function run() { throw new Error('not yet'); }
