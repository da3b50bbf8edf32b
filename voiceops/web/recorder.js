// Microphone capture with MediaRecorder. A fresh stream per clip: the microphone light goes off
// between clips and phones do not keep the audio session (and its battery cost) open.

// Opus first: small clips on a weak signal. Safari offers only audio/mp4; the server takes all of them.
const TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/ogg", "audio/mp4"];

/** The first container this browser can record, or "" to let it choose. */
export function pickType() {
  if (typeof MediaRecorder === "undefined") return "";
  return TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
}

export class Recorder {
  constructor() {
    this.starting = null;
    this.recorder = null;
    this.stream = null;
    this.chunks = [];
    this.startedAt = 0;
  }

  /** Ask for the microphone and start recording (resolves when recording has begun). */
  start() {
    this.starting = (async () => {
      if (!navigator.mediaDevices || typeof MediaRecorder === "undefined") {
        throw new Error("This browser cannot record audio (it needs HTTPS or localhost).");
      }
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = pickType();
      this.recorder = new MediaRecorder(this.stream, type ? { mimeType: type } : undefined);
      this.chunks = [];
      this.recorder.ondataavailable = (e) => { if (e.data && e.data.size) this.chunks.push(e.data); };
      this.recorder.start(1000);
      this.startedAt = performance.now();
    })();
    return this.starting;
  }

  /** Stop and return {blob, type, seconds}; a press released before recording began waits for it. */
  async stop() {
    await this.starting;
    const recorder = this.recorder;
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    recorder.stop();
    await stopped;
    this.release();
    const type = recorder.mimeType || pickType() || "audio/webm";
    return { blob: new Blob(this.chunks, { type }), type, seconds: (performance.now() - this.startedAt) / 1000 };
  }

  /** Stop without keeping anything. */
  async cancel() {
    try {
      await this.starting;
      if (this.recorder && this.recorder.state !== "inactive") this.recorder.stop();
    } catch { /* nothing was recording */ }
    this.release();
  }

  release() {
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }
}
