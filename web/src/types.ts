// The function app's answers, as its OpenAPI document (GET /api/openapi.json) declares them.

export type DependencyStatus = "up" | "down" | "absent";

export interface Health {
  status: "healthy" | "unhealthy";
  mode: string;
  dependencies: Record<string, { name: string; status: DependencyStatus; detail: string; latency_ms: number }>;
}

export type DocumentState = "uploaded" | "indexing" | "indexed" | "failed";

export interface DocumentStatus {
  id: string;
  state: DocumentState;
  size: number | null;
  chunks: number | null;
  reason: string | null;
  updated_at: string;
}

export type RunStatus = "generating" | "complete" | "failed" | "cancelled";

export interface CompanySpec {
  name: string;
  industry: string;
  customers: number;
  products: number;
  purchases: number;
  conversations: number;
  seed: number;
}

export interface Company {
  id: string;
  name: string;
  industry: string;
  run_id: string;
  status: RunStatus;
  error: string | null;
  totals: Record<string, { stored: number; skipped: number }>;
}

export interface SyntheticRun {
  id: string;
  runtimeStatus: string | null;
  progress: { status: string; progress: Record<string, { done: number; total: number }> } | null;
  result: { status: string; error: string | null } | null;
}

export interface Dashboard {
  conversations: number;
  by_topic: Record<string, number>;
  by_product: Record<string, number>;
  by_agent: Record<string, number>;
  by_sentiment: Record<string, number>;
  by_outcome: Record<string, number>;
  by_day: Record<string, number>;
  company: { name: string; industry: string; status: RunStatus } | null;
}

export interface Email {
  from?: string;
  to?: string;
  subject?: string;
  body?: string;
  received_at?: string;
  message_id?: string;
  [field: string]: unknown;
}

export interface Customer {
  id: string;
  first_name: string;
  last_name: string;
  phone: string;
}

export interface TrackedState {
  session_id?: string;
  channel?: string;
  status?: string;
  phase?: string;
  timeline?: { phase: string; at: string }[];
  agents?: string[];
  turns?: number;
  tool_counts?: Record<string, number>;
  recent_tools?: { name: string; ok: boolean }[];
  refused?: number;
  verified?: boolean;
  conversation_id?: string;
  call?: { id: string; known_caller?: boolean };
}

export interface ConversationRun {
  id: string;
  channel: "phone" | "chat";
  runtimeStatus: string | null;
  createdTime: string | null;
  lastUpdatedTime: string | null;
  state: TrackedState | null;
}

export interface Turn {
  speaker: "caller" | "agent";
  agent: string | null;
  text: string;
}

export interface ConversationRecord {
  id: string;
  summary: string;
  topic: string;
  product_id: string | null;
  sentiment: string;
  outcome: string;
  agents: string[];
  duration_seconds: number;
}

export interface ConversationDetail extends ConversationRun {
  transcript: Turn[];
  record: ConversationRecord | null;
}

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  ok: boolean;
  error: string | null;
  needs_verification: boolean;
}

export interface ChatReply {
  reply: string;
  agent: string;
  handoffs: string[];
  tool_calls: ToolCall[];
  citations: string[];
}

export interface VoiceSession {
  session_id: string;
  token: string;
  customer_id: string;
  first_name: string;
  conversation: string;
  verified: boolean;
  ticket: string; // lets this session's voice socket into the media path (with the token)
}
