// Every chunk a socket reads is a fresh Buffer whose memory lives outside the
// JS heap; V8 frees it only when a GC collects the small wrapper, and a
// streaming upload allocates too little JS to trigger one soon. Measured: a
// 200 MiB upload grew the service's RSS by ~35 MiB. A young-generation GC
// every few MiB received (under a millisecond each here) keeps that bounded.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'minor'; execution: 'sync' }) => void;

function loadGc(): Gc | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as Gc;
  } catch {
    return undefined;
  }
}

const gc = loadGc();

/** Returns a function to call with each chunk's size; it runs a minor GC every `everyBytes`. */
export function paceMemory(everyBytes = 8 * 1024 * 1024): (bytes: number) => void {
  let sinceLast = 0;
  return (bytes) => {
    sinceLast += bytes;
    if (gc && sinceLast >= everyBytes) {
      sinceLast = 0;
      gc({ type: 'minor', execution: 'sync' });
    }
  };
}
