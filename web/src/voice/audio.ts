// The browser's side of a voice call: microphone frames out, the agent's audio in, both PCM16 mono at 24 kHz.
import captureUrl from "./capture-worklet.js?url";

export const SAMPLE_RATE = 24000;
export const FRAME_BYTES = (SAMPLE_RATE / 50) * 2; // 20 ms

export function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(data: string): Int16Array {
  const text = atob(data);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new Int16Array(bytes.buffer, 0, bytes.length >> 1);
}

/** The microphone, 20 ms at a time; the browser cancels the agent's echo from what it plays. */
export async function openMicrophone(context: AudioContext, onFrame: (pcm: ArrayBuffer) => void): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  await context.audioWorklet.addModule(captureUrl);
  const source = context.createMediaStreamSource(stream);
  const capture = new AudioWorkletNode(context, "pcm16-capture");
  capture.port.onmessage = (event: MessageEvent<ArrayBuffer>) => onFrame(event.data);
  source.connect(capture);
  return () => {
    capture.port.onmessage = null;
    source.disconnect();
    capture.disconnect();
    stream.getTracks().forEach((track) => track.stop());
  };
}

/** Plays the agent's audio gap-free in arrival order; `stop` drops what is queued (a barge-in). */
export class Player {
  private next = 0;
  private playing = new Set<AudioBufferSourceNode>();

  constructor(private readonly context: AudioContext, private readonly onIdle: () => void) {}

  get speaking(): boolean {
    return this.playing.size > 0;
  }

  play(data: string): void {
    const pcm = fromBase64(data);
    if (pcm.length === 0) return;
    const buffer = this.context.createBuffer(1, pcm.length, SAMPLE_RATE);
    const samples = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i] / 0x8000;
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    this.next = Math.max(this.next, this.context.currentTime + 0.02);
    source.start(this.next);
    this.next += buffer.duration;
    this.playing.add(source);
    source.onended = () => {
      this.playing.delete(source);
      if (!this.playing.size) this.onIdle();
    };
  }

  stop(): void {
    for (const source of this.playing) {
      source.onended = null;
      source.stop();
    }
    this.playing.clear();
    this.next = 0;
    this.onIdle();
  }
}
