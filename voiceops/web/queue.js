// The outbox: every clip is written to IndexedDB before any upload is tried, so a clip recorded
// without a connection (or in a tab that is closed before the upload ends) is never lost.
// States: "queued" (bytes here, not uploaded) -> "uploaded" (waiting for the reply) -> removed.

const DB_NAME = "voiceops";
const STORE = "clips";

let dbPromise = null;

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "clip_id" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return dbPromise;
}

async function run(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Insert or replace a clip record. */
export const put = (item) => run("readwrite", (s) => s.put(item));
/** Remove a clip record. */
export const remove = (clipId) => run("readwrite", (s) => s.delete(clipId));
/** Every clip record, oldest first. */
export async function all() {
  const items = (await run("readonly", (s) => s.getAll())) || [];
  return items.sort((a, b) => a.created - b.created);
}
