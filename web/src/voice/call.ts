// A voice call from the browser: the ACS media JSON over a WebSocket to the media path, as a phone call's.
import { FRAME_BYTES, openMicrophone, Player, SAMPLE_RATE, toBase64 } from "./audio";

/** What the media path tells the browser besides the agent's audio. */
export type VoiceEvent =
  | { type: "caller"; text: string }
  | { type: "delta"; text: string }
  | { type: "turn"; agent: string; said: string; interrupted: boolean; citations: string[];
      tools: { name: string; ok: boolean; error: string | null }[] }
  | { type: "tool_started"; name: string }
  | { type: "tool_finished"; name: string; ok: boolean; error: string | null }
  | { type: "verification"; verified: boolean }
  | { type: "handoff"; source: string; target: string }
  | { type: "ended"; reason: string };

export interface CallHandlers {
  onEvent: (event: VoiceEvent) => void;
  onAgentSpeaking: (speaking: boolean) => void;
  /** The media path stopped the agent's audio (the caller spoke over it) while some was still playing. */
  onInterrupted: () => void;
  onClosed: (reason: string) => void;
}

export class VoiceCall {
  private closed = false;

  private constructor(
    private readonly socket: WebSocket,
    private readonly context: AudioContext,
    private readonly player: Player,
    private stopMicrophone: () => void,
  ) {}

  /** Opens the socket (session token and ticket first), then streams the microphone until `hangUp`. */
  static async start(token: string, ticket: string, voice: string, handlers: CallHandlers): Promise<VoiceCall> {
    const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: "interactive" });
    await context.resume();
    const player = new Player(context, () => handlers.onAgentSpeaking(false));
    const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/voice/audio`);
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error("the media path is not answering"));
    });
    socket.send(JSON.stringify({ kind: "Hello", token, ticket, voice }));
    socket.send(JSON.stringify({
      kind: "AudioMetadata",
      audioMetadata: { subscriptionId: "browser", encoding: "PCM", sampleRate: SAMPLE_RATE, channels: 1, length: FRAME_BYTES },
    }));
    const call = new VoiceCall(socket, context, player, () => undefined);
    socket.onmessage = (message) => {
      const frame = JSON.parse(String(message.data));
      if (frame.kind === "AudioData" && frame.audioData?.data) {
        player.play(frame.audioData.data);
        handlers.onAgentSpeaking(true);
      } else if (frame.kind === "StopAudio") {
        if (player.speaking) handlers.onInterrupted();
        player.stop(); // the caller talked over the agent: what was queued is dropped at once
      } else if (frame.kind === "Event") {
        handlers.onEvent(frame.event as VoiceEvent);
      }
    };
    socket.onclose = (event) => {
      call.release();
      handlers.onClosed(event.reason || (event.code === 1000 ? "the call ended" : `the media path closed the call (${event.code})`));
    };
    try {
      call.stopMicrophone = await openMicrophone(context, (pcm) => {
        if (socket.readyState === WebSocket.OPEN) {
          socket.send(JSON.stringify({
            kind: "AudioData",
            audioData: { timestamp: new Date().toISOString(), participantRawID: "browser", data: toBase64(pcm), silent: false },
          }));
        }
      });
    } catch (error) {
      call.hangUp();
      throw new Error(`no microphone: ${(error as Error).message}`);
    }
    return call;
  }

  hangUp(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, "the caller hung up");
    this.release();
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopMicrophone();
    this.player.stop();
    void this.context.close();
  }
}
